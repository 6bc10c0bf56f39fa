import type { Page } from "@playwright/test";
import { E2E_APP_URL } from "./support/e2e-ports.mjs";
import { expect, storageStatePath, test } from "./support/fixtures";
import { expectKeyRejected, expectKeyWorks, issueKey, type IssuedKey } from "./support/key-journeys";

// Who may do what with keys, as the pages show it and as the server enforces it: a lead acts on
// their team's keys only, a developer sees their own keys and no actions, and a key outside
// someone's scope is "not found" (a real 404), never "forbidden".

let payments: IssuedKey;
let research: IssuedKey;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E_APP_URL, storageState: storageStatePath("admin") });
  const page = await context.newPage();
  const stamp = Date.now();
  payments = await issueKey(page, { name: `Payments API ${stamp}`, owner: "Dana Developer (dev@demo.local)" });
  research = await issueKey(page, { name: `Research lab ${stamp}`, owner: "Riku Researcher (researcher@demo.local)" });
  await context.close();
});

async function expectNotFound(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `${path} should answer 404`).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
}

test("a lead disables and re-enables a key of their team, and cannot touch another team's", async ({ asLead: page, request }) => {
  await page.goto(`/keys?q=${encodeURIComponent(payments.name)}`);
  await expect(page.getByRole("link", { name: "Issue key" })).toHaveCount(0);
  await page.getByRole("button", { name: `Actions for ${payments.name}` }).click();
  await expect(page.getByRole("menuitem", { name: /Reset/ })).toHaveCount(0);
  await expect(page.getByRole("menuitem", { name: /Delete/ })).toHaveCount(0);
  await page.getByRole("menuitem", { name: "Disable", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable key" }).click();
  await expect(page.getByRole("row", { name: new RegExp(payments.name) })).toContainText("Inactive");
  await expectKeyRejected(request, payments.secret);

  await page.getByRole("button", { name: `Actions for ${payments.name}` }).click();
  await page.getByRole("menuitem", { name: "Enable", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Enable key" }).click();
  await expect(page.getByRole("row", { name: new RegExp(payments.name) })).toContainText("Active");
  await expectKeyWorks(request, payments.secret);

  // Research is not the lead's team: not listed, and its page does not exist for them.
  await page.goto(`/keys?q=${encodeURIComponent(research.name)}`);
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
  await expectNotFound(page, `/keys/${research.keyId}`);
  await expectNotFound(page, "/keys/new");
});

test("a developer sees only their own keys, with no way to change them", async ({ asDeveloper: page }) => {
  await page.goto("/keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByRole("link", { name: payments.name })).toBeVisible();
  await expect(page.getByRole("link", { name: research.name })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Issue key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Refresh from AWS" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);

  await page.getByRole("link", { name: payments.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: payments.name })).toBeVisible();
  for (const action of ["Disable", "Enable", "Reset…", "Delete…", "Adopt…"]) {
    await expect(page.getByRole("button", { name: action, exact: true })).toHaveCount(0);
  }

  await expectNotFound(page, "/keys/new");
  await expectNotFound(page, `/keys/${research.keyId}`);
  await expectNotFound(page, "/inspect");

  // The home page counts the same scope and links to the same filtered list.
  await page.goto("/");
  await page.getByRole("link", { name: /^Active\s*\d+$/ }).click();
  await expect(page).toHaveURL(/\/keys\?status=Active$/);
  await expect(page.getByRole("link", { name: payments.name })).toBeVisible();
  await expect(page.getByRole("link", { name: research.name })).toHaveCount(0);
});
