import type { APIRequestContext } from "@playwright/test";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { finishReveal, issueKey, readRevealedSecret } from "./support/key-journeys";

// Issue 16 as an admin lives it: edit an issued key (its restrictions rewritten in IAM), rotate it
// with overlap, copy the new secret once, see both secrets work, then finish the rotation early —
// each step checked against the sandbox's Bedrock runtime.

const NOVA = "amazon.nova-micro-v1:0";
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

async function converse(request: APIRequestContext, token: string, model: string): Promise<number> {
  const response = await request.post(`${e2eEnv().sandboxUrl}/model/${encodeURIComponent(model)}/converse`, {
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    data: { messages: [{ role: "user", content: [{ text: "Hello" }] }] },
  });
  return response.status();
}

test("an admin edits a key, rotates it with overlap, copies the new secret once and finishes the rotation", async ({ asAdmin: page, request }) => {
  test.setTimeout(120_000);
  const name = `Rotating ${Date.now()}`;
  const { keyId, secret } = await issueKey(page, { name, owner: "Dana Developer (dev@demo.local)", expiry: "30 days" });
  expect(await converse(request, secret, HAIKU)).toBe(200);

  // Edit: purpose and restrictions (Nova Micro only).
  await page.goto(`/keys/${keyId}`);
  await page.getByRole("button", { name: "Edit…" }).click();
  const edit = page.getByRole("dialog", { name: `Edit “${name}”` });
  await edit.getByLabel("Purpose", { exact: true }).fill("Rotated in a browser");
  await edit.locator(`input[type=checkbox][value="${NOVA}"]`).check();
  await expectNoSeriousA11yViolations(page);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText("Rotated in a browser").first()).toBeVisible();
  await expect(page.getByText("may call: Nova Micro", { exact: true })).toBeVisible();
  expect(await converse(request, secret, NOVA)).toBe(200);
  expect(await converse(request, secret, HAIKU)).toBe(403);

  // Rotate: one day of overlap, the new secret shown to me once.
  await page.getByRole("button", { name: "Rotate…" }).click();
  const rotate = page.getByRole("dialog", { name: `Rotate “${name}”` });
  await rotate.getByLabel("Overlap").selectOption({ label: "1 day" });
  await rotate.getByLabel("Show it to me now (once)").check();
  await rotate.getByRole("button", { name: "Start rotation" }).click();
  await expect(page.getByRole("dialog", { name: `New secret for “${name}”` })).toBeVisible();
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy key" }).click();
  const fresh = await readRevealedSecret(page);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fresh);
  expect(fresh).not.toBe(secret);
  await finishReveal(page);
  expect(await page.content()).not.toContain(fresh);

  // The overlap: both secrets work (with the edited restrictions), the page says until when.
  expect(await converse(request, secret, NOVA)).toBe(200);
  expect(await converse(request, fresh, NOVA)).toBe(200);
  expect(await converse(request, fresh, HAIKU)).toBe(403);
  await page.reload();
  await expect(page.getByTestId("rotation-state")).toContainText(/both secrets work until .+ \(23 h \d+ min left\)/);
  await expect(page.getByText(/CloudTrail names the IAM user/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate…" })).toHaveCount(0);
  // The inventory marks the key as rotating, and says until when both secrets work.
  await page.goto(`/keys?q=${encodeURIComponent(name)}`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row.locator("[data-rotation=overlap]")).toContainText("Rotating");
  await expect(row.locator("[data-rotation=overlap]")).toHaveAttribute("title", /^Both secrets work until .+\.$/);
  await page.goto(`/keys/${keyId}`);

  // Finish now: only the new secret works.
  await page.getByRole("button", { name: "Finish rotation now" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Finish now" }).click();
  await expect(page.getByText("Rotation finished: only the new secret works.")).toBeVisible();
  await expect(page.getByTestId("rotation-state")).toHaveCount(0);
  expect(await converse(request, secret, NOVA)).toBe(403);
  expect(await converse(request, fresh, NOVA)).toBe(200);
  await expect(page.getByRole("region", { name: "History" }).getByText(/Ada Admin finished the rotation of/)).toBeVisible();
  await page.goto(`/keys?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(page.locator("[data-rotation]")).toHaveCount(0);
});
