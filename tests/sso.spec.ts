/**
 * Single sign-on through a real OpenID provider (idp/main.mjs, started by playwright.config.ts):
 * an admin maps groups on the settings page; the first SSO sign-in creates the person with the
 * mapped role and teams; a group change at the IdP changes the role at the next sign-in (and ends
 * older sessions); losing every mapped group refuses entry and deactivates; forged and replayed
 * callbacks are refused and audited; with LOCAL_SIGNIN=off only break-glass accounts use passwords.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { DEMO_USERS, e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { withDb } from "./support/e2e-db";
import { E2E_APP2_URL, E2E_IDP_LOGIN_URL, E2E_IDP_URL } from "./support/e2e-ports.mjs";
import { startSecondConsole } from "./support/second-console";

// Full sign-ins through the IdP take several seconds each on a loaded machine.
test.describe.configure({ mode: "serial", timeout: 60_000 });

const run = randomBytes(3).toString("hex");
const GROUPS = { admins: `sso-admins-${run}`, devs: `sso-devs-${run}`, leads: `sso-leads-${run}` };
const IDP_PASSWORD = "idp-user-password";

const userRow = (email: string) =>
  withDb((db) => db.prepare('SELECT "id", "role", "active", "passwordHash", "sessionVersion" FROM "User" WHERE "email" = ?').get(email) as
    | { id: string; role: string; active: number; passwordHash: string; sessionVersion: number }
    | undefined);
const teamsOf = (userId: string) =>
  withDb((db) => db.prepare('SELECT t."name" AS name, m."isLead" AS isLead FROM "TeamMembership" m JOIN "Team" t ON t."id" = m."teamId" WHERE m."userId" = ? ORDER BY t."name"').all(userId)) as { name: string; isLead: number }[];
const ssoAudits = () =>
  withDb((db) => db.prepare(`SELECT "result", "actorEmail", "details" FROM "AuditEntry" WHERE "action" = 'auth.sso_sign_in' ORDER BY "id"`).all()) as {
    result: string;
    actorEmail: string | null;
    details: string;
  }[];

async function idpUser(email: string, groups: string[]) {
  const res = await fetch(`${E2E_IDP_URL}/_idp/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, name: `SSO ${email.split("@")[0]}`, password: IDP_PASSWORD, groups }) });
  expect(res.status).toBe(201);
}
async function setGroups(email: string, groups: string[]) {
  const res = await fetch(`${E2E_IDP_URL}/_idp/users/${encodeURIComponent(email)}/groups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ groups }) });
  expect(res.status).toBe(200);
}

/** Clicks "Sign in with Test IdP" and signs in on the IdP's own login form. */
async function ssoSignIn(page: Page, email: string, baseUrl = "") {
  await page.goto(`${baseUrl}/signin`, { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((url) => url.origin === E2E_IDP_LOGIN_URL && url.pathname.startsWith("/interaction/"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(IDP_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function freshPage(browser: Browser, baseURL?: string) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

test("an admin maps IdP groups to roles and teams on the settings page, audited with before and after", async ({ asAdmin }) => {
  await asAdmin.goto("/settings");
  const section = asAdmin.getByRole("region", { name: "Single sign-on: group mapping" });
  const add = async (group: string, role: string, teams: string[], leads: string[]) => {
    const form = asAdmin.getByRole("form", { name: "Add a group mapping" });
    await form.getByLabel("IdP group").fill(group);
    await form.getByLabel("Role").selectOption(role);
    for (const team of teams) await form.getByRole("checkbox", { name: team, exact: true }).check();
    for (const team of leads) await form.getByRole("checkbox", { name: `Leads ${team}`, exact: true }).check();
    await form.getByRole("button", { name: "Save mapping" }).click();
    await expect(section.getByRole("cell", { name: group, exact: true })).toBeVisible();
  };
  await add(GROUPS.admins, "admin", [], []);
  await add(GROUPS.devs, "developer", ["Payments"], []);
  await add(GROUPS.leads, "lead", [], ["Research"]);
  // Edit: the developers' group also gets Research.
  await section.getByRole("row").filter({ hasText: GROUPS.devs }).getByRole("button", { name: "Edit" }).click();
  const edit = asAdmin.getByRole("form", { name: `Edit the mapping of ${GROUPS.devs}` });
  await edit.getByRole("checkbox", { name: "Research", exact: true }).check();
  await edit.getByRole("button", { name: "Save mapping" }).click();
  await expect(section.getByRole("row").filter({ hasText: GROUPS.devs })).toContainText("Payments, Research");

  const entry = withDb((db) => db.prepare(`SELECT "details" FROM "AuditEntry" WHERE "action" = 'sso.mapping_save' AND "targetLabel" = ? ORDER BY "id" DESC LIMIT 1`).get(GROUPS.devs)) as { details: string };
  expect(JSON.parse(entry.details)).toEqual({
    before: { group: GROUPS.devs, role: "developer", teams: ["Payments"], leads: [] },
    after: { group: GROUPS.devs, role: "developer", teams: expect.arrayContaining(["Payments", "Research"]), leads: [] },
  });
});

test("without JavaScript the SSO button still leads to the IdP and back, signed in", async ({ browser, baseURL }) => {
  // A click before the page's scripts have run (a slow network) posts the form itself: its answer
  // redirects to the IdP, which the page's Content-Security-Policy (form-action) must allow — at
  // its sign-in origin, which is not its issuer's (E2E_IDP_LOGIN_URL, as with AWS Cognito): the
  // console learns it from the discovery document.
  const email = `sso-nojs-${run}@corp.example`;
  await idpUser(email, [GROUPS.devs]);
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/.test(m.text())) blocked.push(m.text());
  });
  await ssoSignIn(page, email);
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`SSO sso-nojs-${run}`);
  expect(blocked).toEqual([]);
  await context.close();
});

test("the first SSO sign-in creates the person with the mapped role and teams; a group change at the IdP changes the role at the next sign-in", async ({ browser, baseURL }) => {
  const email = `sso-dana-${run}@corp.example`;
  await idpUser(email, [GROUPS.devs, "unrelated-group"]);
  const first = await freshPage(browser, baseURL);
  await ssoSignIn(first.page, email);
  await first.page.waitForURL((url) => url.pathname === "/");
  let user = userRow(email)!;
  expect(user).toMatchObject({ role: "developer", active: 1, passwordHash: "" });
  expect(teamsOf(user.id)).toEqual([
    { name: "Payments", isLead: 0 },
    { name: "Research", isLead: 0 },
  ]);
  expect(JSON.parse(ssoAudits().at(-1)!.details)).toMatchObject({ created: true, role: "developer" });

  // Promoted at the IdP: lead of Research, no longer in the developers' group.
  await setGroups(email, [GROUPS.leads]);
  const second = await freshPage(browser, baseURL);
  await ssoSignIn(second.page, email);
  await second.page.waitForURL((url) => url.pathname === "/");
  user = userRow(email)!;
  expect(user.role).toBe("lead");
  expect(teamsOf(user.id)).toEqual([{ name: "Research", isLead: 1 }]);
  expect(JSON.parse(ssoAudits().at(-1)!.details)).toMatchObject({ role: { from: "developer", to: "lead" } });
  // The role change bumped the session version: the first browser's session has ended.
  await first.page.goto("/keys");
  await expect(first.page).toHaveURL(/\/signin/);
  await second.context.close();
  await first.context.close();
  // An SSO-created account has no password: the password form refuses it like a wrong one.
  const local = await freshPage(browser, baseURL);
  await local.page.goto("/signin", { waitUntil: "networkidle" });
  await local.page.getByLabel("Email", { exact: true }).fill(email);
  await local.page.getByLabel("Password", { exact: true }).fill(IDP_PASSWORD);
  await local.page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(local.page.getByRole("alert", { name: "Sign-in error" })).toContainText("The email or password is not correct.");
  await local.context.close();
});

test("removal from every mapped group refuses entry and deactivates; a newcomer without one is told to ask an administrator", async ({ browser, baseURL }) => {
  const email = `sso-erin-${run}@corp.example`;
  await idpUser(email, [GROUPS.admins]);
  const a = await freshPage(browser, baseURL);
  await ssoSignIn(a.page, email);
  await a.page.waitForURL((url) => url.pathname === "/");
  expect(userRow(email)).toMatchObject({ role: "admin", active: 1 });

  await setGroups(email, ["marketing"]);
  const b = await freshPage(browser, baseURL);
  await ssoSignIn(b.page, email);
  await b.page.waitForURL((url) => url.pathname === "/signin/refused");
  await expect(b.page.getByRole("heading", { name: "No access to this console yet" })).toBeVisible();
  await expect(b.page.getByText("your console account has been deactivated")).toBeVisible();
  await expectNoSeriousA11yViolations(b.page);
  expect(userRow(email)?.active).toBe(0);
  // Their earlier session ended with the deactivation.
  await a.page.goto("/keys");
  await expect(a.page).toHaveURL(/\/signin/);

  const newcomer = `sso-finn-${run}@corp.example`;
  await idpUser(newcomer, ["marketing"]);
  const c = await freshPage(browser, baseURL);
  await ssoSignIn(c.page, newcomer);
  await c.page.waitForURL((url) => url.pathname === "/signin/refused");
  await expect(c.page.getByText("Ask your administrator to add you to a group")).toBeVisible();
  expect(userRow(newcomer)).toBeUndefined();
  expect(JSON.parse(ssoAudits().at(-1)!.details)).toEqual({ reason: "no_group", groups: ["marketing"] });
  for (const x of [a, b, c]) await x.context.close();
});

test("a forged state, a replayed callback URL and a replayed authorization code are refused with a clear page, and audited", async ({ browser, baseURL }) => {
  const email = `sso-gus-${run}@corp.example`;
  await idpUser(email, [GROUPS.devs]);
  const before = ssoAudits().length;

  // 1. A successful sign-in, with its callback URL recorded.
  const a = await freshPage(browser, baseURL);
  let callbackUrl = "";
  a.page.on("request", (req) => {
    if (req.url().includes("/api/auth/callback/oidc")) callbackUrl = req.url();
  });
  await ssoSignIn(a.page, email);
  await a.page.waitForURL((url) => url.pathname === "/");
  expect(callbackUrl).toContain("code=");

  // 2. The same callback URL again (replayed), in the same browser: its state was used up.
  await a.page.goto(callbackUrl);
  await a.page.waitForURL((url) => url.pathname === "/signin/error");
  await expect(a.page.getByRole("heading", { name: "Single sign-on did not complete" })).toBeVisible();
  await expect(a.page.getByText("did not match the sign-in this browser started")).toBeVisible();
  await expectNoSeriousA11yViolations(a.page);

  // 3. A forged state: a sign-in is under way, and a callback with another state arrives.
  const b = await freshPage(browser, baseURL);
  await b.page.goto("/signin", { waitUntil: "networkidle" });
  await b.page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await b.page.waitForURL((url) => url.origin === E2E_IDP_LOGIN_URL);
  await b.page.goto(`/api/auth/callback/oidc?code=forged&state=${"x".repeat(40)}&iss=${encodeURIComponent(E2E_IDP_URL)}`);
  await b.page.waitForURL((url) => url.pathname === "/signin/error");
  await expect(b.page.getByText("did not match the sign-in this browser started")).toBeVisible();
  expect(userRow(email)).toBeDefined();
  await b.page.goto("/keys");
  await expect(b.page).toHaveURL(/\/signin/);

  // 4. A replayed code with a valid state: a new sign-in's state, the old (used) code.
  const c = await freshPage(browser, baseURL);
  let state = "";
  c.page.on("request", (req) => {
    const u = new URL(req.url());
    if (u.origin === E2E_IDP_LOGIN_URL && u.pathname === "/auth") state = u.searchParams.get("state") ?? "";
  });
  await c.page.goto("/signin", { waitUntil: "networkidle" });
  await c.page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await c.page.waitForURL((url) => url.origin === E2E_IDP_LOGIN_URL);
  expect(state).not.toBe("");
  const replay = new URL(callbackUrl);
  replay.searchParams.set("state", state);
  await c.page.goto(replay.toString());
  await c.page.waitForURL((url) => url.pathname === "/signin/error");
  await expect(c.page.getByText("The identity provider refused the sign-in")).toBeVisible();
  await c.page.goto("/keys");
  await expect(c.page).toHaveURL(/\/signin/);

  const refusals = ssoAudits().slice(before).filter((e) => e.result === "failure").map((e) => JSON.parse(e.details).reason);
  expect(refusals).toEqual(["check", "check", "rejected"]);
  for (const x of [a, b, c]) await x.context.close();
});

test("an ID token that is tampered with, unsigned (alg none), for another client or issuer, or expired is refused and audited", async ({ browser, baseURL }) => {
  // Five full sign-ins through the IdP: more than the default 30 s on a loaded 2-core machine.
  test.setTimeout(120_000);
  const email = `sso-ivy-${run}@corp.example`;
  await idpUser(email, [GROUPS.devs]);
  for (const fault of ["tampered", "alg-none", "wrong-aud", "wrong-iss", "expired"]) {
    const before = ssoAudits().length;
    const armed = await fetch(`${E2E_IDP_URL}/_idp/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ idToken: fault }) });
    expect(armed.status).toBe(200);
    const { context, page } = await freshPage(browser, baseURL);
    await ssoSignIn(page, email);
    await page.waitForURL((url) => url.pathname === "/signin/error");
    await expect(page.getByText("could not be verified"), fault).toBeVisible();
    await page.goto("/keys");
    await expect(page, fault).toHaveURL(/\/signin/);
    const entries = ssoAudits().slice(before);
    expect(entries.map((e) => [e.result, JSON.parse(e.details).reason]), fault).toEqual([["failure", "invalid_token"]]);
    await context.close();
  }
  // Never signed in, so never created.
  expect(userRow(email)).toBeUndefined();
});

test("signing out also ends the session at the IdP (RP-initiated logout)", async ({ browser, baseURL }) => {
  const email = `sso-jo-${run}@corp.example`;
  await idpUser(email, [GROUPS.devs]);
  const { context, page } = await freshPage(browser, baseURL);
  await ssoSignIn(page, email);
  await page.waitForURL((url) => url.pathname === "/");
  await page.getByRole("button", { name: /account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await page.waitForURL((url) => url.origin !== E2E_IDP_LOGIN_URL && url.pathname === "/signin");
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/signin/);
  // The IdP forgot the person too: signing in again asks for the password (no silent sign-in).
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((url) => url.origin === E2E_IDP_LOGIN_URL && url.pathname.startsWith("/interaction/"));
  await expect(page.getByLabel("Password")).toBeVisible();
  await context.close();
});

test.describe("with LOCAL_SIGNIN=off", () => {
  let second: Awaited<ReturnType<typeof startSecondConsole>> | undefined;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    second = await startSecondConsole({ OIDC_ISSUER: E2E_IDP_URL, LOCAL_SIGNIN: "off", BREAK_GLASS_EMAILS: DEMO_USERS.admin.email });
  });
  test.afterAll(async () => {
    await second?.stop();
  });
  test("passwords are refused except for break-glass accounts; SSO still signs in", async ({ browser }) => {
    const { context, page } = await freshPage(browser, E2E_APP2_URL);
    const password = async (email: string) => {
      await page.goto("/signin", { waitUntil: "networkidle" });
      await page.getByText("Emergency sign-in with a password").click();
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(e2eEnv().demoPassword);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    };
    // A lead with the right password: refused, told to use SSO.
    await password(DEMO_USERS.lead.email);
    await expect(page.getByRole("alert", { name: "Sign-in error" })).toContainText("Password sign-in is turned off");
    // The break-glass admin: in.
    await password(DEMO_USERS.admin.email);
    await page.waitForURL((url) => url.pathname === "/");
    await context.close();

    const email = `sso-hana-${run}@corp.example`;
    await idpUser(email, [GROUPS.admins]);
    const sso = await freshPage(browser, E2E_APP2_URL);
    await ssoSignIn(sso.page, email);
    await sso.page.waitForURL((url) => url.origin === E2E_APP2_URL && url.pathname === "/");
    expect(userRow(email)?.role).toBe("admin");
    await sso.context.close();
  });
});

test.describe("when the IdP cannot be reached", () => {
  let second: Awaited<ReturnType<typeof startSecondConsole>> | undefined;
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    // An issuer where nothing listens: the IdP is down.
    second = await startSecondConsole({ OIDC_ISSUER: "http://127.0.0.1:9/idp-down", LOCAL_SIGNIN: "off", BREAK_GLASS_EMAILS: DEMO_USERS.admin.email });
  });
  test.afterAll(async () => {
    await second?.stop();
  });

  test("the SSO button leads to a clear page, audited, and break-glass sign-in still works", async ({ browser }) => {
    const before = ssoAudits().length;
    const { context, page } = await freshPage(browser, E2E_APP2_URL);
    await page.goto("/signin", { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
    await page.waitForURL((url) => url.pathname === "/signin/error");
    await expect(page.getByText("The identity provider cannot be reached right now")).toBeVisible();
    expect(ssoAudits().slice(before).map((e) => JSON.parse(e.details).reason)).toEqual(["unreachable"]);
    await page.getByRole("link", { name: "Back to sign-in" }).click();
    await page.getByText("Emergency sign-in with a password").click();
    await page.getByLabel("Email", { exact: true }).fill(DEMO_USERS.admin.email);
    await page.getByLabel("Password", { exact: true }).fill(e2eEnv().demoPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await context.close();
  });
});
