import { CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { sandboxUserNames } from "./support/key-journeys";

// An IAM user the console made that holds no key any more (a clean-up that did not finish):
// a refresh finds it, the inventory shows it as "Clean-up pending", and an admin deletes it.

test("a console-made user left without a key shows as clean-up pending and is deleted on retry", async ({ asAdmin: page, request }) => {
  const userName = `BedrockAPIKey-orphan-${Date.now()}`;
  const iam = new IAMClient({
    endpoint: e2eEnv().sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  await iam.send(new CreateUserCommand({ UserName: userName, Path: "/bedrock-key-console/" }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "BedrockKeyConsoleRestrictions", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) }));

  await page.goto("/keys");
  await page.getByRole("button", { name: "Refresh from AWS" }).click();
  await expect(page.getByText("Inventory refreshed from AWS")).toBeVisible({ timeout: 20_000 });
  await page.reload();
  const section = page.getByRole("region", { name: "Clean-up pending" });
  const row = section.getByRole("row", { name: new RegExp(userName) });
  await expect(row).toContainText("Found without a key by a refresh");
  await expectNoSeriousA11yViolations(page);

  await row.getByRole("button", { name: "Retry clean-up" }).click();
  await expect(page.getByText(`IAM user ${userName} deleted.`)).toBeVisible({ timeout: 20_000 });
  await expect(section.getByRole("row", { name: new RegExp(userName) })).toHaveCount(0);
  expect(await sandboxUserNames(request)).not.toContain(userName);
});
