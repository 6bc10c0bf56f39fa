/**
 * AWS accounts (issue 14) in the browser: the console's own account is registered without any
 * step; adding an account is checked against AWS before anything is stored; which teams may have
 * keys in an account is enforced when a key is issued.
 */
import Database from "better-sqlite3";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

const OWN = "123456789012"; // the sandbox's account

test.afterAll(() => {
  // Leave the own account open to every team, whatever happened above: other journeys issue keys.
  const db = new Database(e2eEnv().dbFile, { timeout: 5_000 });
  try {
    db.prepare('DELETE FROM "TeamAccount"').run();
  } finally {
    db.close();
  }
});

test("the console's own account is there; an account the console cannot reach is refused and not stored", async ({ asAdmin: page }) => {
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { level: 1, name: "AWS accounts" })).toBeVisible();
  const table = page.getByRole("region", { name: "Registered accounts" });
  await expect(table.getByRole("row").filter({ hasText: OWN })).toContainText("The console's own credentials");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Add account" }).click();
  const dialog = page.getByRole("dialog", { name: "Add an AWS account" });
  await dialog.getByLabel("Account id").fill("210987654321");
  await dialog.getByLabel("Name", { exact: true }).fill("Team sandbox");
  // A role in another account than the one being added: refused by the form check.
  await dialog.getByLabel("Role to assume").fill("arn:aws:iam::111122223333:role/BedrockKeyConsoleMember");
  await dialog.getByLabel("ExternalId").fill("console-ext-e2e");
  await dialog.getByRole("button", { name: "Check and add" }).click();
  await expect(dialog.getByText("This role is in account 111122223333, not in the account you are adding.")).toBeVisible();
  // The right account, but no such role there: AWS refuses AssumeRole, nothing is stored.
  await dialog.getByLabel("Role to assume").fill("arn:aws:iam::210987654321:role/BedrockKeyConsoleMember");
  await dialog.getByRole("button", { name: "Check and add" }).click();
  await expect(dialog.getByRole("alert", { name: "The account was not added" })).toContainText("The console could not assume arn:aws:iam::210987654321:role/BedrockKeyConsoleMember");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(table.getByText("210987654321")).toHaveCount(0);
});

test("an account limited to some teams gets keys of those teams only", async ({ asAdmin: page }) => {
  test.setTimeout(60_000);
  await page.goto("/accounts");
  await page.getByRole("button", { name: `Edit Account ${OWN}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit Account ${OWN}` });
  await dialog.getByLabel("Research").check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("region", { name: "Registered accounts" }).getByRole("row").filter({ hasText: OWN })).toContainText("Only Research");

  // Dana is in Payments: the issue form says why her key cannot be made in this account.
  await page.goto("/keys/new");
  await page.getByLabel("Name", { exact: true }).fill(`Limited ${Date.now()}`);
  await page.getByLabel("Purpose", { exact: true }).fill("account rule");
  await page.getByLabel("Owner", { exact: true }).selectOption({ label: "Dana Developer (dev@demo.local)" });
  await page.getByText("7 days", { exact: true }).click();
  await page.getByRole("button", { name: "Issue key" }).click();
  await expect(page.getByText("Team Payments may not have keys in this account.", { exact: false })).toBeVisible();

  // Open again for every team.
  await page.goto("/accounts");
  await page.getByRole("button", { name: `Edit Account ${OWN}` }).click();
  await page.getByRole("dialog", { name: `Edit Account ${OWN}` }).getByLabel("Research").uncheck();
  await page.getByRole("dialog", { name: `Edit Account ${OWN}` }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("region", { name: "Registered accounts" }).getByRole("row").filter({ hasText: OWN })).toContainText("All teams");
  // The changes are in the audit log, before and after.
  await page.goto("/audit?action=accounts.");
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "changed the AWS account" }).first()).toBeVisible();
});

test("people other than admins do not get the accounts page", async ({ asLead: page }) => {
  const res = await page.goto("/accounts");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("navigation").getByRole("link", { name: "AWS accounts" })).toHaveCount(0);
});
