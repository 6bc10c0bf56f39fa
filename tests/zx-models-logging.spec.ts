/**
 * Models from AWS and invocation logging (issue 15) in the browser: an admin sees logging off in
 * a region, switches it on (log group, delivery role, metadata only) and sees it on; after the
 * models are read from AWS, the key form offers a global cross-region profile that only the
 * sandbox's AWS list has (the built-in fallback does not), legacy models flagged.
 */
import { BedrockClient, GetModelInvocationLoggingConfigurationCommand, PutModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

const OWN = "123456789012";
const GLOBAL_SONNET_45 = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";

test("an admin switches invocation logging on and the picker follows the models AWS lists", async ({ asAdmin: page }) => {
  test.setTimeout(60_000);
  // Before any read, the key form offers the built-in list: no global profiles.
  // networkidle: a filter typed before the form hydrates is emptied by hydration on a busy machine.
  await page.goto("/keys/new", { waitUntil: "networkidle" });
  const picker = page.getByRole("group", { name: "Allowed models and inference profiles" });
  await picker.getByPlaceholder("Filter models").fill("Sonnet 4.5");
  await expect(picker.getByText("No model matches the filter.")).toBeVisible();

  await page.goto("/accounts");
  const section = page.getByRole("region", { name: "Model invocation logging and models" });
  await section.getByRole("button", { name: "Check logging" }).click();
  const row = section.getByRole("region", { name: "Logging and models per region" }).getByRole("row").filter({ hasText: "us-east-1" }).filter({ hasText: OWN });
  await expect(row).toContainText("Off");
  await expect(row).toContainText("Nothing is logged.");
  await expect(row).toContainText("Not read yet: the built-in list is used.");
  await expectNoSeriousA11yViolations(page);

  await row.getByRole("button", { name: /^Switch on logging in .+, us-east-1$/ }).click();
  const dialog = page.getByRole("alertdialog", { name: "Switch on invocation logging in us-east-1?" });
  await expect(dialog).toContainText("metadata only");
  await dialog.getByRole("button", { name: "Switch on", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("On (CloudWatch Logs)");
  await expect(row).toContainText("/aws/bedrock/modelinvocations");
  await expect(row).toContainText(`arn:aws:iam::${OWN}:role/service-role/BedrockKeyConsoleInvocationLogging`);
  await expect(row.getByRole("button", { name: /Switch on/ })).toHaveCount(0);
  // The sandbox has it configured as the console said: CloudWatch Logs, metadata only.
  const groups = (await (await fetch(`${e2eEnv().sandboxUrl}/_sandbox/logs/groups?region=us-east-1`)).json()) as { logGroups: { logGroupName: string }[] };
  expect(groups.logGroups.map((g) => g.logGroupName)).toContain("/aws/bedrock/modelinvocations");

  await section.getByRole("button", { name: "Refresh models" }).click();
  await expect(row).toContainText(/\d+ models, \d+ inference profiles/);

  await page.goto("/keys/new");
  await picker.getByPlaceholder("Filter models").fill("Sonnet 4.5");
  const option = picker.getByRole("checkbox", { name: /Claude Sonnet 4\.5 \(Global cross-region\)/ });
  await expect(option).toBeVisible();
  await expect(picker.getByText(GLOBAL_SONNET_45, { exact: true })).toBeVisible();
  await picker.getByPlaceholder("Filter models").fill("Claude 3.5 Sonnet");
  await expect(picker.getByRole("checkbox", { name: /Claude 3\.5 Sonnet\s*legacy/ }).first()).toBeVisible();

  // Both changes are in the audit log as sentences.
  await page.goto("/audit?action=logging.enable");
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "switched on model invocation logging (metadata only)" }).first()).toBeVisible();
});

test("a region that logs prompts to S3 only: the warning, and CloudWatch Logs added with S3 kept only after confirming", async ({ asAdmin: page }) => {
  const bedrock = new BedrockClient({
    region: "us-west-2",
    endpoint: e2eEnv().sandboxUrl,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    maxAttempts: 1,
  });
  await bedrock.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: { s3Config: { bucketName: "compliance-archive" }, textDataDeliveryEnabled: true } }));

  await page.goto("/accounts");
  const section = page.getByRole("region", { name: "Model invocation logging and models" });
  await section.getByRole("button", { name: "Check logging" }).click();
  const row = section.getByRole("region", { name: "Logging and models per region" }).getByRole("row").filter({ hasText: "us-west-2" }).filter({ hasText: OWN });
  await expect(row).toContainText("S3 only");
  await expect(row).toContainText("compliance-archive");
  await expect(row.getByRole("status", { name: "Prompt text is logged" })).toContainText("The console never reads or stores it");

  await row.getByRole("button", { name: /^Switch on logging in .+, us-west-2$/ }).click();
  const dialog = page.getByRole("alertdialog", { name: "Switch on invocation logging in us-west-2?" });
  await expect(dialog).toContainText("already logs to the S3 bucket compliance-archive");
  // Cancelling changes nothing.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig?.cloudWatchConfig).toBeUndefined();

  await row.getByRole("button", { name: /^Switch on logging in .+, us-west-2$/ }).click();
  await dialog.getByRole("button", { name: "Add CloudWatch Logs, keep S3" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("On (CloudWatch Logs)");
  await expect(row).toContainText("compliance-archive");
  await expect(row.getByRole("status", { name: "Prompt text is logged" })).toHaveCount(0);
  const config = (await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig;
  expect(config).toMatchObject({ s3Config: { bucketName: "compliance-archive" }, cloudWatchConfig: { logGroupName: "/aws/bedrock/modelinvocations" }, textDataDeliveryEnabled: false });
  bedrock.destroy();
});
