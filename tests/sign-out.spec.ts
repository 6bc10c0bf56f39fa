import type { Browser } from "@playwright/test";
import { expect, signIn, storageStatePath, test } from "./support/fixtures";
import { createUser } from "./support/users";

// Sign-out ends the session on the server: a copy of the cookie taken before signing out no
// longer opens the console. "Sign out everywhere" ends every session of that person. These use
// a person of their own, made here, never the saved role sessions other specs use.

const EMAIL = `sasha.signout.${Date.now().toString(36)}@demo.local`;
const PASSWORD = "a-strong-password-9";

// A client address of its own (the e2e app trusts loopback as a proxy), so the sign-in lockouts
// other specs provoke on their addresses do not reach these sign-ins.
const CLIENT = { "X-Forwarded-For": "198.51.100.201" };

async function signedInContext(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: CLIENT });
  const page = await context.newPage();
  await signIn(page, EMAIL, PASSWORD);
  return { context, page };
}

/** A new browser holding only a copy of the given cookies, as someone who copied them would. */
async function replay(browser: Browser, baseURL: string | undefined, cookies: Awaited<ReturnType<import("@playwright/test").BrowserContext["cookies"]>>) {
  const thief = await browser.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.66" } });
  await thief.addCookies(cookies);
  const page = await thief.newPage();
  await page.goto("/keys");
  const url = new URL(page.url());
  await thief.close();
  return url.pathname;
}

async function openAccountMenu(page: import("@playwright/test").Page) {
  await page.getByRole("button", { name: /account menu/ }).click();
}

test.beforeAll(async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: storageStatePath("admin") });
  await createUser(await context.newPage(), { name: "Sasha Signout", email: EMAIL, role: "developer", password: PASSWORD });
  await context.close();
});

test("a cookie copied before sign-out is refused afterwards", async ({ browser, baseURL }) => {
  const { context, page } = await signedInContext(browser, baseURL);
  const cookies = await context.cookies();
  // While signed in, the copy works like the original.
  expect(await replay(browser, baseURL, cookies)).toBe("/keys");

  await openAccountMenu(page);
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);

  expect(await replay(browser, baseURL, cookies)).toBe("/signin");
  await context.close();
});

test("sign out everywhere ends the person's other sessions too, but not other people's", async ({ browser, baseURL, asDeveloper }) => {
  const laptop = await signedInContext(browser, baseURL);
  const phone = await signedInContext(browser, baseURL);
  const phoneCookies = await phone.context.cookies();

  await openAccountMenu(laptop.page);
  await laptop.page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
  await expect(laptop.page).toHaveURL(/\/signin/);

  await phone.page.goto("/keys");
  await expect(phone.page).toHaveURL(/\/signin/);
  expect(await replay(browser, baseURL, phoneCookies)).toBe("/signin");
  // Someone else is still signed in.
  await asDeveloper.goto("/keys");
  await expect(asDeveloper).toHaveURL(/\/keys$/);

  // A new sign-in works as usual.
  const again = await signedInContext(browser, baseURL);
  await again.page.goto("/keys");
  await expect(again.page).toHaveURL(/\/keys$/);
  await Promise.all([laptop.context.close(), phone.context.close(), again.context.close()]);
});
