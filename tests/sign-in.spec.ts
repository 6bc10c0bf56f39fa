import type { Page } from "@playwright/test";
import { e2eEnv, expect, expectNoSeriousA11yViolations, openSignIn, signIn, signInError, test } from "./support/fixtures";

/**
 * Submit the sign-in form and wait for the server's answer. Waiting matters: React resets the
 * form when an action completes, so typing the next attempt before then would be wiped.
 */
async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signin"),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
}

// Sign-in journeys against the real app: success, refusal, lockout, sign-out, per-user language.
// The lockout test uses its own seeded account so the saved sessions of the other roles are untouched.

test("a user signs in, lands on the home page, and signs out", async ({ page }) => {
  await signIn(page, "dev@demo.local", e2eEnv().demoPassword);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Dana Developer");
  await page.getByRole("button", { name: /account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  // signed out: the console is closed again
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
});

test("a wrong password is refused with a clear message and no session", async ({ page }) => {
  await openSignIn(page);
  await submitSignIn(page, "lead@demo.local", "not the password");
  await expect(signInError(page)).toHaveText("The email or password is not correct.");
  await expect(page).toHaveURL(/\/signin$/);
  await expectNoSeriousA11yViolations(page);
});

test("empty and malformed input get field errors, not a server error", async ({ page }) => {
  await openSignIn(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await submitSignIn(page, "<script>alert(1)</script>", "x");
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
});

test("repeated failures lock the account, even against the right password", async ({ page }) => {
  const email = "researcher@demo.local";
  await openSignIn(page);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitSignIn(page, email, `wrong-${attempt}`);
    await expect(signInError(page)).toContainText(attempt < 5 ? "not correct" : "Too many failed sign-in attempts");
  }
  await submitSignIn(page, email, e2eEnv().demoPassword);
  await expect(signInError(page)).toContainText("Try again in 15 minutes");
  await expect(page).toHaveURL(/\/signin$/);
});

test("the language choice is remembered for the user", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, "lead@demo.local", e2eEnv().demoPassword);
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("link", { name: "ホーム", exact: true }).first()).toBeVisible();
  await context.close();

  // A fresh browser (no cookie) gets Japanese after signing in as the same user.
  const fresh = await browser.newContext({ baseURL, locale: "en-US" });
  const again = await fresh.newPage();
  await signIn(again, "lead@demo.local", e2eEnv().demoPassword);
  await expect(again.getByRole("link", { name: "ホーム", exact: true }).first()).toBeVisible();
  await again.getByLabel("言語").selectOption("en");
  await expect(again.getByRole("link", { name: "Home", exact: true }).first()).toBeVisible();
  await fresh.close();
});

test("whatever is typed into the email field is never recorded verbatim", async ({ page, asAdmin }) => {
  // Not an address: perhaps a pasted secret. The form refuses it; the audit log must not keep it.
  const typed = `pasted-value-${Date.now().toString(36)}-not-an-address`;
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "198.51.100.222" });
  await openSignIn(page);
  await submitSignIn(page, typed, "x");
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  const audit = await asAdmin.request.get("/audit/export");
  expect(audit.ok()).toBe(true);
  const csv = await audit.text();
  expect(csv).toContain("invalid_email");
  expect(csv).not.toContain(typed);
});
