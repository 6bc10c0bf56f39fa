import { CreateAccessKeyCommand, CreateServiceSpecificCredentialCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { sandboxUserNames } from "./support/key-journeys";

// /posture (issue 16): risky keys made outside the console are found by "Evaluate now"; an admin
// deletes an orphaned key user in one click and accepts a never-expiring key's risk for a while;
// a lead sees none of it (the keys have no team).

function sandboxIam() {
  return new IAMClient({
    endpoint: e2eEnv().sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
}

test("posture: evaluate, fix an orphan, accept a risk; a lead sees only their teams", async ({ asAdmin: page, asLead: leadPage, request }) => {
  // A whole journey (an evaluation of the account, a fix in IAM, an acceptance, a second role).
  test.setTimeout(120_000);
  const stamp = Date.now();
  const orphan = `BedrockAPIKey-e2e-left-${stamp}`;
  const forever = `BedrockAPIKey-e2e-forever-${stamp}`;
  const iam = sandboxIam();
  await iam.send(new CreateUserCommand({ UserName: orphan }));
  await iam.send(new CreateUserCommand({ UserName: forever }));
  await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: forever, ServiceName: "bedrock.amazonaws.com" }));
  await iam.send(new CreateAccessKeyCommand({ UserName: forever }));

  await page.goto("/posture");
  await page.getByRole("button", { name: "Evaluate now" }).click();
  await expect(page.getByText("Evaluation finished")).toBeVisible({ timeout: 30_000 });
  await page.reload();

  const orphans = page.getByRole("region", { name: "Orphaned key users" });
  await expect(orphans.getByRole("row", { name: new RegExp(orphan) })).toBeVisible();
  const neverExpiring = page.getByRole("region", { name: "Keys that never expire" });
  await expect(neverExpiring.getByRole("row", { name: new RegExp(forever) })).toBeVisible();
  const pivots = page.getByRole("region", { name: "Key users with other ways in" });
  await expect(pivots.getByRole("row", { name: new RegExp(forever) })).toContainText("1 access key");
  await expectNoSeriousA11yViolations(page);

  // Fix: delete the orphaned user (confirmed first).
  await orphans.getByRole("row", { name: new RegExp(orphan) }).getByRole("button", { name: "Delete IAM user" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(orphan);
  await confirm.getByRole("button", { name: "Delete IAM user" }).click();
  await expect(page.getByText("Fixed. The next evaluation confirms it.")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("row", { name: new RegExp(orphan) })).toHaveCount(0);
  expect(await sandboxUserNames(request)).not.toContain(orphan);

  // Accept: the never-expiring key, with a reason, until the default date (30 days).
  await neverExpiring.getByRole("row", { name: new RegExp(forever) }).getByRole("button", { name: "Accept risk" }).click();
  const dialog = page.getByRole("dialog", { name: "Accept this risk" });
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog.getByText("Some fields need attention.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Legacy batch job, replaced next month");
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(page.getByText(/Risk accepted until \d{4}-\d{2}-\d{2}\./)).toBeVisible({ timeout: 20_000 });
  const accepted = page.getByRole("region", { name: "Accepted risks" });
  await expect(accepted.getByRole("row", { name: new RegExp(forever) })).toContainText("Legacy batch job, replaced next month");
  await expect(page.getByRole("region", { name: "Keys that never expire" }).getByRole("row", { name: new RegExp(forever) })).toHaveCount(0);

  // The lead's view: these keys belong to no team, so nothing of them is shown or actionable.
  await leadPage.goto("/posture");
  await expect(leadPage.getByRole("heading", { name: "Posture", level: 1 })).toBeVisible();
  await expect(leadPage.getByText(forever)).toHaveCount(0);
  await expect(leadPage.getByRole("button", { name: "Save" })).toHaveCount(0);
});
