import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { expectKeyRejected, expectKeyWorks, generateShortTerm, issueKey } from "./support/key-journeys";

// The key inspector (incident response): paste a leaked key, see what it is, contain it in one
// click. The pasted key leaves the page's state and URL as soon as it is submitted.

async function inspect(page: Page, pasted: string) {
  await page.goto("/inspect");
  const area = page.getByRole("textbox", { name: "Bedrock API key" });
  await area.fill(pasted);
  await page.getByRole("button", { name: "Inspect" }).click();
  await expect(area).toHaveValue("");
  expect(page.url()).not.toContain(pasted.slice(4, 24));
}

test("a pasted long-term key shows its IAM user and key, and can be disabled from there", async ({ asAdmin: page, request }) => {
  const key = await issueKey(page, { name: `Leaked ${Date.now()}`, owner: "Dana Developer (dev@demo.local)" });
  await expectKeyWorks(request, key.secret);

  // Pasted the way people find keys: in an env file line.
  await inspect(page, `AWS_BEARER_TOKEN_BEDROCK=${key.secret}`);
  await expect(page.getByRole("heading", { name: "Long-term API key" })).toBeVisible();
  await expect(page.getByText(key.iamUserName, { exact: true })).toBeVisible();
  await expect(page.getByText("123456789012", { exact: true })).toBeVisible();
  await expect(page.getByText("This AWS account")).toBeVisible();
  await expect(page.getByRole("link", { name: key.name })).toHaveAttribute("href", `/keys/${key.keyId}`);
  await expect(page.getByText("Dana Developer (dev@demo.local) · Payments")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Disable this key" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable key" }).click();
  await expect(page.getByText("Disabled: calls with it now fail.")).toBeVisible();
  await expectKeyRejected(request, key.secret);
});

test("a pasted short-term key shows the person and region, and their keys can be revoked", async ({ asDeveloper: dev, asAdmin: page, request }) => {
  const token = await generateShortTerm(dev);
  await inspect(page, `Bearer ${token}`);
  await expect(page.getByRole("heading", { name: "Short-term API key" })).toBeVisible();
  await expect(page.getByText("us-east-1", { exact: true })).toBeVisible();
  await expect(page.getByText("Dana Developer (dev@demo.local)")).toBeVisible();
  await expect(page.getByText("Temporary credentials (a role session)")).toBeVisible();
  await expect(page.getByText(/^ASIA/)).toBeVisible();

  await page.getByRole("button", { name: "Revoke Dana Developer's short-term keys" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke keys" }).click();
  await expect(page.getByText("Dana Developer's short-term keys are revoked: this key no longer works.")).toBeVisible({ timeout: 20_000 });
  await expectKeyRejected(request, token, /not authorized|explicit deny/);
});

test("garbage gets a clear message", async ({ asLead: page }) => {
  await inspect(page, "hello, this is not a key");
  await expect(page.getByText("This is not a Bedrock API key the inspector can read.")).toBeVisible();
  await expect(page.getByText(/long-term keys start with ABSK, short-term keys with bedrock-api-key-/)).toBeVisible();
  await inspect(page, "ABSK!!!not-base64!!!");
  await expect(page.getByText(/The key is damaged/)).toBeVisible();
});
