/**
 * Several console instances on one PostgreSQL database behave as one console (issue #12): a
 * sign-in on one is valid on the others, what one instance does the others show, every
 * instance's scheduler runs but the usage sync runs once per interval, and when the instance
 * syncing is killed (kill -9: no chance to release anything) another one takes the sync over and
 * finishes it from where it stopped — every CloudTrail event stored exactly once.
 *
 * The instances are `node server.mjs` processes (what `npm start` runs) started by
 * tests/support/instances.ts on a throw-away PostgreSQL cluster and a sandbox of their own.
 */
import { expect, test } from "@playwright/test";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { DEMO_USERS } from "./support/auth";
import { issueKey } from "./support/key-journeys";
import { type Instance, type Instances, startInstances } from "./support/instances";

test.describe.configure({ mode: "serial" });

const EVENTS = 2_000;
const INTERVAL_S = 15;
let cluster: Instances;
let a: Instance;
let b: Instance;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startInstances({
    BEDROCK_REGIONS: "us-east-1",
    // A sync every 15 s on every instance; at 1 LookupEvents request a second the first sync
    // of 2,000 events takes ~40 pages ≈ 40 s, long enough to kill its instance half-way.
    USAGE_SYNC_MINUTES: String(INTERVAL_S / 60),
    LOOKUP_EVENTS_RPS: "1",
    // A dead instance's sync is taken over after 10 s without a heartbeat (default 2 min).
    USAGE_SYNC_LEASE_SECONDS: "10",
  });
  const to = Date.now() - 60_000;
  const records = generateEvents(EVENTS, { seed: 41, from: to - 20 * 86_400_000, to }).map((r) => ({ ...r, awsRegion: "us-east-1" }));
  const res = await fetch(`${cluster.sandboxUrl}/_sandbox/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(records) });
  expect(res.ok).toBe(true);
  [a, b] = await Promise.all([cluster.start("A"), cluster.start("B")]);
});

test.afterAll(async () => {
  await cluster?.stop();
});

test("every response names its request: the proxy's X-Request-Id is kept, otherwise one is made", async () => {
  const kept = await fetch(`${a.url}/api/health?live`, { headers: { "x-request-id": "lb-7f3a-0001" } });
  expect(kept.headers.get("x-request-id")).toBe("lb-7f3a-0001");
  const made = await fetch(`${b.url}/api/health?live`);
  expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  // A malformed id (spaces, control characters, too long) is replaced, never echoed.
  const bad = await fetch(`${a.url}/api/health?live`, { headers: { "x-request-id": "x".repeat(200) } });
  expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});

test("signed in on A, a key issued on B is in A's inventory", async ({ browser }) => {
  test.setTimeout(90_000);
  // One browser, one cookie jar; relative links (the key journey helpers) go to B.
  const context = await browser.newContext({ baseURL: b.url });
  const page = await context.newPage();
  await page.goto(`${a.url}/signin`, { waitUntil: "networkidle" });
  await page.getByLabel("Email", { exact: true }).fill(DEMO_USERS.admin.email);
  await page.getByLabel("Password", { exact: true }).fill("demo-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${a.url}/`);

  // The same browser on B: the session A signed is valid there (no sticky sessions needed).
  await page.goto(`${b.url}/keys`);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  const name = `Two instances ${Date.now()}`;
  await page.goto(`${b.url}/keys/new`);
  const issued = await issueKey(page, { name, owner: "Dana Developer (dev@demo.local)", stay: true });
  expect(issued.iamUserName).toMatch(/^BedrockAPIKey-/);

  await page.goto(`${a.url}/keys?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name })).toBeVisible();
  // Both instances wrote to one audit chain.
  const rows = await cluster.query<{ n: string }>(`SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'keys.issue' AND result = 'success'`);
  expect(Number(rows[0]!.n)).toBe(1);
  await context.close();
});

test("one usage sync at a time across instances; killing the syncing instance hands the sync to the other", async () => {
  test.setTimeout(180_000);
  const runs = () =>
    cluster.query<{ id: number; status: string; trigger: string; startedAt: Date; finishedAt: Date | null; eventsRead: number; eventsInserted: number }>(
      `SELECT id, status, trigger, "startedAt", "finishedAt", "eventsRead", "eventsInserted" FROM "UsageSyncRun" ORDER BY id`,
    );
  const holder = async () => (await cluster.query<{ holder: string }>(`SELECT holder FROM "JobLease" WHERE name = 'usage-sync' AND "expiresAt" > now()`))[0]?.holder ?? null;

  // Both schedulers fire ~20 s after their start; one run reads CloudTrail, the other tick finds it running.
  await expect.poll(async () => (await runs()).find((r) => r.status === "running" && r.eventsRead >= 400)?.id ?? null, { timeout: 60_000, intervals: [500] }).not.toBeNull();
  expect((await runs()).filter((r) => r.status === "running")).toHaveLength(1);
  const first = (await runs()).find((r) => r.status === "running")!;
  const owner = await holder();
  expect(owner).not.toBeNull();
  const [victim, survivor] = owner!.includes(`:${a.process.pid}:`) ? [a, b] : [b, a];
  expect(owner).toContain(`:${victim.process.pid}:`);

  victim.process.kill("SIGKILL");
  await new Promise((resolve) => victim.process.once("exit", resolve));

  // The survivor's scheduler takes the lease once it lapses, marks the dead run interrupted and
  // resumes from the cursor: every event stored once, the second run reading only what was left.
  await expect.poll(async () => (await runs()).at(-1)?.status, { timeout: 120_000, intervals: [1_000] }).toBe("success");
  const after = await runs();
  expect(after.find((r) => r.id === first.id)?.status).toBe("interrupted");
  const resumed = after.at(-1)!;
  expect(resumed.id).toBeGreaterThan(first.id);
  expect(resumed.eventsRead).toBeLessThan(EVENTS);
  const stored = await cluster.query<{ n: string }>(`SELECT count(*) AS n FROM "UsageEvent"`);
  expect(Number(stored[0]!.n)).toBe(EVENTS);
  expect(survivor.process.exitCode).toBeNull();

  // A replacement instance joins. With two schedulers ticking every 15 s for 50 s, syncs start
  // once per interval — about 3, not about 6 — and never overlap.
  const c = await cluster.start("C");
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 50_000));
  const later = (await runs()).filter((r) => r.startedAt > since);
  expect(later.length).toBeGreaterThanOrEqual(2);
  expect(later.length).toBeLessThanOrEqual(4);
  for (let i = 1; i < later.length; i++) {
    expect(later[i]!.startedAt.getTime() - later[i - 1]!.startedAt.getTime()).toBeGreaterThanOrEqual(INTERVAL_S * 0.9 * 1000 - 50);
  }
  expect(new Set(later.map((r) => r.status))).toEqual(new Set(["success"]));
  expect(c.process.exitCode).toBeNull();
});
