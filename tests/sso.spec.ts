/**
 * Single sign-on through a real OpenID Provider (issue 13; idp/main.mjs, started by the browser
 * test harness): the first sign-in creates the person with the role and teams their groups map
 * to; a group change at the IdP changes the role at the next sign-in; removal from every mapped
 * group refuses entry with a page that says why; a forged or replayed callback is refused.
 */
import type { Browser, Page } from "@playwright/test";
import { E2E_IDP_URL } from "./support/e2e-ports.mjs";
import { expect, test } from "./support/fixtures";

const stamp = Date.now();
const email = `sso-lead-${stamp}@example.com`;
const name = `Sasha SSO ${stamp}`;

async function setGroups(groups: string[]) {
  const res = await fetch(`${E2E_IDP_URL}/_idp/users/${encodeURIComponent(email)}/groups`, { method: "POST", body: JSON.stringify({ groups }) });
  expect(res.ok).toBe(true);
}

/** Through the console's button and the IdP's login page; returns the callback URL the IdP sent the browser to. */
async function ssoSignIn(page: Page): Promise<string> {
  let callback = "";
  page.on("request", (r) => {
    if (r.url().includes("/api/auth/callback/oidc")) callback = r.url();
  });
  await page.goto("/signin", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((u) => u.href.startsWith(E2E_IDP_URL));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("any password: the test IdP checks the login only");
  await page.getByRole("button", { name: /sign-?in/i }).click();
  await page.waitForURL((u) => !u.href.startsWith(E2E_IDP_URL), { timeout: 20_000 });
  await page.waitForLoadState("networkidle");
  return callback;
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  return { page: await context.newPage(), close: () => context.close() };
}

test.beforeAll(async () => {
  const res = await fetch(`${E2E_IDP_URL}/_idp/users`, { method: "POST", body: JSON.stringify({ email, name, groups: ["payments-leads"] }) });
  expect(res.ok).toBe(true);
});

test("the first SSO sign-in creates the person with the role and teams of their groups; a group change applies at the next sign-in", async ({ browser, asAdmin }) => {
  test.setTimeout(90_000);
  const first = await freshPage(browser);
  await ssoSignIn(first.page);
  await expect(first.page).toHaveURL(/\/$/);
  // A lead of Payments: the requests queue is theirs to decide.
  await first.page.goto("/requests");
  await expect(first.page.getByRole("heading", { level: 1 })).toBeVisible();
  await first.close();

  await asAdmin.goto("/users");
  const row = asAdmin.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Team lead");
  await expect(row).toContainText("Payments");

  // At the IdP, Sasha moves to the Payments developers.
  await setGroups(["payments-devs"]);
  const second = await freshPage(browser);
  await ssoSignIn(second.page);
  await expect(second.page).toHaveURL(/\/$/);
  await second.close();
  await asAdmin.reload();
  await expect(asAdmin.getByRole("row").filter({ hasText: email })).toContainText("Developer");
});

test("removed from every mapped group, the person is refused with a page that says why", async ({ browser }) => {
  test.setTimeout(60_000);
  await setGroups(["marketing"]);
  const { page, close } = await freshPage(browser);
  await ssoSignIn(page);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("alert", { name: "Single sign-on" })).toContainText("gives you no access to this console yet");
  await close();
  await setGroups(["payments-devs"]);
});

test("a forged or replayed callback is refused", async ({ browser }) => {
  test.setTimeout(60_000);
  // Forged: a state this browser never started.
  const forged = await freshPage(browser);
  await forged.page.goto("/api/auth/callback/oidc?code=forged-code&state=forged-state&iss=" + encodeURIComponent(E2E_IDP_URL));
  await expect(forged.page).toHaveURL(/\/signin\?error=/);
  await expect(forged.page.getByRole("alert", { name: "Single sign-on" })).toContainText("was refused");
  await forged.close();

  // Replayed: the callback of a sign-in that already happened, in another browser.
  const honest = await freshPage(browser);
  const callback = await ssoSignIn(honest.page);
  expect(callback).toContain("code=");
  await honest.close();
  const replay = await freshPage(browser);
  await replay.page.goto(callback);
  await expect(replay.page).toHaveURL(/\/signin/);
  await expect(replay.page.getByRole("alert", { name: "Single sign-on" })).toContainText("was refused");
  await replay.close();
});
