import { randomUUID } from "node:crypto";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_CREDENTIALS, recordingAudit } from "@/tests/support/keys-env";
import { latestSyncStatus, startUsageSync } from "@/lib/usage/sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { generateTraffic } from "@/sandbox/src/traffic/generate";
import { type CostStream, syncInvocationLogs } from "./ingest";
import { loadAwsPrices, PRICE_LIST, PriceInputError, revertPriceOverride, setPriceOverride } from "./prices";
import { recountCost } from "./records";

const OWN = "123456789012";
const GROUP = "/aws/bedrock/modelinvocations";
const STREAM = "aws/bedrock/modelinvocations";

let env: UsageTestEnv;
const clients = new Map<string, CostStream>();
beforeAll(async () => {
  env = await createUsageTestEnv();
});
afterAll(async () => env?.close());

function stream(region = "us-east-1"): CostStream {
  let s = clients.get(region);
  if (!s) {
    const common = { region, endpoint: env.sandbox.url, credentials: ADMIN_CREDENTIALS };
    // The sandbox keeps AWS's 5 FilterLogEvents/s on; the reader paces itself at that rate.
    s = { accountId: OWN, region, logs: new CloudWatchLogsClient({ ...common, maxAttempts: 1 }), bedrock: new BedrockClient({ ...common, maxAttempts: 1 }), bucket: new TokenBucket(5) };
    clients.set(region, s);
  }
  return s;
}

const deps = () => ({ db: env.db, now: () => new Date(), lateMs: 15 * 60_000, retry: { baseMs: 20, maxMs: 200, maxAttempts: 20 } });

beforeEach(async () => {
  await env.control("POST", "reset").catch(() => undefined);
  for (const table of ["invocationRecord", "costDaily", "costDailySubject", "costMonthlySubject", "costDailyModel", "invocationLogCursor", "invocationLoggingStatus", "modelPrice", "usageSyncRun", "jobLease", "auditEntry"] as const) {
    await (env.db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  await loadAwsPrices(env.db);
});

interface Rec {
  requestId?: string;
  at: number;
  arn?: string;
  modelId: string;
  operation?: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  body?: string;
}

/** Appends records in AWS's schema to the log group, as Bedrock would deliver them. */
async function deliver(records: Rec[], region = "us-east-1") {
  const events = records.map((r) => ({
    timestamp: r.at,
    message: JSON.stringify({
      schemaType: "ModelInvocationLog",
      schemaVersion: "1.0",
      timestamp: new Date(r.at).toISOString().replace(/\.\d+Z$/, "Z"),
      accountId: OWN,
      identity: { arn: r.arn ?? `arn:aws:iam::${OWN}:user/BedrockAPIKey-test-ab12` },
      region,
      requestId: r.requestId ?? randomUUID(),
      operation: r.operation ?? "Converse",
      modelId: r.modelId,
      input: {
        inputContentType: "application/json",
        ...(r.body ? { inputBodyJson: { messages: [{ role: "user", content: [{ text: r.body }] }] } } : {}),
        inputTokenCount: r.input,
        ...(r.cacheRead !== undefined ? { cacheReadInputTokenCount: r.cacheRead } : {}),
        ...(r.cacheWrite !== undefined ? { cacheWriteInputTokenCount: r.cacheWrite } : {}),
      },
      output: { outputContentType: "application/json", ...(r.body ? { outputBodyJson: { text: `reply to ${r.body}` } } : {}), outputTokenCount: r.output },
      inferenceRegion: region,
    }),
  }));
  await env.control("POST", "logs/events", { region, logGroupName: GROUP, logStreamName: STREAM, events });
}

async function loggingOn(region = "us-east-1") {
  await env.control("POST", "bedrock/logging", { region, logGroupName: GROUP });
}

async function expectRollupsEqualRecount() {
  const recount = await recountCost(env.db);
  const daily = await env.db.costDaily.findMany();
  const bySubject = await env.db.costDailySubject.findMany();
  const byMonth = await env.db.costMonthlySubject.findMany();
  const byModel = await env.db.costDailyModel.findMany();
  const norm = (rows: { key: Record<string, string>; sums: Record<string, number | string> }[]) =>
    rows.map(({ key, sums }) => ({ ...key, ...sums, costUsd: Math.round((sums.costUsd as number) * 1e9) })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const stored = <T extends Record<string, unknown>>(rows: T[], keys: string[]) =>
    norm(rows.map((r) => ({ key: Object.fromEntries(keys.map((k) => [k, r[k] as string])), sums: { identityType: r.identityType as string, calls: r.calls as number, inputTokens: r.inputTokens as number, outputTokens: r.outputTokens as number, cacheReadTokens: r.cacheReadTokens as number, cacheWriteTokens: r.cacheWriteTokens as number, costUsd: r.costUsd as number, unpricedCalls: r.unpricedCalls as number } })));
  expect(stored(daily, ["day", "subject", "accountId", "modelId", "region"])).toEqual(norm(recount.daily as never));
  expect(stored(bySubject, ["day", "subject"])).toEqual(norm(recount.bySubject as never));
  expect(stored(byMonth, ["month", "subject"])).toEqual(norm(recount.byMonth as never));
  expect(stored(byModel, ["day", "accountId", "modelId", "region", "identityType"])).toEqual(norm(recount.byModel as never));
  expect(daily.length).toBeGreaterThan(0);
  expect(bySubject.length).toBeGreaterThan(0);
  expect(byMonth.length).toBeGreaterThan(0);
}

describe("invocation-log ingest", () => {
  it("costs a known sample exactly as computed by hand, maps profiles to base models, never prices an unknown model as 0, never stores bodies", async () => {
    await loggingOn();
    const t = Date.now() - 3_600_000;
    const person = env.users.devA;
    await env.db.shortTermIssuance.create({ data: { userId: person.id, sourceIdentity: "dev-a@example.com+u1", roleArn: `arn:aws:iam::${OWN}:role/BedrockShortTerm`, region: "us-east-1", accessKeyId: `ASIA${randomUUID().slice(0, 12)}`, issuedAt: new Date(t - 60_000), expiresAt: new Date(t + 3_600_000) } });
    const key = await env.db.apiKey.create({ data: { iamUserName: "BedrockAPIKey-test-ab12", name: "cost test key" } });
    await deliver([
      // Claude 3.5 Haiku through the US profile: 1000 × 0.80 + 500 × 4 + 2000 × 0.08 + 100 × 1.00 = 3060 µ$
      { at: t, modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100, body: "TOP-SECRET-PROMPT" },
      // Nova Pro by a person's short-term key: 10000 × 0.80 + 2000 × 3.20 = 14400 µ$
      { at: t + 1000, arn: `arn:aws:sts::${OWN}:assumed-role/BedrockShortTerm/dev-a@example.com+u1`, modelId: "amazon.nova-pro-v1:0", input: 10_000, output: 2000 },
      // Sonnet 4.5's global profile has its own (lower) price: 1e6 × 3 + 1e5 × 15 = 4.5 $
      { at: t + 2000, modelId: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", input: 1_000_000, output: 100_000 },
      // …and an ARN of the EU profile the regional price: 1e6 × 3.30 = 3.30 $
      { at: t + 3000, modelId: `arn:aws:bedrock:us-east-1:${OWN}:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0`, input: 1_000_000, output: 0 },
      { at: t + 4000, modelId: "acme.unheard-of-v1:0", input: 700, output: 70 },
      { at: t + 5000, modelId: `arn:aws:bedrock:us-east-1:${OWN}:provisioned-model/abc123`, input: 50, output: 5 },
      // Llama has no cache price: a call that reports cache reads is unpriced, not guessed
      { at: t + 6000, modelId: "meta.llama3-1-8b-instruct-v1:0", input: 10, output: 10, cacheRead: 5 },
    ]);
    const p = await syncInvocationLogs(deps(), stream());
    expect(p).toMatchObject({ status: "done", inserted: 7, logging: "on" });
    const rows = await env.db.invocationRecord.findMany({ orderBy: { timestamp: "asc" } });
    expect(rows.map((r) => [r.priceModelId, r.costUsd === null ? null : Math.round(r.costUsd * 1e6), r.unpricedReason])).toEqual([
      ["anthropic.claude-3-5-haiku-20241022-v1:0", 3060, null],
      ["amazon.nova-pro-v1:0", 14_400, null],
      ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", 4_500_000, null],
      ["anthropic.claude-sonnet-4-5-20250929-v1:0", 3_300_000, null],
      ["acme.unheard-of-v1:0", null, "unknown_model"],
      ["", null, "provisioned"],
      ["meta.llama3-1-8b-instruct-v1:0", null, "no_cache_price"],
    ]);
    // Attribution as usage's: the key's IAM user → the key; the console-named session → the person.
    expect(rows[0]).toMatchObject({ subject: "key:BedrockAPIKey-test-ab12", identityType: "long-term", apiKeyId: key.id, userId: null, cacheReadTokens: 2000, cacheWriteTokens: 100 });
    expect(rows[1]).toMatchObject({ subject: "identity:dev-a@example.com+u1", identityType: "short-term", apiKeyId: null, userId: person.id });
    // The priceId is the AWS row it was costed with.
    const haiku = await env.db.modelPrice.findUniqueOrThrow({ where: { id: rows[0]!.priceId! } });
    expect(haiku).toMatchObject({ source: "aws", modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", asOf: PRICE_LIST.asOf });
    // Unpriced calls count in tokens and unpricedCalls, not in cost.
    const unknown = await env.db.costDaily.findFirstOrThrow({ where: { modelId: "acme.unheard-of-v1:0" } });
    expect(unknown).toMatchObject({ calls: 1, inputTokens: 700, costUsd: 0, unpricedCalls: 1 });
    // The prompt the account logged is nowhere in the database.
    const everything = JSON.stringify(await env.db.invocationRecord.findMany()) + JSON.stringify(await env.db.costDaily.findMany());
    expect(everything).not.toContain("TOP-SECRET-PROMPT");
    const status = await env.db.invocationLoggingStatus.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-east-1" } } });
    expect(status).toMatchObject({ state: "on", logGroupName: GROUP, textDelivery: false });
    await expectRollupsEqualRecount();
  });

  it("generated traffic: every logged call stored once; its cost equals tokens × the shipped list; rollups equal a recount; a second run adds nothing", async () => {
    const summary = await generateTraffic({ endpoint: env.sandbox.url, days: 2, calls: 30, bulk: 3000, seed: 15, invocationLogging: true });
    expect(summary.succeeded).toBeGreaterThan(0);
    const groups = (await env.control("GET", "logs/groups?region=us-east-1")) as unknown as { logGroups: { logGroupName: string; streams: { events: number }[] }[] };
    const logged = groups.logGroups.filter((g) => g.logGroupName === GROUP).flatMap((g) => g.streams).reduce((n, s) => n + s.events, 0);
    expect(logged).toBeGreaterThan(1000);
    const first = await syncInvocationLogs(deps(), stream());
    expect(first.status).toBe("done");
    expect(first.inserted).toBeGreaterThan(1000);
    expect(await env.db.invocationRecord.count({ where: { region: "us-east-1" } })).toBe(logged);
    // Hand computation from prices.json itself, independent of PriceBook.
    const list = new Map(PRICE_LIST.prices.map((p) => [p.modelId, p]));
    const records = await env.db.invocationRecord.findMany();
    let expected = 0;
    let priced = 0;
    for (const r of records) {
      const base = r.modelId.replace(/^(us|eu|apac|global)\./, "");
      const p = list.get(r.modelId) ?? list.get(base);
      if (!p) continue;
      priced++;
      expected += (r.inputTokens * p.input + r.outputTokens * p.output + r.cacheReadTokens * (p.cacheRead ?? 0) + r.cacheWriteTokens * (p.cacheWrite ?? 0)) / 1e6;
    }
    expect(priced).toBeGreaterThan(records.length * 0.9);
    const stored = records.reduce((n, r) => n + (r.costUsd ?? 0), 0);
    expect(stored).toBeCloseTo(expected, 6);
    const daily = await env.db.costDaily.aggregate({ _sum: { costUsd: true, inputTokens: true } });
    expect(daily._sum.costUsd).toBeCloseTo(expected, 6);
    expect(daily._sum.inputTokens).toBe(records.reduce((n, r) => n + r.inputTokens, 0));
    await expectRollupsEqualRecount();
    const second = await syncInvocationLogs(deps(), stream());
    expect(second.inserted).toBe(0);
    expect(await env.db.invocationRecord.count({ where: { region: "us-east-1" } })).toBe(logged);
    await expectRollupsEqualRecount();
  });

  it("resumes after a run stopped mid-way: the rest is read, nothing twice", async () => {
    await loggingOn();
    const t0 = Date.now() - 6 * 3_600_000;
    // ≈ 580 bytes per record: a 1 MB page holds ≈ 1,750, so 5,000 records take three pages.
    const recs: Rec[] = Array.from({ length: 5000 }, (_, i) => ({ at: t0 + i * 1000, modelId: "amazon.nova-lite-v1:0", input: 100 + (i % 7), output: 10 }));
    for (let i = 0; i < recs.length; i += 2500) await deliver(recs.slice(i, i + 2500));
    let pages = 0;
    const partial = await syncInvocationLogs(deps(), stream(), { shouldStop: () => pages >= 1, onProgress: (p) => void (pages = p.pages) });
    expect(partial.pages).toBe(1);
    const afterCrash = await env.db.invocationRecord.count();
    expect(afterCrash).toBeGreaterThan(0);
    expect(afterCrash).toBeLessThan(5000);
    const cursor = await env.db.invocationLogCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-east-1" } } });
    expect(cursor.syncedThrough!.getTime()).toBeLessThan(t0 + 5000 * 1000);
    const rest = await syncInvocationLogs(deps(), stream());
    expect(afterCrash + rest.inserted).toBe(5000);
    expect(await env.db.invocationRecord.count()).toBe(5000);
    await expectRollupsEqualRecount();
  });

  it("backs off when FilterLogEvents is throttled (someone else spends the account's allowance) and still reads everything", async () => {
    await loggingOn();
    const t0 = Date.now() - 3_600_000;
    await deliver(Array.from({ length: 4000 }, (_, i) => ({ at: t0 + i * 500, modelId: "amazon.nova-lite-v1:0", input: 10, output: 1 })));
    // The account's allowance is spent after one request (the sandbox's bucket does not refill
    // until we say so), and this reader's own bucket would go much faster: it must back off.
    await env.control("POST", "logs/throttle", { enabled: true, refill: false, quotas: { FilterLogEvents: 1 } });
    const refillLater = setTimeout(() => void env.control("POST", "logs/throttle", { refill: true }), 1500);
    try {
      const fast = { ...stream(), bucket: new TokenBucket(1000) };
      const p = await syncInvocationLogs({ ...deps(), retry: { baseMs: 100, maxMs: 1000, maxAttempts: 30 } }, fast);
      expect(p.throttled).toBeGreaterThan(0);
      expect(p.pages).toBeGreaterThanOrEqual(2);
      expect(await env.db.invocationRecord.count()).toBe(4000);
    } finally {
      clearTimeout(refillLater);
      await env.control("POST", "logs/throttle", { enabled: true, refill: true, quotas: { FilterLogEvents: 5 } });
    }
  });

  it("late records within the margin are picked up; duplicates (same request id) are stored once", async () => {
    await loggingOn();
    const dup = randomUUID();
    await deliver([{ at: Date.now() - 60_000, modelId: "amazon.nova-micro-v1:0", input: 100, output: 10, requestId: dup }]);
    await syncInvocationLogs(deps(), stream());
    // Delivered after the run, stamped before its end (late), plus the same record again and a duplicate within the batch.
    await deliver([
      { at: Date.now() - 5 * 60_000, modelId: "amazon.nova-micro-v1:0", input: 1000, output: 100, requestId: "late-1" },
      { at: Date.now() - 60_000, modelId: "amazon.nova-micro-v1:0", input: 100, output: 10, requestId: dup },
      { at: Date.now() - 30_000, modelId: "amazon.nova-micro-v1:0", input: 7, output: 7, requestId: "twice" },
      { at: Date.now() - 29_000, modelId: "amazon.nova-micro-v1:0", input: 7, output: 7, requestId: "twice" },
    ]);
    const p = await syncInvocationLogs(deps(), stream());
    expect(p.inserted).toBe(2);
    expect((await env.db.invocationRecord.findMany({ orderBy: { timestamp: "asc" } })).map((r) => r.requestId)).toEqual(["late-1", dup, "twice"]);
    const daily = await env.db.costDaily.aggregate({ _sum: { calls: true, inputTokens: true } });
    expect(daily._sum).toEqual({ calls: 3, inputTokens: 1107 });
    await expectRollupsEqualRecount();
  });

  it("a deleted log group or denied access is recorded on the cursor and fails that region only, inside the usage sync run", async () => {
    await loggingOn("us-east-1");
    await loggingOn("us-west-2");
    await deliver([{ at: Date.now() - 60_000, modelId: "amazon.nova-lite-v1:0", input: 10, output: 1 }]);
    await deliver([{ at: Date.now() - 60_000, modelId: "amazon.nova-lite-v1:0", input: 10, output: 1 }], "us-west-2");
    await syncInvocationLogs(deps(), stream("us-east-1"));
    await env.control("DELETE", `logs/groups?region=us-east-1&name=${encodeURIComponent(GROUP)}`);
    await expect(syncInvocationLogs(deps(), stream("us-east-1"))).rejects.toMatchObject({ awsCode: "ResourceNotFoundException" });
    const cursor = await env.db.invocationLogCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-east-1" } } });
    expect(cursor.lastErrorCode).toBe("ResourceNotFoundException");
    expect(cursor.lastError).toContain(GROUP);

    // Access denied on Logs, through the usage sync's run ("Sync now" covers it): recorded, no crash.
    await env.control("POST", "faults", { service: "logs", operation: "FilterLogEvents", error: { code: "AccessDeniedException", status: 400, message: "not authorized" } });
    const run = async () => {
      const started = await startUsageSync(env.syncDeps({ regions: [], costStreams: async () => [stream("us-west-2"), stream("us-east-1")] }), "manual");
      if (started.status !== "started") throw new Error("not started");
      return started.done;
    };
    expect((await run()).status).toBe("failure");
    const codes = async () => (await env.db.invocationLogCursor.findMany({ orderBy: { region: "asc" } })).map((c) => [c.region, c.lastErrorCode]);
    expect(await codes()).toEqual([
      ["us-east-1", "AccessDeniedException"],
      ["us-west-2", "AccessDeniedException"],
    ]);
    // Access back: us-west-2 reads and its error clears; us-east-1's group is still gone. The run is partial.
    await env.control("DELETE", "faults");
    expect((await run()).status).toBe("partial");
    expect(await codes()).toEqual([
      ["us-east-1", "ResourceNotFoundException"],
      ["us-west-2", null],
    ]);
    const status = await latestSyncStatus(env.db);
    expect(status?.regions.filter((r) => r.source === "logs").map((r) => [r.region, r.status, r.error ?? null])).toEqual([
      ["us-west-2", "done", null],
      ["us-east-1", "failed", "ResourceNotFoundException"],
    ]);
    expect(await env.db.invocationRecord.count({ where: { region: "us-west-2" } })).toBe(1);
  });

  it("logging off: nothing to read, the status says so", async () => {
    const p = await syncInvocationLogs(deps(), stream("eu-central-1"));
    expect(p).toMatchObject({ status: "done", logging: "off", inserted: 0 });
    expect(await env.db.invocationLoggingStatus.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "eu-central-1" } } })).toMatchObject({ state: "off" });
    expect(await env.db.invocationLogCursor.count()).toBe(0);
  });

  it("a price override costs new records only, reverting brings AWS's back; bad prices are refused; the audit gets before and after", async () => {
    await loggingOn();
    await deliver([{ at: Date.now() - 120_000, modelId: "us.amazon.nova-pro-v1:0", input: 1_000_000, output: 0, requestId: "before-override" }]);
    await syncInvocationLogs(deps(), stream());
    const admin = { id: env.users.admin.id, email: env.users.admin.email };
    await expect(setPriceOverride(env.db, admin, { modelId: "amazon.nova-pro-v1:0", region: "*", inputPerMTok: -1, outputPerMTok: 3 }, recordingAudit())).rejects.toThrow("inputPerMTok: field.pricePerMTok");
    await expect(setPriceOverride(env.db, admin, { modelId: "amazon.nova-pro-v1:0", region: "*", inputPerMTok: 0.5, outputPerMTok: 50_000 }, recordingAudit())).rejects.toBeInstanceOf(PriceInputError);
    expect(await env.db.modelPrice.count({ where: { source: "admin" } })).toBe(0);
    const audit = recordingAudit();
    const row = await setPriceOverride(env.db, admin, { modelId: "amazon.nova-pro-v1:0", region: "*", inputPerMTok: "0.5", outputPerMTok: "2", cacheReadPerMTok: "", note: "private pricing" }, audit);
    await deliver([{ at: Date.now() - 60_000, modelId: "us.amazon.nova-pro-v1:0", input: 1_000_000, output: 0, requestId: "after-override" }]);
    await syncInvocationLogs(deps(), stream());
    const [before, after] = await env.db.invocationRecord.findMany({ orderBy: { timestamp: "asc" } });
    expect(before).toMatchObject({ requestId: "before-override", costUsd: 0.8 });
    expect(after).toMatchObject({ requestId: "after-override", costUsd: 0.5, priceId: row.id });
    expect(audit.targets.at(-1)).toMatchObject({ type: "price", id: row.id, label: "amazon.nova-pro-v1:0 (all regions)" });
    expect(audit.details).toMatchObject({ before: { source: "aws", inputPerMTok: 0.8 }, after: { source: "admin", inputPerMTok: 0.5, cacheReadPerMTok: null, note: "private pricing" } });
    // Reverting puts AWS's price back for the next records; the overridden record keeps its cost.
    const revert = recordingAudit();
    expect(await revertPriceOverride(env.db, { modelId: "amazon.nova-pro-v1:0", region: "*" }, revert)).toEqual({ reverted: true });
    expect(revert.details).toMatchObject({ before: { source: "admin" }, after: { source: "aws", inputPerMTok: 0.8 } });
    await deliver([{ at: Date.now() - 30_000, modelId: "us.amazon.nova-pro-v1:0", input: 1_000_000, output: 0, requestId: "after-revert" }]);
    await syncInvocationLogs(deps(), stream());
    expect(await env.db.invocationRecord.findMany({ orderBy: { timestamp: "asc" }, select: { costUsd: true } })).toEqual([{ costUsd: 0.8 }, { costUsd: 0.5 }, { costUsd: 0.8 }]);
    // Loading the list again (every start-up) changes nothing.
    expect(await loadAwsPrices(env.db)).toEqual({ inserted: 0, superseded: 0 });
  });
});
