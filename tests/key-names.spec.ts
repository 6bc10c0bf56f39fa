import { CreateServiceSpecificCredentialCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { e2eEnv, expect, test } from "./support/fixtures";
import { issueKey, recordSecret, sandboxUserNames } from "./support/key-journeys";

// Key names identify keys in the inventory, the usage filter and the delete confirmation: a name
// a current key already has is refused (ignoring case), and the form states the whole rule first.

test("the issue form states the name rule and which end wins, and refuses a name already taken", async ({ asAdmin: page, request }) => {
  test.setTimeout(90_000);
  const name = `nc-review-${Date.now()}`;
  await issueKey(page, { name, owner: "Dana Developer (dev@demo.local)" });

  await page.goto("/keys/new");
  const nameField = page.getByLabel("Name", { exact: true });
  // The rule, before anything is submitted.
  await expect(page.getByText("Starts with a letter or digit; then letters, digits, spaces and _ . : / = + - @; at most 64 characters.", { exact: false })).toBeVisible();
  await nameField.fill("-starts-with-a-dash");
  await expect(page.getByText("Start with a letter or digit, and use only letters, digits, spaces and _ . : / = + - @.")).toBeVisible();
  // The two expiry ideas are explained, and the summary says which one ends the key.
  await expect(page.getByText(/whichever comes first wins/)).toBeVisible();
  await page.getByLabel("Not after").fill("2030-01-15");
  await page.getByText("Never", { exact: true }).click();
  await expect(page.getByText(/by the “Not after” date, before the expiry/)).toBeVisible();

  const usersBefore = await sandboxUserNames(request);
  await nameField.fill(name.toUpperCase());
  await page.getByLabel("Not after").fill("");
  await page.getByLabel("Purpose", { exact: true }).fill("duplicate");
  await page.getByLabel("Owner", { exact: true }).selectOption({ label: "Dana Developer (dev@demo.local)" });
  await page.getByText("7 days", { exact: true }).click();
  await page.getByRole("button", { name: "Issue key" }).click();
  await expect(page.getByText(`A current key is already named “${name.toUpperCase()}” (names are compared ignoring case). Choose another name.`)).toBeVisible();
  await expect(nameField).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("heading", { name: /issued/ })).toHaveCount(0);
  expect(await sandboxUserNames(request)).toEqual(usersBefore);
});

test("two keys made outside the console with one name are told apart, and adopting one under that name is refused", async ({ asAdmin: page }) => {
  test.setTimeout(90_000);
  // One IAM user with two Bedrock API keys, made straight in IAM: the inventory names both after the user.
  const userName = `twins-${Date.now()}`;
  const iam = new IAMClient({
    endpoint: e2eEnv().sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const made = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com" }));
    recordSecret(made.ServiceSpecificCredential?.ServiceCredentialSecret ?? "");
    ids.push(made.ServiceSpecificCredential!.ServiceSpecificCredentialId!);
  }
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });

  await page.goto("/keys");
  await page.getByRole("button", { name: "Refresh from AWS" }).click();
  await expect(page.getByText("Inventory refreshed from AWS")).toBeVisible({ timeout: 20_000 });
  await page.goto(`/keys?managed=unmanaged&q=${userName}`);
  const rows = page.getByRole("row", { name: new RegExp(userName) });
  await expect(rows).toHaveCount(2);
  for (const id of ids) await expect(rows.filter({ hasText: `same name as another key · ID …${id.slice(-6)}` })).toHaveCount(1);

  await rows.first().getByRole("button", { name: /^Actions for / }).click();
  await page.getByRole("menuitem", { name: "Adopt…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Adopt/ });
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(userName);
  await dialog.getByLabel("Owner", { exact: true }).selectOption({ label: "Riku Researcher (researcher@demo.local)" });
  await dialog.getByRole("button", { name: "Adopt key" }).click();
  await expect(dialog.getByText(`A current key is already named “${userName}” (names are compared ignoring case). Choose another name.`)).toBeVisible();
  await dialog.getByLabel("Name", { exact: true }).fill(`${userName} laptop`);
  await dialog.getByRole("button", { name: "Adopt key" }).click();
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});
