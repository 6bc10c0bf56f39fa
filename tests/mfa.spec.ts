/**
 * Two-step sign-in for local passwords (issue 13): set up with a QR code on "Your account", sign in
 * with a code from the app and with a recovery code, wrong codes refused, an admin's reset, and
 * MFA_REQUIRED_FOR=admins on a second console: an admin without it can do nothing until it is set up.
 * Codes are computed from the secret the page shows, as an authenticator app would.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { totpCode } from "@/lib/mfa/crypto";
import { expect, expectNoSeriousA11yViolations, openSignIn, signIn, test } from "./support/fixtures";
import { withDb } from "./support/e2e-db";
import { E2E_APP2_URL } from "./support/e2e-ports.mjs";
import { startSecondConsole } from "./support/second-console";
import { createUser } from "./support/users";

test.describe.configure({ mode: "serial", timeout: 90_000 });

const run = randomBytes(3).toString("hex");
const PASSWORD = "two-step password 1";
const dev = { name: `Mfa Dev ${run}`, email: `mfa-dev-${run}@example.test`, role: "developer", password: PASSWORD };

const signIns = (email: string) =>
  withDb((db) => db.prepare(`SELECT "result", "details" FROM "AuditEntry" WHERE "action" = 'auth.sign_in' AND "actorEmail" = ? ORDER BY "id"`).all(email)) as { result: string; details: string }[];

async function freshPage(browser: Browser, baseURL?: string) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

async function passwordStep(page: Page, email: string) {
  await openSignIn(page);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Sets up two-step sign-in on the page it is on; returns the secret and the recovery codes shown. */
async function setUp(page: Page) {
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code to add the console to your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await page.getByLabel("Code from the app").fill(totpCode(secret));
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
  return { secret, codes };
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/signin");
}

let secret = "";

test("a person sets up two-step sign-in with a QR code, then signs in with a code from the app and with a recovery code; wrong codes are refused", async ({ browser, asAdmin, baseURL }) => {
  // Creates a user, signs in three times and sets up an authenticator: 19 s on an idle 2-core machine.
  test.setTimeout(90_000);
  await createUser(asAdmin, dev);
  const { context, page } = await freshPage(browser, baseURL);
  await signIn(page, dev.email, PASSWORD);
  await page.getByRole("button", { name: /account menu/ }).click();
  await page.getByRole("menuitem", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
  const enrolled = await setUp(page);
  secret = enrolled.secret;
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
  await expect(page.getByText("10 recovery codes left.")).toBeVisible();

  // The secret and the codes were shown once and are nowhere in the database.
  const dump = withDb((db) => JSON.stringify([db.prepare(`SELECT * FROM "User" WHERE "email" = ?`).all(dev.email), db.prepare(`SELECT * FROM "AuditEntry" ORDER BY "id" DESC LIMIT 50`).all(), db.prepare(`SELECT * FROM "MfaRecoveryCode"`).all()]));
  for (const s of [secret, ...enrolled.codes]) expect(dump).not.toContain(s);

  // Next sign-in: the password, then a code. A wrong code keeps the second step.
  await signOut(page);
  await passwordStep(page, dev.email);
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("Code", { exact: true }).fill("123456");
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByText("That code is not right (or was already used)")).toBeVisible();
  // The code of the next 30-second step (the one just used to confirm cannot be used again).
  await page.getByLabel("Code", { exact: true }).fill(totpCode(secret, new Date(Date.now() + 30_000)));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  expect(page.url()).not.toMatch(/code=|ticket=/);

  // A recovery code instead of the app, once.
  await signOut(page);
  await passwordStep(page, dev.email);
  await page.getByLabel("Code", { exact: true }).fill(enrolled.codes[0]!);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await signOut(page);
  await passwordStep(page, dev.email);
  await page.getByLabel("Code", { exact: true }).fill(enrolled.codes[0]!);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByText("That code is not right (or was already used)")).toBeVisible();

  const entries = signIns(dev.email).map((e) => ({ result: e.result, ...JSON.parse(e.details) }));
  expect(entries.filter((e) => e.result === "success").map((e) => e.mfa ?? null)).toEqual([null, "totp", "recovery_code"]);
  expect(entries.filter((e) => e.reason === "wrong_mfa_code")).toHaveLength(2);
  await context.close();
});

test("an admin resets someone's two-step sign-in; the password alone then signs them in", async ({ browser, asAdmin, baseURL }) => {
  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: `Reset 2-step for ${dev.name}` }).click();
  await asAdmin.getByRole("alertdialog").getByRole("button", { name: "Reset", exact: true }).click();
  await expect(asAdmin.getByText(`Two-step sign-in of ${dev.name} reset`)).toBeVisible();
  await expect(asAdmin.getByRole("button", { name: `Reset 2-step for ${dev.name}` })).toHaveCount(0);
  const reset = withDb((db) => db.prepare(`SELECT "result", "targetLabel" FROM "AuditEntry" WHERE "action" = 'mfa.reset' ORDER BY "id" DESC LIMIT 1`).get()) as { result: string; targetLabel: string };
  expect(reset).toEqual({ result: "success", targetLabel: dev.email });

  const { context, page } = await freshPage(browser, baseURL);
  await signIn(page, dev.email, PASSWORD);
  await context.close();
});

test.describe("with MFA_REQUIRED_FOR=admins", () => {
  let second: { stop: () => Promise<void> } | undefined;
  test.afterAll(async () => second?.stop());

  test("an admin without two-step sign-in can open nothing until it is set up, then works as usual", async ({ browser, asAdmin }) => {
    const admin = { name: `Mfa Admin ${run}`, email: `mfa-admin-${run}@example.test`, role: "admin", password: PASSWORD };
    await createUser(asAdmin, admin);
    second = await startSecondConsole({ MFA_REQUIRED_FOR: "admins" });
    const { context, page } = await freshPage(browser, E2E_APP2_URL);
    await passwordStep(page, admin.email);
    await page.waitForURL((url) => url.pathname === "/signin/two-step");
    await expect(page.getByRole("heading", { name: "Set up two-step sign-in" })).toBeVisible();

    // Every page leads back here; routes answer as to someone signed out.
    await page.goto("/keys");
    await expect(page).toHaveURL(/\/signin\/two-step$/);
    const exported = await page.request.get("/usage/export", { maxRedirects: 0 });
    expect(exported.status()).not.toBe(200);

    const { secret: adminSecret } = await setUp(page);
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/keys");
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

    // From now on its sign-in has two steps.
    await signOut(page);
    await passwordStep(page, admin.email);
    await page.getByLabel("Code", { exact: true }).fill(totpCode(adminSecret, new Date(Date.now() + 30_000)));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await context.close();
  });
});
