/**
 * Many AWS accounts in the browser (issue 14), with the sandbox's organisation: an admin adds a
 * member account (the console assumes its member role, deployed from the docs' template, with its
 * ExternalId), issues a key in it and sees its usage; a lead sees their team's keys in both
 * accounts and nothing else. Named to run after the other journeys (a second account adds the
 * account column and choices they do not expect).
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { memberRoleFromTemplate } from "@/lib/accounts/member-template";
import { e2eEnv, expect, test } from "./support/fixtures";
import { issueKey } from "./support/key-journeys";

const STAGING = "222233334444";
const EXTERNAL_ID = "e2e-staging-ext-4d1";
const LIVE_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const stamp = Date.now();

test.beforeAll(async ({ request }) => {
  const made = await request.post(`${e2eEnv().sandboxUrl}/_sandbox/accounts`, { data: { id: STAGING, name: "Staging" } });
  expect(made.ok()).toBe(true);
  const admin = (await made.json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  const iam = new IAMClient({ endpoint: e2eEnv().sandboxUrl, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: admin.adminAccessKeyId, secretAccessKey: admin.adminSecretAccessKey } });
  // What the StackSet deploys in a member account: the template's own documents.
  const role = memberRoleFromTemplate({ accountId: STAGING, consoleRoleArn: "arn:aws:iam::123456789012:root", externalId: EXTERNAL_ID });
  await iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
  for (const p of role.policies) await iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
});

test("an admin adds a member account, issues a key in it and sees its usage; a lead sees their team's keys in both accounts only", async ({ asAdmin: admin, asLead: lead, request }) => {
  test.setTimeout(180_000);
  await admin.goto("/accounts");
  await admin.getByRole("button", { name: "Add account" }).click();
  const dialog = admin.getByRole("dialog", { name: "Add an AWS account" });
  await dialog.getByLabel("Account id").fill(STAGING);
  await dialog.getByLabel("Name", { exact: true }).fill("Staging");
  await dialog.getByLabel("Role to assume").fill(`arn:aws:iam::${STAGING}:role/BedrockKeyConsoleMember`);
  await dialog.getByLabel("ExternalId").fill(EXTERNAL_ID);
  await dialog.getByLabel("Regions").fill("us-east-1");
  await dialog.getByRole("button", { name: "Check and add" }).click();
  await expect(admin.getByText(`Account ${STAGING} added.`)).toBeVisible();
  const row = admin.getByRole("region", { name: "Registered accounts" }).getByRole("row").filter({ hasText: STAGING });
  await expect(row).toContainText("Staging");
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Failing");

  // Keys: one in Staging and one in the own account for Payments, one in Staging for Research.
  const staging = await issueKey(admin, { name: `Staging checkout ${stamp}`, owner: "Dana Developer (dev@demo.local)", account: `Staging (${STAGING})` });
  const research = await issueKey(admin, { name: `Staging research ${stamp}`, owner: "Riku Researcher (researcher@demo.local)", account: `Staging (${STAGING})` });
  const own = await issueKey(admin, { name: `Production checkout ${stamp}`, owner: "Dana Developer (dev@demo.local)" });
  expect(staging.iamUserName).toMatch(/^BedrockAPIKey-/);

  // The Staging key works and its call is recorded in Staging's CloudTrail; Sync now reads it.
  const call = await request.post(`${e2eEnv().sandboxUrl}/bedrock-runtime/us-east-1/model/${encodeURIComponent(LIVE_MODEL)}/converse`, {
    headers: { Authorization: `Bearer ${staging.secret}`, "Content-Type": "application/json" },
    data: { messages: [{ role: "user", content: [{ text: "Hello from staging" }] }] },
  });
  expect(call.status()).toBe(200);
  await admin.goto("/usage");
  await admin.getByRole("button", { name: "Sync now" }).click();
  await expect(admin.getByRole("status", { name: "Result of the last sync" })).toHaveText(/new calls?|Nothing new/, { timeout: 90_000 });
  await admin.goto(`/keys?q=${encodeURIComponent(`Staging checkout ${stamp}`)}`);
  const keyRow = admin.getByRole("row").filter({ hasText: `Staging checkout ${stamp}` });
  await expect(keyRow).toContainText("Staging");
  await expect(keyRow).toContainText(STAGING);
  await expect.poll(async () => {
    await admin.reload();
    return (await keyRow.innerText()).includes("Never");
  }, { timeout: 60_000 }).toBe(false);

  // The account filter narrows the inventory to one account.
  await admin.goto(`/keys?accountId=${STAGING}`);
  await expect(admin.getByRole("row").filter({ hasText: `Production checkout ${stamp}` })).toHaveCount(0);
  await expect(admin.getByRole("row").filter({ hasText: `Staging research ${stamp}` })).toHaveCount(1);

  // The lead of Payments: their team's keys in both accounts, not Research's.
  await lead.goto(`/keys?q=${stamp}`);
  await expect(lead.getByRole("row").filter({ hasText: `Staging checkout ${stamp}` })).toContainText("Staging");
  await expect(lead.getByRole("row").filter({ hasText: `Production checkout ${stamp}` })).toHaveCount(1);
  await expect(lead.getByRole("row").filter({ hasText: `Staging research ${stamp}` })).toHaveCount(0);
  expect(research.keyId).not.toBe("");
  expect(own.keyId).not.toBe("");
});
