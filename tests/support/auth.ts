import type { Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

// The demo users that scripts/seed-demo.ts creates (all share DEMO_PASSWORD).
export const DEMO_USERS = {
  admin: { email: "admin@demo.local" },
  lead: { email: "lead@demo.local" },
  developer: { email: "dev@demo.local" },
} as const;

export type Role = keyof typeof DEMO_USERS;
export const ROLES = Object.keys(DEMO_USERS) as Role[];

const authDir = fileURLToPath(new URL("../.auth/", import.meta.url));

/** Saved session of a role, written by tests/global-setup.ts: `test.use({ storageState: storageStatePath("lead") })`. */
export function storageStatePath(role: Role): string {
  return `${authDir}${role}.json`;
}

/** The sign-in page's error region (role="alert" with a name, so Next's route announcer never matches). */
export function signInError(page: Page) {
  return page.getByRole("alert", { name: "Sign-in error" });
}

/**
 * Opens the sign-in page and waits until its scripts have loaded and run: a field filled before
 * React hydrates the form can be emptied by hydration on a loaded machine (seen in CI: the password
 * "required" after it was typed).
 */
export async function openSignIn(page: Page): Promise<void> {
  await page.goto("/signin", { waitUntil: "networkidle" });
}

/**
 * Signs in through the real sign-in page and waits until the console's home page is shown.
 * Fails with the page's own error text when the sign-in is refused.
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await openSignIn(page);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  const landed = page.waitForURL((url) => url.pathname === "/", { timeout: 20_000 }).then(() => "landed" as const);
  const refused = signInError(page)
    .waitFor({ state: "visible", timeout: 20_000 })
    .then(() => "refused" as const);
  // The loser keeps waiting until its timeout; its rejection is expected and ignored.
  landed.catch(() => {});
  refused.catch(() => {});
  const outcome = await Promise.any([landed, refused]).catch(() => "timeout" as const);

  if (outcome === "refused") {
    const text = (await signInError(page).innerText()).trim();
    throw new Error(`Sign-in as ${email} was refused: "${text}"`);
  }
  if (outcome === "timeout") {
    throw new Error(`Sign-in as ${email} neither reached / nor showed a sign-in error; stuck at ${page.url()}`);
  }
}
