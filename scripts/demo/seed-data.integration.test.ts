/**
 * The demo's first-run seed against an in-process sandbox and a test database, then the console's
 * own usage sync: every demo role must find keys, usage, requests and short-term keys through the
 * same query functions the pages use — and no secret may have been kept anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/service";
import { listKeys } from "@/lib/keys/queries";
import { keyFilterSchema } from "@/lib/keys/schemas";
import { ADMIN_CREDENTIALS, KEY_PATH } from "@/tests/support/keys-env";
import type { KeyActor } from "@/lib/keys/types";
import { listMyRequests, listQueue } from "@/lib/requests/queries";
import { queueFilterSchema } from "@/lib/requests/schemas";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { issuanceFilterSchema, listIssuances } from "@/lib/shortterm/queries";
import { loadUsageDashboard } from "@/lib/usage/dashboard";
import { usageFilterSchema } from "@/lib/usage/filters";
import { syncAllRegions } from "@/lib/usage/sync";
import { createUsageTestEnv, TEST_REGIONS, type UsageTestEnv } from "@/tests/support/usage-env";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { syncInvocationLogs } from "@/lib/cost/ingest";
import { loadAwsPrices, PriceBook } from "@/lib/cost/prices";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { assertDemoDatabase, NotADemoDatabase, seedDemoAccounts } from "./accounts";
import { type DemoSeedDeps, type DemoSeedSummary, describeDemoSeed, loadPeople, seedDemoData } from "./seed-data";
import { runPostureEvaluation } from "@/lib/posture/job";
import { POSTURE_DEMO_USERS } from "./posture-risks";
import { secretShapesIn } from "@/lib/testing/secret-shapes";

let env: UsageTestEnv;
let deps: DemoSeedDeps;
let summary: DemoSeedSummary;
const people: Record<string, KeyActor & { name: string }> = {};

beforeAll(async () => {
  env = await createUsageTestEnv();
  await seedDemoAccounts(env.db, "not-a-real-hash");
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  deps = {
    db: env.db,
    iam: env.aws.iam,
    sts: env.aws.sts,
    sandboxUrl: env.sandbox.url,
    region: "us-east-1",
    keyIamPath: KEY_PATH,
    allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"],
    regions: [...TEST_REGIONS],
    shortTermRoleArn: role.roleArn,
    shortTermMaxHours: 12,
    calls: 160,
    unmanagedKeys: 0,
    seed: 11,
  };
  summary = await seedDemoData(deps);
  await loadAwsPrices(env.db);
  // What the console does at start-up: read the account's CloudTrail into the usage tables.
  await syncAllRegions(env.syncDeps());
  Object.assign(people, await loadPeople(env.db));
}, 240_000);

afterAll(async () => {
  await env?.close();
});

const keysOf = async (who: string, filters: Record<string, string> = {}) =>
  (await listKeys(env.db, people[who]!, keyFilterSchema.parse(filters), new Date())).rows;
const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();

describe("the demo seed", () => {
  it("issues keys, requests and short-term keys, drives traffic, and puts the sandbox clock back", () => {
    expect(summary.skipped).toBeUndefined();
    expect(summary).toMatchObject({ managedKeys: 10, requests: 4, shortTermKeys: 8 });
    expect(summary.traffic!.calls).toBeGreaterThan(100);
    expect(summary.traffic!.succeeded).toBeGreaterThan(summary.traffic!.calls / 2);
    expect(env.sandbox.state.clockOffsetMs).toBe(0);
    expect(describeDemoSeed(summary)).toMatch(/^10 managed keys in Payments and Research, 4 requests, 8 short-term keys, \d+ Bedrock calls/);
  });

  it("gives each role its own keys: owners and teams in both teams, restricted, expiring, disabled and unused ones", async () => {
    expect(names(await keysOf("lead"))).toEqual(["checkout-assistant", "checkout-staging", "fraud-rules-staging", "fraud-scoring", "invoice-summaries", "reconciliation-batch"]);
    expect(names(await keysOf("dev"))).toEqual(["checkout-assistant", "checkout-staging", "invoice-summaries", "reconciliation-batch"]);
    expect(names(await keysOf("researcher"))).toEqual(["embedding-index", "eval-harness", "notebook-prototype", "research-notebook"]);
    const all = await keysOf("admin");
    expect(all).toHaveLength(10);
    for (const k of all) {
      expect(k.managed).toBe(true);
      expect(k.owner?.email).toMatch(/@demo\.local$/);
      expect(k.purpose).not.toBe("");
    }
    const byName = new Map(all.map((k) => [k.name, k]));
    expect(byName.get("reconciliation-batch")!.status).toBe("Inactive");
    expect(byName.get("invoice-summaries")!.team?.name).toBe("Payments");
    // Expiring within a week, in both teams.
    expect(names(await keysOf("lead", { expiringWithinDays: "7" }))).toEqual(["fraud-scoring", "invoice-summaries"]);
    expect(names(await keysOf("researcher", { expiringWithinDays: "7" }))).toEqual(["embedding-index"]);
    // Unused for 40 days: issued 48 days ago and never called.
    const unused = await keysOf("researcher", { unusedForDays: "40" });
    expect(names(unused)).toEqual(["notebook-prototype"]);
    expect(unused[0]!.lastUsedAt).toBeNull();
    expect(Date.now() - Date.parse(unused[0]!.createdAt!)).toBeGreaterThan(47 * 86_400_000);
    // The keys that were called have "last used" from the synced usage.
    expect(byName.get("checkout-assistant")!.lastUsedAt).not.toBeNull();
    expect(byName.get("eval-harness")!.lastUsedAt).not.toBeNull();
    // Restrictions are in IAM, as the issue form would have put them.
    const settings = await env.db.apiKey.findMany({ where: { name: { in: ["checkout-assistant", "fraud-scoring"] } }, select: { name: true, settings: true } });
    const restrictions = Object.fromEntries(settings.map((s) => [s.name, JSON.parse(s.settings) as { models: string[]; cidrs: string[] }]));
    expect(restrictions["checkout-assistant"]!.models).toContain("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(restrictions["fraud-scoring"]!.cidrs).toEqual(["10.20.0.0/16"]);
  });

  it("gives each role usage, with the disabled key's refused calls and the unused key among the anomalies", async () => {
    const now = new Date();
    const dashboard = (who: string) => loadUsageDashboard(env.db, people[who]!, usageFilterSchema.parse({}), now, TEST_REGIONS);
    for (const who of ["admin", "lead", "dev", "researcher"]) {
      const d = await dashboard(who);
      expect(d.overview.totals.calls, who).toBeGreaterThan(0);
      expect(d.events.rows.length, who).toBeGreaterThan(0);
    }
    const lead = await dashboard("lead");
    expect(lead.anomalies.refusedKeys.map((r) => r.who.label)).toContain("reconciliation-batch");
    const dev = await dashboard("dev");
    expect(dev.overview.top.map((t) => t.label)).toEqual(expect.arrayContaining(["checkout-assistant"]));
    expect(dev.overview.top.some((t) => t.kind === "person")).toBe(true); // their short-term keys' calls
    const researcher = await dashboard("researcher");
    expect(researcher.anomalies.unusedKeys?.map((k) => k.name)).toEqual(["notebook-prototype"]);
    // Nobody sees another team's keys in usage either.
    expect(researcher.overview.top.map((t) => t.team)).not.toContain("Payments");
  });

  it("switches invocation logging on, so the first sync has tokens and cost per key and person", async () => {
    const clients = { region: "us-east-1", endpoint: env.sandbox.url, credentials: ADMIN_CREDENTIALS, maxAttempts: 1 };
    const progress = await syncInvocationLogs(
      { db: env.db, now: () => new Date(), lateMs: 15 * 60_000 },
      { accountId: "123456789012", region: "us-east-1", logs: new CloudWatchLogsClient(clients), bedrock: new BedrockClient(clients), bucket: new TokenBucket(5) },
      { prices: new PriceBook(await env.db.modelPrice.findMany({ where: { supersededAt: null } })) },
    );
    expect(progress).toMatchObject({ status: "done", logging: "on" });
    expect(progress.inserted).toBeGreaterThan(20);
    const byKey = await env.db.invocationRecord.groupBy({ by: ["apiKeyId"], where: { apiKeyId: { not: null } }, _count: true });
    expect(byKey.length).toBeGreaterThan(1);
    expect(await env.db.invocationRecord.count({ where: { userId: { not: null } } })).toBeGreaterThan(0);
  });

  it("leaves a pending request for the lead, an approved one to pick up, and history", async () => {
    const now = new Date();
    const queue = await listQueue(env.db, people.lead!, queueFilterSchema.parse({}), now);
    expect(queue.rows.map((r) => [r.keyName, r.status, r.requester.email])).toEqual([["dispute-triage", "pending", "dev@demo.local"]]);
    const mine = await listMyRequests(env.db, people.dev!, now);
    expect(mine.map((r) => [r.keyName, r.status]).sort()).toEqual([
      ["chargeback-agent", "denied"],
      ["dispute-triage", "pending"],
      ["invoice-summaries", "picked_up"],
    ]);
    const riku = await listMyRequests(env.db, people.researcher!, now);
    expect(riku.map((r) => [r.keyName, r.status])).toEqual([["rag-benchmarks", "approved"]]);
    expect(Date.parse(riku[0]!.pickupBy!)).toBeGreaterThan(now.getTime());
    const everything = await listQueue(env.db, people.admin!, queueFilterSchema.parse({ status: "all" }), now);
    expect(everything.total).toBe(4);
    // The lead was told about the pending request.
    expect(await env.db.notification.count({ where: { userId: people.lead!.id, kind: "request.submitted" } })).toBeGreaterThan(0);
  });

  it("gives the developers short-term keys, one of them still valid", async () => {
    const now = new Date();
    for (const who of ["dev", "researcher"]) {
      const list = await listIssuances(env.db, people[who]!, issuanceFilterSchema.parse({}), now);
      expect(list.total, who).toBe(4);
      expect(list.rows.filter((r) => r.state === "active"), who).toHaveLength(1);
    }
    const lead = await listIssuances(env.db, people.lead!, issuanceFilterSchema.parse({}), now);
    expect(lead.rows.every((r) => r.user.email === "dev@demo.local")).toBe(true);
    expect(lead.total).toBe(4);
  });

  it("audits every step as the people who took it, on the days they took it, in an intact chain", async () => {
    const entries = await env.db.auditEntry.findMany({ select: { action: true, actorEmail: true, createdAt: true } });
    const count = (action: string, actor?: string) => entries.filter((e) => e.action === action && (!actor || e.actorEmail === actor)).length;
    expect(count("keys.issue", "admin@demo.local")).toBe(9);
    expect(count("accounts.add", "admin@demo.local")).toBe(2);
    // Three accounts, keys in each, and the member accounts' keys used (their calls in their own CloudTrail).
    const accounts = await env.db.awsAccount.findMany({ orderBy: { id: "asc" }, include: { _count: { select: { apiKeys: true } } } });
    expect(accounts.map((a) => [a.name, a.source, a._count.apiKeys > 0])).toEqual([
      ["Production", "default", true],
      ["Staging", "manual", true],
      ["Research sandbox", "manual", true],
    ]);
    expect(count("keys.issue", "dev@demo.local")).toBe(1);
    expect(count("keys.disable", "lead@demo.local")).toBe(1);
    expect(count("requests.deny", "lead@demo.local")).toBe(1);
    expect(count("shortterm.generate")).toBe(8);
    expect(Math.min(...entries.map((e) => e.createdAt.getTime()))).toBeLessThan(Date.now() - 47 * 86_400_000);
    expect((await verifyAuditChain(env.db)).ok).toBe(true);
  });

  it("leaves risky keys for /posture: no expiry, a key user with an access key, an over-broad policy, an orphan user", async () => {
    const outcome = await runPostureEvaluation(env.deps, "manual");
    expect(outcome.status).toBe("done");
    const found = await env.db.postureFinding.findMany({ where: { iamUserName: { in: [...POSTURE_DEMO_USERS] } }, select: { rule: true, iamUserName: true } });
    const pairs = found.map((f) => `${f.rule}:${f.iamUserName}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        "noExpiry:BedrockAPIKey-legacy-bot",
        "pivot:BedrockAPIKey-legacy-bot",
        "overBroad:BedrockAPIKey-ops-shared",
        "pivot:BedrockAPIKey-ops-shared",
        "orphan:BedrockAPIKey-left-behind",
      ]),
    );
    expect(pairs.filter((p) => p === "overBroad:BedrockAPIKey-ops-shared")).toHaveLength(2);
  });

  it("runs once: a second run changes nothing", async () => {
    const before = await env.db.apiKey.count();
    const again = await seedDemoData(deps);
    expect(again.skipped).toBe("alreadySeeded");
    expect(await env.db.apiKey.count()).toBe(before);
  });

  it("refuses a database with people outside the demo", async () => {
    // The test environment also has its own @example.com users: exactly a "real" installation.
    await expect(assertDemoDatabase(env.db, "test.db")).rejects.toBeInstanceOf(NotADemoDatabase);
  });

  it("keeps no secret: none in the database file, the audit log or the summary", async () => {
    expect(secretShapesIn(JSON.stringify(summary))).toEqual([]);
    expect(secretShapesIn(JSON.stringify(await env.db.auditEntry.findMany()))).toEqual([]);
    // Every byte the database holds: the file and its journal on SQLite, every row on PostgreSQL.
    const bytes = await env.dbContents();
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(secretShapesIn(bytes)).toEqual([]);
  });
});
