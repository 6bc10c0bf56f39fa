import { expect, test } from "./support/fixtures";
import { issueKey, sandboxUserNames } from "./support/key-journeys";

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
