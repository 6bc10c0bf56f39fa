import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { firstOfLastMonth, insertCostDays, utcDay } from "./support/cost-rows";
import { issueKey, type IssuedKey } from "./support/key-journeys";

// Tokens and cost where people look (issue 15): /usage's cost section, the key page's months,
// the inventory's "Cost, 30 days" column. Keys are issued through the console; their cost rows
// are written as the invocation-log ingest leaves them (UTC days), with an "as of" cursor.

test.describe.configure({ mode: "serial" });

const stamp = Date.now().toString(36);
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
let cheap: IssuedKey;
let dear: IssuedKey;

test("cost by model and the costliest keys on /usage, as of the last sync", async ({ asAdmin: admin }) => {
  test.setTimeout(90_000);
  expect(e2eEnv().dbFile).toBeTruthy();
  cheap = await issueKey(admin, { name: `Cost cheap ${stamp}`, owner: "Dana Developer (dev@demo.local)", team: "Payments" });
  dear = await issueKey(admin, { name: `Cost dear ${stamp}`, owner: "Riku Researcher (researcher@demo.local)", team: "Research" });
  const syncedThrough = new Date(Date.now() - 5 * 60_000);
  insertCostDays(
    [
      { day: utcDay(0), subject: `key:${cheap.iamUserName}`, modelId: HAIKU, calls: 4, input: 4000, output: 800, cacheRead: 120, cacheWrite: 30, costUsd: 3 },
      { day: utcDay(0), subject: `key:${cheap.iamUserName}`, modelId: "acme.private-model-v1", calls: 3, input: 300, output: 30, costUsd: null },
      { day: firstOfLastMonth(), subject: `key:${cheap.iamUserName}`, modelId: HAIKU, calls: 2, input: 2000, output: 200, costUsd: 4 },
      { day: utcDay(0), subject: `key:${dear.iamUserName}`, modelId: NOVA, region: "us-west-2", calls: 9, input: 90000, output: 9000, costUsd: 12.34 },
    ],
    syncedThrough,
  );

  await admin.goto("/usage?range=7");
  const cost = admin.getByTestId("cost-section");
  await expect(cost.getByRole("heading", { name: "Tokens and cost" })).toBeVisible();
  await expect(cost.getByTestId("cost-as-of").first()).toContainText("As of");
  await expect(cost.getByRole("heading", { name: "Cost per day by model" })).toBeVisible();
  // Unpriced calls are named, not shown as $0.
  await expect(cost.getByText("3 calls unpriced").first()).toBeVisible();
  // The costliest keys, largest first.
  const topKeys = cost.locator("section", { has: admin.getByRole("heading", { name: "Top keys by cost" }) });
  const rows = await topKeys.getByTestId("cost-ranking").locator("li").allInnerTexts();
  const dearAt = rows.findIndex((r) => r.includes(dear.name));
  const cheapAt = rows.findIndex((r) => r.includes(cheap.name));
  expect(dearAt).toBeGreaterThanOrEqual(0);
  expect(cheapAt).toBeGreaterThan(dearAt);
  expect(rows[dearAt]).toContain("$12.34");
  expect(rows[cheapAt]).toContain("3 calls unpriced");
  // The chart's numbers as a table: today's cost by model.
  const byModel = cost.locator("section", { has: admin.getByRole("heading", { name: "Cost per day by model" }) });
  await byModel.getByText("Show as a table").click();
  await expect(byModel.getByRole("columnheader", { name: "Unpriced calls" })).toBeVisible();
  // Per team: Research (the dear key) above Payments.
  const teams = await cost.locator("section", { has: admin.getByRole("heading", { name: "Cost per team" }) }).getByTestId("cost-ranking").locator("li").allInnerTexts();
  expect(teams.findIndex((r) => r.startsWith("Research"))).toBeLessThan(teams.findIndex((r) => r.startsWith("Payments")));
  await expectNoSeriousA11yViolations(admin);
  // The cost-by-day export carries the tokens and cost.
  const csv = await admin.request.get(`/usage/export/cost?range=7&who=${encodeURIComponent(`key:${dear.iamUserName}`)}`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain("day_utc,account_id,region,model_id");
  expect(text).toContain(`${utcDay(0)},123456789012,us-west-2,${NOVA},long-term,${dear.name} (${dear.iamUserName}),Research,key:${dear.iamUserName},9,90000,9000,0,0,12.340000,0,`);
});

test("the key page shows this month's and last month's tokens and cost", async ({ asAdmin: admin }) => {
  await admin.goto(`/keys/${cheap.keyId}`);
  const card = admin.getByTestId("key-cost");
  await expect(card.getByRole("heading", { name: "Tokens and cost" })).toBeVisible();
  const thisMonth = card.getByRole("row", { name: /so far/ });
  await expect(thisMonth).toContainText("$3.00");
  await expect(thisMonth).toContainText("3 calls unpriced");
  await expect(thisMonth).toContainText("4,300"); // input tokens: 4,000 priced + 300 unpriced
  await expect(card.getByRole("row").nth(2)).toContainText("$4.00");
  await expect(card.getByTestId("cost-as-of")).toContainText("As of");
});

test("the inventory's Cost, 30 days column sorts by cost", async ({ asAdmin: admin }) => {
  await admin.goto(`/keys?q=${encodeURIComponent(stamp)}`);
  // Each row's key name is its link to the key page (admins' rows start with a bulk-selection box).
  const names = () => admin.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.querySelector("a[href^='/keys/']")?.textContent?.trim() ?? ""));
  await expect(admin.getByRole("columnheader", { name: "Cost, 30 days" })).toBeVisible();
  await admin.getByRole("button", { name: "Cost, 30 days" }).click();
  // Costliest first on the first click (descending is the default, so the URL leaves dir out).
  await expect(admin).toHaveURL(/sort=cost30d$/);
  await expect.poll(names).toEqual([dear.name, cheap.name]);
  await expect(admin.getByRole("row", { name: new RegExp(dear.name) }).getByTestId("key-cost-30d")).toHaveText("$12.34");
  await admin.getByRole("button", { name: "Cost, 30 days" }).click();
  await expect(admin).toHaveURL(/sort=cost30d&dir=asc/);
  await expect.poll(names).toEqual([cheap.name, dear.name]);
});

test("a lead sees only their teams' cost", async ({ asLead: lead }) => {
  // The demo lead leads Payments: the cheap key, not the dear one (Research).
  await lead.goto("/usage?range=7");
  const cost = lead.getByTestId("cost-section");
  const ranking = cost.locator("section", { has: lead.getByRole("heading", { name: "Top keys by cost" }) }).getByTestId("cost-ranking");
  // The section streams in and React may reveal it after the page's load event: wait for the
  // list (as the admin's test waits for its unpriced calls) before reading it.
  await expect(ranking.locator("li").filter({ hasText: cheap.name })).toHaveCount(1);
  const rows = await ranking.locator("li").allInnerTexts();
  expect(rows.some((r) => r.includes(cheap.name))).toBe(true);
  expect(rows.some((r) => r.includes(dear.name))).toBe(false);
});
