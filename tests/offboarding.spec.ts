import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import { expectKeyRejected, expectKeyWorks, issueKey } from "./support/key-journeys";
import { createUser } from "./support/users";

// Offboarding (issue 16) as an admin lives it: a leaver with two keys and a pending request is
// deactivated from the Users page in one dialog — keys handed to a colleague and disabled, the
// request cancelled, short-term keys revoked — and the result lists every item.

async function requestKey(page: Page, keyName: string): Promise<string> {
  await page.goto("/requests/new");
  await page.getByLabel("Key name", { exact: true }).fill(keyName);
  await page.getByLabel("Purpose", { exact: true }).fill("Month-end reports");
  await page.getByLabel("Justification", { exact: true }).fill("Needed before I hand over.");
  await page.getByLabel("Valid for (days)", { exact: true }).fill("30");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/, { timeout: 15_000 });
  return page.url().split("/").pop()!;
}

test("an admin offboards a leaver: keys handed over and disabled, request cancelled, every item in the result", async ({ asAdmin, browser, baseURL, request }) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const name = `Olive Leaver ${stamp}`;
  const email = `olive.${stamp}@example.test`;
  await createUser(asAdmin, { name, email, role: "developer", password: "a-strong-password-3", team: "Payments" });
  const one = await issueKey(asAdmin, { name: `Leaver one ${stamp}`, owner: `${name} (${email})` });
  const two = await issueKey(asAdmin, { name: `Leaver two ${stamp}`, owner: `${name} (${email})` });
  await expectKeyWorks(request, one.secret);

  // The leaver asks for another key; it waits for a lead.
  const context = await browser.newContext({ baseURL });
  const leaver = await context.newPage();
  await signIn(leaver, email, "a-strong-password-3");
  const requestId = await requestKey(leaver, `Leaver request ${stamp}`);
  await expect(leaver.getByText("Pending", { exact: true }).first()).toBeVisible();

  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: `Deactivate ${name}` }).click();
  const dialog = asAdmin.getByRole("dialog", { name: `Deactivate ${name}` });
  await expect(dialog).toContainText("Their open key request is cancelled");
  await expect(dialog).toContainText("They own 2 keys");
  await expect(dialog.getByRole("checkbox", { name: /Disable their keys \(2\)/ })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: /Revoke their short-term keys/ })).toBeChecked();
  await dialog.getByLabel("Hand their keys to", { exact: true }).selectOption({ label: "Dana Developer (dev@demo.local)" });
  await dialog.getByRole("button", { name: "Deactivate", exact: true }).click();

  const result = asAdmin.getByRole("dialog", { name: `${name} deactivated` });
  await expect(result.getByRole("status")).toHaveText("7 done, 0 failed, 0 skipped", { timeout: 30_000 });
  const items = result.getByRole("list", { name: "Offboarding results" });
  await expect(items).toContainText(`Deactivate: ${email}`);
  await expect(items).toContainText(`Cancel request: Leaver request ${stamp}`);
  for (const key of [one, two]) {
    await expect(items).toContainText(`Hand over key: ${key.name}`);
    await expect(items).toContainText(`Disable key: ${key.name}`);
  }
  await expect(items).toContainText("Revoke short-term keys");
  await result.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(asAdmin.getByRole("row", { name: new RegExp(name) })).toContainText("Deactivated");

  // The keys: disabled in AWS, owned by Dana in the inventory.
  await expectKeyRejected(request, one.secret);
  await asAdmin.goto(`/keys?q=${encodeURIComponent(stamp)}&presence=all`);
  for (const key of [one, two]) {
    const row = asAdmin.getByRole("row", { name: new RegExp(key.name) });
    await expect(row).toContainText("Dana Developer");
    await expect(row).toContainText("Inactive");
  }

  // The request is cancelled, and the leaver is signed out on their next request.
  await asAdmin.goto(`/requests/${requestId}`);
  await expect(asAdmin.getByText("Cancelled", { exact: true }).first()).toBeVisible();
  await leaver.goto("/requests");
  await expect(leaver).toHaveURL(/\/signin/);
  await context.close();
});

test("an admin disables keys in bulk from the inventory and sees the per-key result", async ({ asAdmin, request }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const keys = [];
  for (const n of ["a", "b", "c"]) keys.push(await issueKey(asAdmin, { name: `Bulk ${n} ${stamp}`, owner: "Dana Developer (dev@demo.local)" }));

  await asAdmin.goto(`/keys?q=${encodeURIComponent(stamp)}`);
  await asAdmin.getByRole("checkbox", { name: "Select all keys on this page" }).check();
  const bar = asAdmin.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bar).toContainText("3 keys selected");
  await bar.getByRole("button", { name: "Disable", exact: true }).click();
  const dialog = asAdmin.getByRole("dialog", { name: "Disable 3 keys" });
  await dialog.getByRole("button", { name: "Apply to 3 keys" }).click();
  const result = asAdmin.getByRole("dialog", { name: "Result" });
  await expect(result.getByRole("status")).toHaveText("3 done, 0 failed, 0 skipped", { timeout: 30_000 });
  await result.getByRole("button", { name: "Close", exact: true }).last().click();
  for (const key of keys) {
    await expect(asAdmin.getByRole("row", { name: new RegExp(key.name) })).toContainText("Inactive");
    await expectKeyRejected(request, key.secret);
  }

  // Delete needs the count typed; the IAM users go with the keys.
  await asAdmin.getByRole("checkbox", { name: `Select ${keys[0]!.name}` }).check();
  await asAdmin.getByRole("checkbox", { name: `Select ${keys[1]!.name}` }).check();
  await asAdmin.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Delete", exact: true }).click();
  const del = asAdmin.getByRole("dialog", { name: "Delete 2 keys" });
  await expect(del.getByRole("button", { name: "Apply to 2 keys" })).toBeDisabled();
  await del.getByLabel("Type 2 to confirm", { exact: true }).fill("2");
  await del.getByRole("button", { name: "Apply to 2 keys" }).click();
  await expect(asAdmin.getByRole("dialog", { name: "Result" }).getByRole("status")).toHaveText("2 done, 0 failed, 0 skipped", { timeout: 30_000 });
});
