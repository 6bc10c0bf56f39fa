import { expect, test } from "./support/fixtures";
import { issueKey } from "./support/key-journeys";

// The audit log and a key's history read as sentences in the reader's language; the recorded JSON
// is one click away; the action filter is a list of actions grouped by area.

test("audit entries read as sentences, with the recorded details behind a disclosure", async ({ asAdmin: page }) => {
  test.setTimeout(90_000);
  const name = `Sentences ${Date.now()}`;
  const key = await issueKey(page, { name, owner: "Dana Developer (dev@demo.local)" });
  const sentence = `Ada Admin issued ${name} for Dana Developer (Payments), 7 days`;

  await page.goto("/audit");
  const action = page.getByLabel("Action", { exact: true });
  await expect(action.locator("optgroup[label='API keys'] option", { hasText: "Key issued" })).toHaveCount(1);
  await action.selectOption({ label: "Key issued" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=keys\.issue/);
  const row = page.getByRole("row").filter({ hasText: sentence });
  await expect(row).toHaveCount(1);
  // Raw JSON only on request.
  const json = row.getByLabel("Recorded details (JSON)");
  await expect(json).toBeHidden();
  await row.getByText("Details", { exact: true }).click();
  await expect(json).toBeVisible();
  await expect(json).toContainText(`"iamUserName": "${key.iamUserName}"`);
  // Every row on the page is a sentence, none a bare code.
  await expect(page.getByRole("row").filter({ hasText: /^keys\.issue$/ })).toHaveCount(0);

  // The key's history says the same.
  await page.goto(`/keys/${key.keyId}`);
  await expect(page.getByText(sentence)).toBeVisible();

  // In Japanese too.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "ja", domain: new URL(page.url()).hostname, path: "/" }]);
  await page.goto("/audit?action=keys.issue");
  await expect(page.getByText(`Dana Developer (Payments) 用に ${name} を発行しました(7 日)`)).toBeVisible();
});

test("the key page shows its policy documents as formatted JSON beside the summary", async ({ asAdmin: page }) => {
  test.setTimeout(90_000);
  const key = await issueKey(page, { name: `Policies ${Date.now()}`, owner: "Dana Developer (dev@demo.local)" });
  await page.goto(`/keys/${key.keyId}`);
  const managed = page.getByRole("region", { name: "AmazonBedrockLimitedAccess (managed policy)" });
  await page.getByText("AmazonBedrockLimitedAccess (managed policy)").click();
  await expect(managed).toBeVisible();
  await expect(managed).toContainText('"Version": "2012-10-17"');
  await expect(managed).toContainText('"Effect": "Allow"');
});
