import type { Page } from "@playwright/test";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { withDb } from "./support/e2e-db";
import { AUTH_FAILED, expectKeyRejected, expectKeyWorks, finishReveal, readRevealedSecret } from "./support/key-journeys";

// Self-service key requests (issue 6): a developer asks, a lead decides, the developer picks the
// key up and sees it once; the organisation's policy on the settings page; the bell. Journeys run
// in order against one database, so every request gets a unique name.

const HAIKU = /^Claude 3\.5 Haiku\s*anthropic\.claude-3-5-haiku/;
const unique = (label: string) => `${label} ${Date.now().toString(36)}`;

/** Fill and submit the request form as the signed-in person; returns the new request's id. */
async function requestKey(page: Page, opts: { keyName: string; days?: string; models?: RegExp[] }): Promise<string> {
  await page.goto("/requests/new");
  await page.getByLabel("Key name", { exact: true }).fill(opts.keyName);
  await page.getByLabel("Purpose", { exact: true }).fill("Checkout assistant");
  await page.getByLabel("Justification", { exact: true }).fill("The pilot starts next week.");
  await page.getByLabel("Valid for (days)", { exact: true }).fill(opts.days ?? "30");
  for (const model of opts.models ?? []) await page.getByRole("checkbox", { name: model }).check();
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1, name: opts.keyName })).toBeVisible();
  return page.url().split("/").pop()!;
}

/** Opens a request from the approvals queue, as a lead or admin would. */
async function openFromQueue(page: Page, keyName: string) {
  await page.goto("/requests?tab=approvals");
  await page.getByRole("link", { name: `Review ${keyName}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: keyName })).toBeVisible();
}


async function sandboxClock(page: Page, body: Record<string, number>) {
  const res = await page.request.post(`${e2eEnv().sandboxUrl}/_sandbox/clock`, { data: body });
  expect(res.ok()).toBe(true);
}

test.afterAll(() => {
  // Whatever happened above, later specs see the default policy again.
  withDb((db) => db.prepare('DELETE FROM "OrgPolicy"').run());
});

test("a developer requests, a lead approves a shorter key, the developer picks it up and it expires on time", async ({ asDeveloper, asLead }) => {
  test.setTimeout(90_000);
  const keyName = unique("Checkout bot");
  const requestId = await requestKey(asDeveloper, { keyName, days: "30", models: [HAIKU] });
  await expect(asDeveloper.getByText("Pending", { exact: true })).toBeVisible();
  await expect(asDeveloper.getByRole("status", { name: "Waiting for a decision" })).toBeVisible();

  // The lead hears about it under the bell, and decides from the queue.
  await asLead.goto("/");
  const bell = asLead.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(asLead.getByRole("dialog", { name: "Notifications" }).getByRole("link", { name: new RegExp(`asked for a key for Payments: “${keyName}”`) })).toBeVisible();
  await asLead.keyboard.press("Escape");

  await openFromQueue(asLead, keyName);
  await asLead.getByLabel("Approve for (days)", { exact: true }).fill("7");
  await asLead.getByLabel("Comment for the requester", { exact: true }).fill("A week is enough for the pilot.");
  await asLead.getByRole("button", { name: "Approve" }).click();
  await expect(asLead.getByText("Approved by Lee Lead")).toBeVisible();
  await expect(asLead.getByText("Shortened:")).toBeVisible();
  // The approver is never offered the key.
  await expect(asLead.getByRole("button", { name: "Issue and show my key" })).toHaveCount(0);

  // The developer picks it up: the secret is shown once, and the key works on Bedrock.
  await asDeveloper.goto(`/requests/${requestId}`);
  await expect(asDeveloper.getByText("A week is enough for the pilot.")).toBeVisible();
  await asDeveloper.getByRole("button", { name: "Issue and show my key" }).click();
  await expect(asDeveloper.getByRole("heading", { name: "Your new key" })).toBeVisible({ timeout: 20_000 });
  const secret = await readRevealedSecret(asDeveloper);
  await expectKeyWorks(asDeveloper.request, secret);

  try {
    // Approved for 7 days: it still works just before, and no longer just after (sandbox clock).
    await sandboxClock(asDeveloper, { advanceSeconds: 7 * 86_400 - 600 });
    await expectKeyWorks(asDeveloper.request, secret);
    await sandboxClock(asDeveloper, { advanceSeconds: 1_200 });
    await expectKeyRejected(asDeveloper.request, secret, AUTH_FAILED);
  } finally {
    await sandboxClock(asDeveloper, { offsetSeconds: 0 });
  }

  await finishReveal(asDeveloper);
  await expect(asDeveloper.getByText("Picked up", { exact: true })).toBeVisible();
  // The request links to its key, and the key is the developer's, in the request's team.
  await asDeveloper.getByRole("link", { name: "Open the key" }).click();
  await expect(asDeveloper).toHaveURL(/\/keys\/[a-z0-9]+$/);
  await expect(asDeveloper.getByRole("heading", { level: 1 })).toContainText(keyName);
  // …and the key links back to its request.
  await expect(asDeveloper.getByRole("link", { name: keyName, exact: true })).toHaveAttribute("href", `/requests/${requestId}`);
});

test("a lead denies with a comment; the developer sees why, and a denial without a reason is refused", async ({ asDeveloper, asLead }) => {
  const keyName = unique("Denied key");
  const requestId = await requestKey(asDeveloper, { keyName });
  await openFromQueue(asLead, keyName);
  await asLead.getByRole("button", { name: "Deny" }).click();
  await expect(asLead.getByText("Say why the request is denied: the requester sees this comment.")).toBeVisible();
  await asLead.getByLabel("Comment for the requester", { exact: true }).fill("Use the team's shared key instead.");
  await asLead.getByRole("button", { name: "Deny" }).click();
  await expect(asLead.getByText("Denied by Lee Lead")).toBeVisible();

  await asDeveloper.goto(`/requests/${requestId}`);
  await expect(asDeveloper.getByText("Denied", { exact: true })).toBeVisible();
  await expect(asDeveloper.getByText("Use the team's shared key instead.")).toBeVisible();
  await expect(asDeveloper.getByRole("button", { name: "Issue and show my key" })).toHaveCount(0);
});

test("two approvers at once: the second is told who decided first, and nothing changes", async ({ asDeveloper, asLead, asAdmin }) => {
  const keyName = unique("Two approvers");
  const requestId = await requestKey(asDeveloper, { keyName });
  await openFromQueue(asLead, keyName);
  await openFromQueue(asAdmin, keyName);
  await asLead.getByRole("button", { name: "Approve" }).click();
  await expect(asLead.getByText("Approved by Lee Lead")).toBeVisible();
  // The admin's page still shows the form from before the lead's decision.
  await asAdmin.getByLabel("Comment for the requester", { exact: true }).fill("Not needed.");
  await asAdmin.getByRole("button", { name: "Deny" }).click();
  await expect(asAdmin.getByRole("alert", { name: "The decision was not saved" })).toHaveText(
    "Someone else decided first: Lee Lead already approved this request. Your decision was not saved.",
  );
  await expect(asAdmin.getByText("Approved by Lee Lead")).toBeVisible();
  await asDeveloper.goto(`/requests/${requestId}`);
  await expect(asDeveloper.getByRole("button", { name: "Issue and show my key" })).toBeVisible();
});

test("nobody decides their own request: the lead's own request is decided by an admin", async ({ asLead, asAdmin, asDeveloper }) => {
  const keyName = unique("Lead own key");
  const requestId = await requestKey(asLead, { keyName });
  // No decision form for the requester, and not in their own queue.
  await expect(asLead.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(asLead.getByRole("status", { name: "Waiting for a decision" })).toBeVisible();
  await asLead.goto("/requests?tab=approvals&status=all");
  await expect(asLead.getByRole("link", { name: `Review ${keyName}` })).toHaveCount(0);
  // A developer of the same team cannot even see it.
  const response = await asDeveloper.goto(`/requests/${requestId}`);
  expect(response?.status()).toBe(404);

  await openFromQueue(asAdmin, keyName);
  await asAdmin.getByRole("button", { name: "Approve" }).click();
  await expect(asAdmin.getByText("Approved by Ada Admin")).toBeVisible();
});

test("an approval not picked up in time has expired when the developer tries", async ({ asDeveloper, asLead }) => {
  const keyName = unique("Late pick-up");
  const requestId = await requestKey(asDeveloper, { keyName });
  await openFromQueue(asLead, keyName);
  await asLead.getByRole("button", { name: "Approve" }).click();
  await expect(asLead.getByText("Approved by Lee Lead")).toBeVisible();

  await asDeveloper.goto(`/requests/${requestId}`);
  await expect(asDeveloper.getByRole("button", { name: "Issue and show my key" })).toBeVisible();
  // The pick-up window (72 hours by default) passes while the page is open.
  withDb((db) => {
    const row = db.prepare('SELECT typeof("pickupBy") AS type FROM "KeyRequest" WHERE "id" = ?').get(requestId) as { type: string };
    const past = new Date(Date.now() - 60_000);
    const value = row.type === "integer" ? past.getTime() : past.toISOString().replace("Z", "+00:00");
    db.prepare('UPDATE "KeyRequest" SET "pickupBy" = ? WHERE "id" = ?').run(value, requestId);
  });
  await asDeveloper.getByRole("button", { name: "Issue and show my key" }).click();
  await expect(asDeveloper.getByRole("alert", { name: "The key was not issued" })).toContainText("This approval expired");
  await asDeveloper.reload();
  await expect(asDeveloper.getByText("Approval expired (not picked up in time)")).toBeVisible();
  await expect(asDeveloper.getByRole("button", { name: "Issue and show my key" })).toHaveCount(0);
});

test("an admin tightens the policy, and a request above it is refused with the reason", async ({ asAdmin, asDeveloper }) => {
  await asAdmin.goto("/settings");
  await asAdmin.getByLabel("Maximum key age (days)", { exact: true }).fill("14");
  await asAdmin.getByLabel("Default expiry (days)", { exact: true }).fill("7");
  await asAdmin.getByRole("button", { name: "Save policy" }).click();
  await expect(asAdmin.getByText("Policy saved.")).toBeVisible();
  await expect(asAdmin.getByText(/^Version \d+, saved by admin@demo\.local/)).toBeVisible();

  await asDeveloper.goto("/requests/new");
  await expect(asDeveloper.getByText("At most 14 days.")).toBeVisible();
  await asDeveloper.getByLabel("Key name", { exact: true }).fill(unique("Too long"));
  await asDeveloper.getByLabel("Purpose", { exact: true }).fill("Batch job");
  await asDeveloper.getByLabel("Justification", { exact: true }).fill("Runs every month.");
  await asDeveloper.getByLabel("Valid for (days)", { exact: true }).fill("30");
  await asDeveloper.getByRole("button", { name: "Submit request" }).click();
  await expect(asDeveloper.getByRole("alert", { name: "The request could not be submitted" })).toContainText("key policy does not allow this");
  await expect(asDeveloper.getByText("The organisation's policy allows keys for at most 14 days.")).toBeVisible();
  await expect(asDeveloper).toHaveURL(/\/requests\/new$/);

  // Back to no maximum, through the same form.
  await asAdmin.reload();
  await asAdmin.getByLabel("Maximum key age (days)", { exact: true }).fill("");
  await asAdmin.getByRole("button", { name: "Save policy" }).click();
  await expect(asAdmin.getByText("Policy saved.")).toBeVisible();
});

test("the bell counts unread notifications and opening one marks it read", async ({ asDeveloper, asLead }) => {
  const keyName = unique("Bell check");
  await requestKey(asDeveloper, { keyName });
  await asLead.goto("/requests");
  const bell = asLead.getByRole("button", { name: /^Notifications(, \d+ unread)?$/ });
  const count = async () => Number((await bell.getAttribute("aria-label"))?.match(/(\d+) unread/)?.[1] ?? 0);
  const before = await count();
  expect(before).toBeGreaterThan(0);
  await expect(asLead.getByTestId("notification-count")).toHaveText(before > 99 ? "99+" : String(before));
  await bell.click();
  await asLead.getByRole("dialog", { name: "Notifications" }).getByRole("link", { name: new RegExp(`“${keyName}”`) }).click();
  await expect(asLead.getByRole("heading", { level: 1, name: keyName })).toBeVisible();
  await expect.poll(count).toBe(before - 1);

  await bell.click();
  await asLead.getByRole("button", { name: "Mark all read" }).click();
  await expect.poll(count).toBe(0);
  await expect(asLead.getByTestId("notification-count")).toHaveCount(0);
});

test("requests and settings pages have no serious accessibility violations", async ({ asDeveloper, asLead, asAdmin }) => {
  // Seven axe scans and three signed-in contexts: 19 s on an idle 2-core machine, over 30 s on a busy one.
  test.setTimeout(90_000);
  const keyName = unique("A11y key");
  const requestId = await requestKey(asDeveloper, { keyName });
  await expectNoSeriousA11yViolations(asDeveloper);
  await asDeveloper.goto("/requests");
  await expect(asDeveloper.getByRole("link", { name: keyName })).toBeVisible();
  await expectNoSeriousA11yViolations(asDeveloper);
  await asDeveloper.goto("/requests/new");
  await expectNoSeriousA11yViolations(asDeveloper);

  await asLead.goto("/requests?tab=approvals");
  await expect(asLead.getByRole("link", { name: `Review ${keyName}` })).toBeVisible();
  await expectNoSeriousA11yViolations(asLead);
  await asLead.goto(`/requests/${requestId}`);
  await expect(asLead.getByRole("button", { name: "Approve" })).toBeVisible();
  await expectNoSeriousA11yViolations(asLead);
  await asLead.getByRole("button", { name: /^Notifications/ }).click();
  await expectNoSeriousA11yViolations(asLead);

  await asAdmin.goto("/settings");
  await expect(asAdmin.getByRole("heading", { name: "Key policy" })).toBeVisible();
  await expectNoSeriousA11yViolations(asAdmin);
  // Settings are for admins only.
  expect((await asLead.goto("/settings"))?.status()).toBe(404);
});
