import { test as base, type Browser, type Page } from "@playwright/test";
import { storageStatePath, type Role } from "./auth";

export { expect } from "@playwright/test";
export { expectNoSeriousA11yViolations } from "./a11y";
export { DEMO_USERS, openSignIn, ROLES, signIn, signInError, storageStatePath, type Role } from "./auth";
export { e2eEnv } from "./e2e-env";

type RolePages = {
  /** A page signed in as admin@demo.local (saved by tests/global-setup.ts). */
  asAdmin: Page;
  /** A page signed in as lead@demo.local. */
  asLead: Page;
  /** A page signed in as dev@demo.local. */
  asDeveloper: Page;
};

// Each role page lives in its own browser context, so one test can act as several people at
// once (a developer requests, a lead approves) without their cookies mixing.
function rolePage(role: Role) {
  return async (
    { browser, baseURL }: { browser: Browser; baseURL: string | undefined },
    use: (page: Page) => Promise<void>,
  ) => {
    const context = await browser.newContext({ baseURL, storageState: storageStatePath(role) });
    await use(await context.newPage());
    await context.close();
  };
}

/**
 * `test` with signed-in pages per role. The default `page` stays signed out; for a whole file
 * as one role, `test.use({ storageState: storageStatePath("lead") })` also works.
 */
export const test = base.extend<RolePages>({
  asAdmin: rolePage("admin"),
  asLead: rolePage("lead"),
  asDeveloper: rolePage("developer"),
});
