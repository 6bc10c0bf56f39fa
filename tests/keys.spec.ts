import { readFileSync } from "node:fs";
import { CreateServiceSpecificCredentialCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import {
  AUTH_FAILED,
  expectKeyRejected,
  expectKeyWorks,
  finishReveal,
  issueKey,
  readRevealedSecret,
  recordSecret,
  rowAction,
  sandboxUserNames,
} from "./support/key-journeys";

// The long-term key lifecycle as an admin lives it, with the key checked against the sandbox's
// Bedrock runtime at every step: issue → reveal once → works → disable → fails → enable → works
// → reset (old fails, new works) → disable → delete (IAM user gone).

test("an admin issues a key, sees it once, and takes it through its whole life", async ({ asAdmin: page, request }) => {
  test.setTimeout(120_000);
  const name = `Checkout ${Date.now()}`;

  await page.goto("/keys/new");
  await expect(page.getByRole("heading", { level: 1, name: "Issue an API key" })).toBeVisible();
  // Instant CIDR feedback from the same parser the server uses.
  const ranges = page.getByLabel("Allowed source IP ranges");
  await ranges.fill("10.0.0.1/8");
  await expect(page.getByText("Host bits are set. Did you mean 10.0.0.0/8?")).toBeVisible();
  await ranges.fill("");
  await page.getByText("Never", { exact: true }).click();
  await expect(page.getByText(/A key that never expires works until someone disables/)).toBeVisible();

  const issued = await issueKey(page, { name, owner: "Dana Developer (dev@demo.local)", stay: true });
  const { secret, iamUserName } = issued;
  expect(iamUserName).toMatch(/^BedrockAPIKey-checkout-\d+-[a-z0-9]{4}$/);

  // The reveal: a warning that this is the only time, masked until asked, copy, CSV, snippets.
  await expect(page.getByText("This is the only time you will see this key.")).toBeVisible();
  await page.getByRole("button", { name: "Hide key" }).click();
  await expect(page.getByTestId("revealed-secret")).toHaveText(/^ABSK•+$/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("bedrock-long-term-api-key.csv");
  expect(readFileSync(await download.path(), "utf8")).toBe(`API key name,API key\r\n${iamUserName},${secret}\r\n`);

  const env = page.getByRole("tabpanel", { name: ".env.local" });
  await expect(env).toContainText("AWS_BEARER_TOKEN_BEDROCK=ABSK••••");
  await expect(env).toContainText("AWS_REGION=us-east-1");
  await expect(env).toContainText("BEDROCK_MODEL_ID=us.anthropic.claude-3-5-haiku-20241022-v1:0");
  await page.getByRole("tab", { name: "Python (boto3)" }).click();
  await expect(page.getByRole("tabpanel", { name: "Python (boto3)" })).toContainText("client.converse(");
  await expect(page.getByRole("tabpanel", { name: "Python (boto3)" })).not.toContainText(secret);
  // The SDK doors (issue 19): OpenAI SDK on bedrock-runtime's /openai/v1, Anthropic SDK on bedrock-mantle.
  await page.getByRole("tab", { name: "OpenAI SDK (Python)" }).click();
  const openaiPy = page.getByRole("tabpanel", { name: "OpenAI SDK (Python)" });
  await expect(openaiPy).toContainText('base_url="https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1"');
  await expect(openaiPy).toContainText('api_key=os.environ["AWS_BEARER_TOKEN_BEDROCK"]');
  await expect(openaiPy).not.toContainText(secret);
  await page.getByRole("tab", { name: "Anthropic SDK (TypeScript)" }).click();
  const anthropicTs = page.getByRole("tabpanel", { name: "Anthropic SDK (TypeScript)" });
  await expect(anthropicTs).toContainText('baseURL: "https://bedrock-mantle.us-east-1.api.aws/anthropic"');
  await expect(anthropicTs).toContainText('model: "anthropic.claude-3-5-haiku-20241022-v1:0"');
  await expect(anthropicTs).toContainText("the key's model restrictions apply there too");
  await expect(anthropicTs).not.toContainText(secret);

  // Leaving through a link asks first; staying keeps the key on screen.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByRole("navigation", { name: "Main navigation" }).first().getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/keys\/new$/);
  await expect(page.getByRole("button", { name: "Done" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);

  // The key works against the Bedrock runtime.
  await expectKeyWorks(request, secret);

  await finishReveal(page);
  await expect(page.getByTestId("revealed-secret")).toHaveCount(0);
  // Dropped for good: not in the page any more, nor in the URL or browser storage.
  expect(await page.content()).not.toContain(secret);
  expect(page.url()).not.toContain(secret);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain(secret.slice(4));
  await page.getByRole("link", { name: "Open the key's page" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("may call any model its policies allow")).toBeVisible();
  await expect(page.getByText("AmazonBedrockLimitedAccess", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "History" }).getByText("keys.issue")).toBeVisible();

  // Disable → AWS's own refusal; enable → works again.
  await page.getByRole("button", { name: "Disable", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable key" }).click();
  await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();
  await expect(page.getByText("Inactive", { exact: true }).first()).toBeVisible();
  await expectKeyRejected(request, secret, AUTH_FAILED);

  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Enable key" }).click();
  await expect(page.getByRole("button", { name: "Disable", exact: true })).toBeVisible();
  await expectKeyWorks(request, secret);

  // Reset from the inventory's row menu: a new secret, shown once; the old one stops at once.
  await rowAction(page, name, "Reset…");
  await page.getByRole("alertdialog").getByRole("button", { name: "Reset key" }).click();
  const resetDialog = page.getByRole("dialog", { name: `New secret for “${name}”` });
  await expect(resetDialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(resetDialog.getByRole("status", { name: "Confirm first" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const newSecret = await readRevealedSecret(page);
  expect(newSecret).not.toBe(secret);
  await expectKeyRejected(request, secret);
  await expectKeyWorks(request, newSecret);
  await finishReveal(page);
  await expect(resetDialog).toBeHidden();

  // Delete needs the key disabled first: the menu says so.
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await expect(page.getByRole("menuitem", { name: /Delete…/ })).toHaveAttribute("aria-disabled", "true");
  await page.getByRole("menuitem", { name: "Disable", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable key" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Inactive");
  await expectKeyRejected(request, newSecret);

  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: /Delete…/ }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete “${name}”?` });
  await expect(confirm).toContainText(`The IAM user ${iamUserName} that the console created for this key is removed too`);
  await expect(confirm.getByRole("button", { name: "Delete key" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);
  await confirm.getByRole("textbox").fill(name);
  await confirm.getByRole("button", { name: "Delete key" }).click();
  await expect(page.getByText(`“${name}” is deleted, and so is the IAM user ${iamUserName}.`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);

  // Gone in IAM too, and the key stays refused.
  expect(await sandboxUserNames(request)).not.toContain(iamUserName);
  await expectKeyRejected(request, newSecret);
  // Still findable (with its history) among removed keys.
  await page.goto(`/keys?presence=removed&q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Deleted");
});

test("the inventory filters, sorts and exports through the URL", async ({ asAdmin: page }) => {
  const name = `Ledger ${Date.now()}`;
  await issueKey(page, { name, owner: "Riku Researcher (researcher@demo.local)", expiry: "1 day" });
  await page.goto("/keys");
  await page.getByRole("searchbox", { name: "Search" }).fill(name);
  await expect(page).toHaveURL(/[?&]q=Ledger/);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Riku Researcher");
  await expect(row).toContainText("Research");
  await expect(row).toContainText(/in (1 day|24 hours)/);
  await expect(row).toContainText("Managed");

  await page.getByLabel("Expires").selectOption({ label: "Within 7 days" });
  await expect(page).toHaveURL(/expiringWithinDays=7/);
  await expect(row).toBeVisible();
  await page.getByLabel("Status").selectOption({ label: "Inactive" });
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/keys$/);

  await page.getByRole("button", { name: "Name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");

  const csv = await page.request.get(`/keys/export?q=${encodeURIComponent(name)}`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("name,iam_user,credential_id,owner,team,status,managed,state,created,expires,last_used,purpose,account_id,account");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${name},BedrockAPIKey-ledger-`);

  // Refresh from AWS: the same keys are found again, nothing new.
  await page.getByRole("button", { name: "Refresh from AWS" }).click();
  await expect(page.getByText("Inventory refreshed from AWS")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Last refreshed/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a key made outside the console shows up as unmanaged and can be adopted", async ({ asAdmin: page }) => {
  // Made the way someone would in the AWS console: a user and a Bedrock API key, straight in IAM.
  const userName = `outside-${Date.now()}`;
  const iam = new IAMClient({
    endpoint: e2eEnv().sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const made = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com" }));
  recordSecret(made.ServiceSpecificCredential?.ServiceCredentialSecret ?? "");

  await page.goto("/keys");
  await page.getByRole("button", { name: "Refresh from AWS" }).click();
  await expect(page.getByText("Inventory refreshed from AWS")).toBeVisible({ timeout: 20_000 });
  await page.goto(`/keys?managed=unmanaged&q=${userName}`);
  const row = page.getByRole("row", { name: new RegExp(userName) });
  await expect(row).toContainText("Unmanaged");
  await expect(row).toContainText("No owner");

  await row.getByRole("button", { name: /^Actions for / }).click();
  await page.getByRole("menuitem", { name: "Adopt…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Adopt/ });
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Name", { exact: true }).fill(`Adopted ${userName}`);
  await dialog.getByLabel("Owner", { exact: true }).selectOption({ label: "Riku Researcher (researcher@demo.local)" });
  await expect(dialog.getByLabel("Team", { exact: true })).toHaveValue(/.+/);
  await dialog.getByLabel("Purpose", { exact: true }).fill("found in the AWS console");
  await dialog.getByRole("button", { name: "Adopt key" }).click();
  await expect(dialog).toBeHidden();
  await page.goto(`/keys?q=${userName}`);
  const adopted = page.getByRole("row", { name: new RegExp(`Adopted ${userName}`) });
  await expect(adopted).toContainText("Managed");
  await expect(adopted).not.toContainText("Unmanaged");
  await expect(adopted).toContainText("Riku Researcher");
  await expect(adopted).toContainText("Research");
});
