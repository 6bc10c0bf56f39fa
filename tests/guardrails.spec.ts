/**
 * Guardrails in AWS (issue 16): an admin sets a maximum key age, opens Settings → Guardrails, sees
 * each SCP statement explained, downloads the SCP as JSON (its content checked), copies it as
 * Terraform, and finds a broken admin-added statement refused before any download. Developers get
 * a 404. The policy goes back to no maximum at the end, so other journeys see it unchanged.
 */
import { readFile } from "node:fs/promises";
import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

test("an admin generates the guardrails, downloads the SCP and copies its Terraform", async ({ asAdmin: admin, asDeveloper }) => {
  await admin.goto("/settings");
  await admin.getByLabel("Maximum key age (days)", { exact: true }).fill("60");
  await admin.getByLabel("Default expiry (days)", { exact: true }).fill("30");
  await admin.getByRole("button", { name: "Save policy" }).click();
  await expect(admin.getByText("Policy saved.")).toBeVisible();
  try {
    await admin.getByRole("link", { name: "Guardrails in AWS" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "Guardrails in AWS" })).toBeVisible();
    await expect(admin.getByText("60 days", { exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(admin);

    const scp = admin.locator("section", { has: admin.getByRole("heading", { name: /^Service control policy/ }) });
    const statements = scp.getByRole("list", { name: /What each statement does/ });
    await expect(statements.getByText(/Refuses creating a Bedrock API key with no expiry\..*\(Null\)/)).toBeVisible();
    await expect(statements.getByText("Refuses creating a Bedrock API key that lives longer than 60 days, the key policy's maximum.")).toBeVisible();
    await expect(statements.getByText(/Refuses using any Bedrock API key \(long- or short-term\) outside .*us-east-1.*, on the Bedrock runtime and on bedrock-mantle/)).toBeVisible();

    // Download the JSON and check what AWS will get.
    const downloading = admin.waitForEvent("download");
    await scp.getByRole("button", { name: "Download JSON" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("bedrock-key-guardrails-scp.json");
    const doc = JSON.parse(await readFile((await download.path())!, "utf8")) as { Version: string; Statement: { Sid: string; Effect: string; Action: string | string[]; Condition: Record<string, Record<string, unknown>> }[] };
    expect(doc.Version).toBe("2012-10-17");
    const sid = (s: string) => doc.Statement.find((x) => x.Sid === s)!;
    expect(sid("DenyBedrockKeysWithoutExpiry").Condition.Null).toEqual({ "iam:ServiceSpecificCredentialAgeDays": "true" });
    expect(sid("DenyBedrockKeysOverMaxAge").Condition.NumericGreaterThan).toEqual({ "iam:ServiceSpecificCredentialAgeDays": "60" });
    expect(sid("DenyBearerTokenCallsOutsideRegions").Action).toEqual(["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"]);
    expect(sid("DenyBearerTokenCallsOutsideRegions").Condition.StringNotEquals!["aws:RequestedRegion"]).toEqual(expect.arrayContaining(["us-east-1", "us-west-2", "eu-central-1"]));
    expect(doc.Statement.every((s) => s.Effect === "Deny")).toBe(true);
    await expect(admin.getByText("Downloaded bedrock-key-guardrails-scp.json")).toBeVisible();

    // Copy as Terraform.
    await admin.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await scp.getByRole("button", { name: "Copy Terraform" }).click();
    await expect(admin.getByText("Terraform copied to the clipboard")).toBeVisible();
    const tf = await admin.evaluate(() => navigator.clipboard.readText());
    expect(tf).toContain('resource "aws_organizations_policy" "bedrock_key_guardrails" {');
    expect(tf).toContain('type        = "SERVICE_CONTROL_POLICY"');
    expect(tf).toContain("content = jsonencode({");
    expect(tf).toContain('"iam:ServiceSpecificCredentialAgeDays" = "60"');

    // A broken admin-added statement: refused before download, with the reason.
    await admin.getByLabel(/Additional SCP statements/).fill('{"Sid":"Mine","Effect":"Deny","Action":"s3:*",');
    await admin.getByRole("button", { name: "Regenerate" }).click();
    await expect(scp.getByRole("alert", { name: "This policy cannot be handed out" })).toContainText("The additional statements are not valid JSON");
    await expect(scp.getByRole("button", { name: "Download JSON" })).toBeDisabled();
    await expect(scp.getByRole("button", { name: "Copy Terraform" })).toBeDisabled();

    // The hand-outs are in the audit log.
    await admin.goto("/audit");
    await expect(admin.getByText(/got the service control policy as JSON/).first()).toBeVisible();
    await expect(admin.getByText(/got the service control policy as Terraform/).first()).toBeVisible();

    // Admins only, checked on the server.
    const res = await asDeveloper.goto("/settings/guardrails");
    expect(res?.status()).toBe(404);
  } finally {
    await admin.goto("/settings");
    await admin.getByLabel("Maximum key age (days)", { exact: true }).fill("");
    await admin.getByRole("button", { name: "Save policy" }).click();
    await expect(admin.getByText("Policy saved.")).toBeVisible();
  }
});
