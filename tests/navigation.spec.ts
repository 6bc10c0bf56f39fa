import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, storageStatePath, test, type Role } from "./support/fixtures";

// Each role sees the sections it may use, and every page passes the accessibility scan.

async function navLinks(page: Page) {
  await page.goto("/");
  return page.getByRole("navigation", { name: "Main navigation" }).first().getByRole("link").allInnerTexts();
}

test("navigation per role", async ({ asAdmin, asLead, asDeveloper }) => {
  expect(await navLinks(asAdmin)).toEqual(expect.arrayContaining(["Home", "API keys", "Short-term keys", "Key inspector", "Users & teams", "Audit log"]));
  const lead = await navLinks(asLead);
  expect(lead).toEqual(expect.arrayContaining(["API keys", "Short-term keys", "Key inspector", "Audit log"]));
  expect(lead).not.toContain("Users & teams");
  const developer = await navLinks(asDeveloper);
  expect(developer).toEqual(expect.arrayContaining(["Home", "API keys", "Short-term keys"]));
  expect(developer).not.toContain("Key inspector");
  expect(developer).not.toContain("Users & teams");
  expect(developer).not.toContain("Audit log");
});

const PAGES: Record<Role, string[]> = {
  admin: ["/", "/users", "/audit", "/keys", "/keys/new", "/short-term-keys", "/inspect"],
  lead: ["/", "/audit", "/keys", "/short-term-keys", "/inspect"],
  developer: ["/", "/keys", "/short-term-keys"],
};

for (const [role, paths] of Object.entries(PAGES) as [Role, string[]][]) {
  test.describe(`as ${role}`, () => {
    // One signed-in context per test, for the role the page is scanned as.
    test.use({ storageState: storageStatePath(role) });
    for (const path of paths) {
      test(`${path} as ${role} passes the accessibility scan`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoSeriousA11yViolations(page);
      });
    }
  });
}

test("dialogs pass the accessibility scan too", async ({ asAdmin }) => {
  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: "Create user" }).first().click();
  await expect(asAdmin.getByRole("dialog", { name: "Create user" })).toBeVisible();
  await expectNoSeriousA11yViolations(asAdmin);
});

test("the sidebar prefetches a page when its link is pointed at or focused, not on every page view", async ({ asAdmin: page }) => {
  const prefetched: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-router-prefetch"]) prefetched.push(new URL(request.url()).pathname);
  });
  await page.goto("/users");
  await page.waitForLoadState("networkidle");
  expect(prefetched).toEqual([]);

  const sidebar = page.getByRole("navigation", { name: "Main navigation" }).first();
  await sidebar.getByRole("link", { name: "Audit log" }).hover();
  await expect.poll(() => prefetched).toContain("/audit");
  await sidebar.getByRole("link", { name: "Short-term keys" }).focus();
  await expect.poll(() => prefetched).toContain("/short-term-keys");
  expect(prefetched).not.toContain("/keys");

  await sidebar.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
