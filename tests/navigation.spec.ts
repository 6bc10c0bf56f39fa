import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

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

const PAGES: { role: "asAdmin" | "asLead" | "asDeveloper"; path: string }[] = [
  { role: "asAdmin", path: "/" },
  { role: "asAdmin", path: "/users" },
  { role: "asAdmin", path: "/audit" },
  { role: "asAdmin", path: "/keys" },
  { role: "asAdmin", path: "/keys/new" },
  { role: "asAdmin", path: "/short-term-keys" },
  { role: "asAdmin", path: "/inspect" },
  { role: "asLead", path: "/" },
  { role: "asLead", path: "/audit" },
  { role: "asLead", path: "/keys" },
  { role: "asLead", path: "/short-term-keys" },
  { role: "asLead", path: "/inspect" },
  { role: "asDeveloper", path: "/" },
  { role: "asDeveloper", path: "/keys" },
  { role: "asDeveloper", path: "/short-term-keys" },
];

for (const { role, path } of PAGES) {
  test(`${path} as ${role.slice(2).toLowerCase()} passes the accessibility scan`, async ({ asAdmin, asLead, asDeveloper }) => {
    const page = { asAdmin, asLead, asDeveloper }[role];
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
}

test("dialogs pass the accessibility scan too", async ({ asAdmin }) => {
  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: "Create user" }).first().click();
  await expect(asAdmin.getByRole("dialog", { name: "Create user" })).toBeVisible();
  await expectNoSeriousA11yViolations(asAdmin);
});
