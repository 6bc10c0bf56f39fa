import { randomUUID } from "node:crypto";
import { IAMClient, ListServiceSpecificCredentialsCommand, UpdateServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import type { APIRequestContext, Page } from "@playwright/test";
import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { syncStatus } from "./support/usage-sync";
import { generateShortTerm, issueKey, type IssuedKey } from "./support/key-journeys";

// The usage dashboard against the sandbox: keys issued through the console, real Converse calls
// with them (and a short-term key), plus backdated CloudTrail records for volume; an admin's
// "Re-read 90 days" with its progress bar; charts, filters, drill-down, CSV export, anomalies,
// the key page's usage, and what each role may see.

test.describe.configure({ mode: "serial" });

const REGIONS = ["us-east-1", "us-west-2", "eu-central-1"];
const MODELS = ["anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0", "meta.llama3-1-8b-instruct-v1:0", "mistral.mistral-large-2402-v1:0"];
const LIVE_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const BULK = 600;
const stamp = Date.now().toString(36);

let checkout: IssuedKey;
let notebook: IssuedKey;
let legacy: IssuedKey;
/** How many calls of each key (and each key × model) the spec made or inserted. */
const expected = { checkout: 0, checkoutNova: 0, notebook: 0 };

/** A Bedrock runtime call with a bearer key, in a region, from a given source address. */
async function call(request: APIRequestContext, token: string, opts: { region?: string; ip?: string; model?: string } = {}) {
  const region = opts.region ?? "us-east-1";
  const res = await request.post(`${e2eEnv().sandboxUrl}/bedrock-runtime/${region}/model/${encodeURIComponent(opts.model ?? LIVE_MODEL)}/converse`, {
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "X-Forwarded-For": opts.ip ?? "198.51.100.10", "User-Agent": "usage-spec/1.0" },
    data: { messages: [{ role: "user", content: [{ text: "Hello" }] }] },
  });
  return res.status();
}

/** CloudTrail records of calls with the two keys over the last 19 days, shaped as AWS writes them. */
function bulkRecords(now: number) {
  return Array.from({ length: BULK }, (_, i) => {
    const key = i % 3 === 0 ? notebook : checkout;
    const model = MODELS[i % MODELS.length]!;
    const failed = i % 10 === 0;
    if (key === checkout) {
      expected.checkout++;
      if (model.startsWith("amazon.nova")) expected.checkoutNova++;
    } else expected.notebook++;
    return {
      eventVersion: "1.11",
      userIdentity: { type: "IAMUser", principalId: "AIDAUSAGESPEC", arn: `arn:aws:iam::123456789012:user/bedrock-key-console/${key.iamUserName}`, accountId: "123456789012", userName: key.iamUserName },
      eventTime: new Date(now - (1 + (i % 19)) * 86_400_000 - (i % 7) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "bedrock.amazonaws.com",
      eventName: i % 5 === 0 ? "ConverseStream" : "Converse",
      awsRegion: REGIONS[i % REGIONS.length],
      sourceIPAddress: `203.0.113.${(i % 3) + 1}`,
      userAgent: "Boto3/1.39.16 md/Botocore#1.39.16",
      requestParameters: { modelId: model },
      responseElements: null,
      additionalEventData: failed ? { callWithBearerToken: true } : { callWithBearerToken: true, inferenceRegion: REGIONS[i % REGIONS.length] },
      ...(failed ? { errorCode: "ThrottlingException", errorMessage: "Too many requests, please wait before trying again." } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: true,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "123456789012",
      eventCategory: "Management",
    };
  });
}

/**
 * "Re-read 90 days" and watch the progress bar until the run ends. A scheduled sync may be
 * running (or start in between): then the button is told a sync is running, and we try again.
 */
async function reReadAll(page: Page) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await expect.poll(async () => (await syncStatus(page))?.status, { timeout: 120_000 }).not.toBe("running");
    const before = (await syncStatus(page))?.runId ?? 0;
    await page.goto("/usage");
    await page.getByRole("button", { name: "Re-read 90 days" }).click();
    const bar = page.getByRole("progressbar", { name: "Sync progress" });
    await expect(bar).toBeVisible();
    await expect(page.getByText(/about \d+ (s|min) left|estimating time left/)).toBeVisible();
    await expect(bar).toBeHidden({ timeout: 120_000 });
    const run = await syncStatus(page);
    if (run && run.runId > before && run.full && run.trigger === "manual") {
      expect(run.status).toBe("success");
      await expect(page.getByText("Usage synced")).toBeVisible();
      return;
    }
  }
  throw new Error("could not start a full re-read: another sync kept running");
}

/** The value of a summary tile ("Calls", "Failed calls", …). */
function tile(page: Page, label: string) {
  return page.locator("dl > div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd").first();
}

test("calls with console keys show up after a re-read, with a progress bar", async ({ asAdmin: admin, asDeveloper: dev, request }) => {
  test.setTimeout(240_000);
  checkout = await issueKey(admin, { name: `Checkout bot ${stamp}`, owner: "Dana Developer (dev@demo.local)", team: "Payments" });
  notebook = await issueKey(admin, { name: `Notebook ${stamp}`, owner: "Riku Researcher (researcher@demo.local)", team: "Research" });
  legacy = await issueKey(admin, { name: `Legacy job ${stamp}`, owner: "Dana Developer (dev@demo.local)", team: "Payments" });

  // Live calls: two regions, two addresses, one failure (a retired model).
  expect(await call(request, checkout.secret)).toBe(200);
  expect(await call(request, checkout.secret, { region: "us-west-2", ip: "198.51.100.11" })).toBe(200);
  expect(await call(request, checkout.secret, { region: "us-west-2", ip: "198.51.100.11" })).toBe(200);
  expect(await call(request, checkout.secret, { model: "amazon.nova-lite-v1:0" })).toBe(200);
  expect(await call(request, checkout.secret, { model: "anthropic.claude-v2" })).toBe(404);
  expected.checkout += 5;
  expected.checkoutNova += 1;
  expect(await call(request, notebook.secret, { region: "eu-central-1", ip: "192.0.2.40" })).toBe(200);
  expected.notebook += 1;
  // The developer's own short-term key.
  const token = await generateShortTerm(dev);
  expect(await call(request, token, { ip: "198.51.100.77" })).toBe(200);
  // A key that is used, then disabled in AWS, and still tried: "someone still holds it".
  expect(await call(request, legacy.secret)).toBe(200);
  const iam = new IAMClient({ region: "us-east-1", endpoint: e2eEnv().sandboxUrl, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } });
  const creds = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: legacy.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
  await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: legacy.iamUserName, ServiceSpecificCredentialId: creds.ServiceSpecificCredentials![0]!.ServiceSpecificCredentialId!, Status: "Inactive" }));
  expect(await call(request, legacy.secret, { ip: "192.0.2.99" })).toBe(403);

  // Three weeks of earlier calls, for the charts (older than any incremental sync reads).
  const inserted = await request.post(`${e2eEnv().sandboxUrl}/_sandbox/events`, { data: bulkRecords(Date.now()) });
  expect(inserted.ok()).toBe(true);

  await reReadAll(admin);
  await expect(admin.getByRole("heading", { name: "Calls per day by model" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "Top keys and people" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "Regions and inference regions" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "Error rate over time" })).toBeVisible();
  await expect(admin.getByRole("table", { name: /Bedrock calls made with API keys/ }).getByRole("row")).not.toHaveCount(0);
});

test("filters change the charts and the totals, and live in the URL", async ({ asAdmin: admin }) => {
  // networkidle: text typed into the search before the filters hydrate would be lost.
  await admin.goto("/usage", { waitUntil: "networkidle" });
  // A change applies at once, as in the inventory: no Apply button.
  await expect(admin.getByRole("button", { name: "Apply" })).toHaveCount(0);
  // The key is found by typing (the server answers within the viewer's scope), picked with the keyboard.
  const who = admin.getByRole("combobox", { name: "Key or person" });
  await who.fill(checkout.name);
  const choice = admin.getByRole("listbox", { name: "Matching keys and people" }).getByRole("option", { name: new RegExp(`^${checkout.name} \\(${checkout.iamUserName}\\)`) });
  await expect(choice).toBeVisible();
  await expect(admin.getByRole("listbox", { name: "Matching keys and people" }).getByRole("option")).toHaveCount(2); // "All" and the key
  await who.press("ArrowDown");
  await who.press("ArrowDown");
  await expect(who).toHaveAttribute("aria-activedescendant", (await choice.getAttribute("id"))!);
  // The highlighted option is the selected one (what Enter picks), not the filter in force ("All").
  await expect(choice).toHaveAttribute("aria-selected", "true");
  await expect(admin.getByRole("option", { name: "All keys and people" })).toHaveAttribute("aria-selected", "false");
  await who.press("Enter");
  await expect(admin).toHaveURL(/who=key%3A/);
  await expect(admin.getByRole("combobox", { name: "Key or person" })).toHaveValue(`${checkout.name} (${checkout.iamUserName})`);
  await expect(tile(admin, "Calls")).toHaveText(String(expected.checkout));
  // The chart's data table lists only this key.
  const top = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Top keys and people" }) });
  await top.getByText("Show as a table").click();
  await expect(top.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(top.getByRole("table")).toContainText(checkout.name);

  await admin.getByLabel("Model", { exact: true }).selectOption({ label: "Nova Lite" });
  await expect(admin).toHaveURL(/model=amazon.nova-lite/);
  await expect(tile(admin, "Calls")).toHaveText(String(expected.checkoutNova));
  const byModel = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Calls per day by model" }) });
  await byModel.getByText("Show as a table").click();
  await expect(byModel.getByRole("table").getByRole("columnheader")).toHaveText(["Day", "Nova Lite", "Total"]);

  // Short-term keys only: people, no keys.
  await admin.goto("/usage?identity=short-term");
  const people = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Top keys and people" }) });
  await people.getByText("Show as a table").click();
  await expect(people.getByRole("table")).toContainText("Dana Developer (person)");
  await expect(people.getByRole("table")).not.toContainText(checkout.name);
});

test("drill-down to one call shows every field and the CloudTrail record", async ({ asAdmin: admin }) => {
  await admin.goto(`/usage?who=${encodeURIComponent(`key:${checkout.iamUserName}`)}&result=error`);
  await admin.getByRole("link", { name: /^Details/ }).first().click();
  const dialog = admin.getByRole("dialog", { name: "Call details" });
  await expect(dialog).toBeVisible();
  await expect(admin).toHaveURL(/event=/);
  await expect(dialog).toContainText(checkout.name);
  await expect(dialog).toContainText("Long-term key");
  await expect(dialog).toContainText("Payments");
  await expect(dialog.getByLabel("CloudTrail record")).toContainText('"callWithBearerToken": true');
  await expectNoSeriousA11yViolations(admin);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin).not.toHaveURL(/event=/);
});

test("the CSV export streams the filtered calls, within the viewer's scope", async ({ asAdmin: admin, asDeveloper: dev }) => {
  const res = await admin.request.get(`/usage/export?who=${encodeURIComponent(`key:${checkout.iamUserName}`)}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  expect(res.headers()["content-disposition"]).toMatch(/attachment; filename="bedrock-usage-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"/);
  const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(lines[0]).toBe(
    "event_time_utc,event_id,region,inference_region,event_name,api,endpoint,project,model_id,identity_type,key_or_person,team,principal_name,principal_arn,source_identity,access_key_id,source_ip,user_agent,result,error_code,error_message",
  );
  expect(lines).toHaveLength(expected.checkout + 1);
  expect(lines.slice(1).every((l) => l.includes(`${checkout.name} (${checkout.iamUserName}),Payments`))).toBe(true);

  // The developer's export: their key and their short-term key, never the other team's.
  const mine = await (await dev.request.get("/usage/export")).text();
  expect(mine).toContain(checkout.iamUserName);
  expect(mine).toContain("Dana Developer (dev@demo.local)");
  expect(mine).not.toContain(notebook.iamUserName);
});

test("each role sees its own scope; another team's call is not found", async ({ asAdmin: admin, asLead: lead, asDeveloper: dev, request }) => {
  // A call of the Research team's key, as the admin's list links to it.
  await admin.goto(`/usage?who=${encodeURIComponent(`key:${notebook.iamUserName}`)}`);
  const details = await admin.getByRole("link", { name: /^Details/ }).first().getAttribute("href");
  const researchEvent = new URL(details!, "http://console").searchParams.get("event")!;
  expect(researchEvent).toMatch(/^\d+$/);

  await lead.goto("/usage");
  const top = lead.locator("section").filter({ has: lead.getByRole("heading", { name: "Top keys and people" }) });
  await top.getByText("Show as a table").click();
  await expect(top.getByRole("table")).toContainText(checkout.name);
  await expect(top.getByRole("table")).toContainText("Dana Developer");
  await expect(top.getByRole("table")).not.toContainText(notebook.name);
  await expect(lead.getByRole("button", { name: "Sync now" })).toBeVisible();
  await expect(lead.getByRole("button", { name: "Re-read 90 days" })).toHaveCount(0);
  await expect(lead.getByLabel("Team", { exact: true })).toContainText("Payments");
  await expect(lead.getByLabel("Team", { exact: true })).not.toContainText("Research");
  // The key-or-person search answers within the lead's scope: another team's key is not found, even by its exact name.
  const search = async (q: string) => ((await (await lead.request.get(`/usage/subjects?q=${encodeURIComponent(q)}`)).json()) as { items: { subject: string; label: string }[] }).items;
  expect((await search(checkout.name)).map((i) => i.subject)).toEqual([`key:${checkout.iamUserName}`]);
  expect(await search(notebook.name)).toEqual([]);
  expect(await search(notebook.iamUserName)).toEqual([]);
  expect((await search("")).map((i) => i.label)).not.toContain(notebook.name);
  // Signed out: refused, nothing named.
  const anonymous = await request.get(`/usage/subjects?q=${encodeURIComponent(notebook.name)}`);
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.text()).not.toContain(notebook.iamUserName);
  // A developer finds their own key, not a colleague's in another team.
  const devSearch = async (q: string) => ((await (await dev.request.get(`/usage/subjects?q=${encodeURIComponent(q)}`)).json()) as { items: { subject: string }[] }).items.map((i) => i.subject);
  expect(await devSearch(checkout.name)).toEqual([`key:${checkout.iamUserName}`]);
  expect(await devSearch(notebook.name)).toEqual([]);

  await lead.goto(`/usage?event=${researchEvent}`);
  await expect(lead.getByRole("status", { name: "Call not found" })).toBeVisible();
  await expect(lead.getByRole("dialog")).toHaveCount(0);
  await lead.goto(`/usage?who=${encodeURIComponent(`key:${notebook.iamUserName}`)}`);
  await expect(lead.getByText("No calls match these filters in this date range.")).toBeVisible();

  await dev.goto("/usage");
  await expect(dev.getByRole("button", { name: "Sync now" })).toHaveCount(0);
  await expect(dev.getByLabel("Team", { exact: true })).toHaveCount(0);
  const devTop = dev.locator("section").filter({ has: dev.getByRole("heading", { name: "Top keys and people" }) });
  await devTop.getByText("Show as a table").click();
  await expect(devTop.getByRole("table")).toContainText(checkout.name);
  await expect(devTop.getByRole("table")).not.toContainText(notebook.name);

  await admin.goto(`/usage?event=${researchEvent}`);
  await expect(admin.getByRole("dialog", { name: "Call details" })).toContainText(notebook.name);
});

test("anomalies on the dashboard and the key page; the inventory shows last use", async ({ asAdmin: admin }) => {
  await admin.goto("/usage");
  const anomalies = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Worth a look" }) });
  await expect(anomalies.getByText(/disabled keys? still in use/)).toBeVisible();
  await expect(anomalies.getByRole("listitem").filter({ hasText: /refused call/ }).getByRole("link", { name: legacy.name })).toBeVisible();
  await expect(anomalies.getByText(/new source IPs?/)).toBeVisible();
  await expectNoSeriousA11yViolations(admin);

  await admin.goto(`/keys/${checkout.keyId}`);
  const usage = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Usage", exact: true }) });
  await expect(usage.getByRole("heading", { name: "Calls per day, last 30 days" })).toBeVisible();
  await expect(usage).toContainText(`${expected.checkout} calls in the last 30 days`);
  // The live calls came from addresses the key had never used before.
  await expect(usage.getByText(/new source IPs? in 7 days/)).toBeVisible();
  await expect(usage.getByText("198.51.100.11")).toBeVisible();

  await admin.goto(`/keys?q=${encodeURIComponent(checkout.name)}`);
  await expect(admin.getByRole("columnheader", { name: /Last used/ })).toBeVisible();
});

test("Sync now ends with what it brought, and the page shows the new calls without a reload", async ({ asAdmin: admin, request }) => {
  test.setTimeout(120_000);
  await expect.poll(async () => (await syncStatus(admin))?.status, { timeout: 60_000 }).not.toBe("running");
  await admin.goto("/usage");
  const callsBefore = Number((await tile(admin, "Calls").innerText()).replace(/\D/g, ""));
  const runBefore = (await syncStatus(admin))?.runId ?? 0;
  expect(await call(request, checkout.secret)).toBe(200);
  expect(await call(request, checkout.secret, { model: "amazon.nova-lite-v1:0" })).toBe(200);
  expected.checkout += 2;
  expected.checkoutNova += 1;

  // An incremental sync ends in a fraction of a second: the panel must still say what it brought.
  await admin.getByRole("button", { name: "Sync now" }).click();
  const result = admin.getByRole("status", { name: "Result of the last sync" });
  await expect(result).toHaveText(/^(\d+ new calls?|Nothing new)$/, { timeout: 60_000 });
  const run = await syncStatus(admin);
  if (run && run.runId === runBefore + 1 && run.trigger === "manual") await expect(result).toHaveText("2 new calls");
  // The new calls are on the page: the same document, refreshed in place.
  await expect(tile(admin, "Calls")).toHaveText(String(callsBefore + 2).replace(/\B(?=(\d{3})+(?!\d))/g, ","));
  await expect(admin.getByRole("button", { name: "Sync now" })).toBeEnabled();

  // Nothing has happened since: a second press says so.
  await admin.getByRole("button", { name: "Sync now" }).click();
  await expect(result).toHaveText("Nothing new", { timeout: 60_000 });
});

test("on a wide screen the calls table stays inside its card, Details in view", async ({ asAdmin }) => {
  await asAdmin.setViewportSize({ width: 1440, height: 900 });
  await asAdmin.goto("/usage");
  const table = asAdmin.getByRole("table", { name: /Bedrock calls made with API keys/ });
  await expect(table).toBeVisible();
  await table.scrollIntoViewIfNeeded();
  const fit = await table.evaluate((el) => {
    const scroller = el.parentElement as HTMLElement;
    const details = [...el.querySelectorAll("th")].find((th) => th.textContent?.trim() === "Details") as HTMLElement;
    return {
      // At 1440 px the last column ends inside the card's scroll area, and the page itself is no
      // wider than the window.
      detailsRight: details.getBoundingClientRect().right,
      scrollerRight: scroller.getBoundingClientRect().right,
      page: document.documentElement.scrollWidth,
      width: window.innerWidth,
    };
  });
  // A few pixels of collapsed borders may stick out; a half-hidden column is a hundred.
  expect(fit.detailsRight).toBeLessThanOrEqual(fit.scrollerRight + 4);
  expect(fit.page).toBeLessThanOrEqual(fit.width);
  const details = table.getByRole("columnheader", { name: "Details" });
  await details.scrollIntoViewIfNeeded();
  await expect(details).toBeInViewport({ ratio: 0.95 });
});

test("bars lead somewhere: a key's bar filters to that key, a day's bar to that day", async ({ asAdmin: admin }) => {
  await admin.setViewportSize({ width: 1440, height: 900 });
  await admin.goto("/usage");
  const top = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Top keys and people" }) });
  // Labels stay on one line; the full text is in the tick's title.
  const title = top.locator("svg text > title").first();
  await expect(title).toHaveCount(1);
  const full = await title.textContent();
  await top.locator(".recharts-bar-rectangle path").first().click();
  await expect(admin).toHaveURL(/who=(key|identity)%3A/);
  const who = new URL(admin.url()).searchParams.get("who")!;
  // The filter names what the bar was, and the calls table lists only it.
  const selected = await admin.getByRole("combobox", { name: "Key or person" }).inputValue();
  expect(full).toContain(selected!.replace(/ \(.*\)$/, ""));
  await expect(admin.getByRole("table", { name: /Bedrock calls made with API keys/ }).getByRole("row")).not.toHaveCount(0);
  expect(who.length).toBeGreaterThan(4);

  await admin.goto("/usage");
  const byModel = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Calls per day by model" }) });
  await byModel.locator(".recharts-bar-rectangle path").last().click();
  await expect(admin).toHaveURL(/range=custom&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  const params = new URL(admin.url()).searchParams;
  expect(params.get("from")).toBe(params.get("to"));
  await expect(admin.getByText(`Showing ${params.get("from")} to ${params.get("to")} (UTC).`)).toBeVisible();
  await expect(admin.getByLabel("Date range", { exact: true })).toHaveValue("custom");
  // Back undoes it.
  await admin.goBack();
  await expect(admin).toHaveURL(/\/usage$/);
});

