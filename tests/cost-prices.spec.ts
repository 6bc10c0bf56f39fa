/**
 * Settings → Prices (issue 15): an admin sees AWS's list prices with their date, a bad price is
 * refused with a clear message and nothing saved, an override shows as the price in force (AWS's
 * row marked overridden), and reverting brings AWS's price back. "Sync now" also reads the model
 * invocation logs: with logging on in the sandbox, the run has an entry per region for them.
 */
import { BedrockClient, DeleteModelInvocationLoggingConfigurationCommand, GetModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { e2eEnv, expect, test } from "./support/fixtures";
import { syncNow } from "./support/usage-sync";

const MODEL = "amazon.nova-micro-v1:0";

test("an admin overrides a model's price, sees it in force, has bad input refused, and reverts it", async ({ asAdmin: admin }) => {
  await admin.goto("/settings");
  const section = admin.locator("section", { has: admin.getByRole("heading", { name: "Prices", exact: true }) });
  await expect(section.getByText(/AWS's list price as of \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expect(section.getByText("Provisioned throughput, batch inference and Marketplace models are not billed per on-demand token", { exact: false })).toBeVisible();
  const awsRow = section.getByTestId("price-row").filter({ hasText: MODEL });
  await expect(awsRow).toHaveCount(1);
  await expect(awsRow).toContainText("$0.035");
  await expect(awsRow).toContainText("$0.14");
  await expect(awsRow).toContainText(/AWS, \d{4}-\d{2}-\d{2}/);

  // Bad input: a negative price, and an absurd one — refused on the field, nothing saved.
  const form = section.locator("form");
  await form.getByLabel("Model", { exact: true }).fill(MODEL);
  await form.getByLabel("Input", { exact: true }).fill("-1");
  await form.getByLabel("Output", { exact: true }).fill("50000");
  await form.getByRole("button", { name: "Set price" }).click();
  await expect(form.getByText("Enter a price from 0 to 1000 USD per million tokens.")).toHaveCount(2);
  await admin.reload();
  await expect(section.getByRole("button", { name: /Revert to AWS's price/ })).toHaveCount(0);

  // The override: in force for every region, AWS's row marked as overridden.
  await form.getByLabel("Model", { exact: true }).fill(MODEL);
  await form.getByLabel("Region", { exact: true }).selectOption({ label: "All regions" });
  await form.getByLabel("Input", { exact: true }).fill("0.02");
  await form.getByLabel("Output", { exact: true }).fill("0.1");
  await form.getByLabel("Cache read", { exact: true }).fill("0.005");
  await form.getByLabel("Note", { exact: true }).fill("Private pricing 2026");
  await form.getByRole("button", { name: "Set price" }).click();
  await expect(admin.getByText("Price set: new calls are costed with it.")).toBeVisible();
  const rows = section.getByTestId("price-row").filter({ hasText: MODEL });
  await expect(rows).toHaveCount(2);
  const override = rows.filter({ hasText: "Private pricing 2026" });
  await expect(override).toContainText("$0.02");
  await expect(override).toContainText("$0.1");
  await expect(override).toContainText("Override");
  await expect(override).toContainText("admin@demo.local");
  await expect(rows.filter({ hasText: "(overridden)" })).toHaveCount(1);

  // Audited with the price before and after.
  await admin.goto("/audit?action=prices.override");
  await expect(admin.getByText(MODEL).first()).toBeVisible();

  // Revert: AWS's price is the only one again.
  await admin.goto("/settings");
  await section.getByRole("button", { name: `Revert to AWS's price: ${MODEL} (All regions)` }).click();
  await expect(admin.getByText("The override is gone")).toBeVisible();
  await expect(section.getByTestId("price-row").filter({ hasText: MODEL })).toHaveCount(1);
  await expect(section.getByText("(overridden)")).toHaveCount(0);
});

test("Sync now also reads the model invocation logs where logging is on", async ({ asAdmin: admin }) => {
  const res = await fetch(`${e2eEnv().sandboxUrl}/_sandbox/bedrock/logging`, { method: "POST", body: JSON.stringify({ region: "us-east-1" }), headers: { "content-type": "application/json" } });
  expect(res.ok).toBe(true);
  const run = await syncNow(admin);
  const logs = run.regions.filter((r) => r.source === "logs");
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.every((r) => !r.error)).toBe(true);
  // Leave the shared sandbox as found: later journeys switch logging on themselves (zx-models-logging).
  const bedrock = new BedrockClient({ region: "us-east-1", endpoint: e2eEnv().sandboxUrl, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, maxAttempts: 1 });
  await bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
  expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();
});
