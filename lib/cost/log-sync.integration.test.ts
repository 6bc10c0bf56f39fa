import { randomUUID } from "node:crypto";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { acquireLease } from "@/lib/keys/lease";
import { ADMIN_CREDENTIALS } from "@/tests/support/keys-env";
import { startUsageSync } from "@/lib/usage/sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { type CostStream, syncInvocationLogs } from "./ingest";
import { FAST_LATE_MS, LOG_SYNC_LEASE, type LogSyncDeps, runInvocationLogSync } from "./log-sync";
import { loadAwsPrices } from "./prices";

/**
 * The frequent invocation-log read (issue 15's latency goals): it stores new records and has
 * budgets evaluated at once, without a usage sync run; it re-reads a short margin only, leaving
 * later records to the usage sync's full margin; one read per interval across instances.
 */
const OWN = "123456789012";
const GROUP = "/aws/bedrock/modelinvocations";
const STREAM = "aws/bedrock/modelinvocations";
const ARN = `arn:aws:iam::${OWN}:user/BedrockAPIKey-fast-ab12`;

let env: UsageTestEnv;
let stream: CostStream;
beforeAll(async () => {
  env = await createUsageTestEnv();
  const common = { region: "us-east-1", endpoint: env.sandbox.url, credentials: ADMIN_CREDENTIALS };
  stream = { accountId: OWN, region: "us-east-1", logs: new CloudWatchLogsClient({ ...common, maxAttempts: 1 }), bedrock: new BedrockClient({ ...common, maxAttempts: 1 }), bucket: new TokenBucket(5) };
});
afterAll(async () => env?.close());

beforeEach(async () => {
  await env.control("POST", "reset").catch(() => undefined);
  for (const table of ["invocationRecord", "costDaily", "costDailySubject", "costDailyModel", "invocationLogCursor", "invocationLoggingStatus", "modelPrice", "usageSyncRun", "jobLease"] as const) {
    await (env.db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  await loadAwsPrices(env.db);
  await env.control("POST", "bedrock/logging", { region: "us-east-1", logGroupName: GROUP });
});

/** One record in AWS's schema, appended as Bedrock delivers it (its timestamp: the call's). */
async function deliver(at: number, requestId = randomUUID()) {
  const message = JSON.stringify({
    schemaType: "ModelInvocationLog",
    schemaVersion: "1.0",
    timestamp: new Date(at).toISOString().replace(/\.\d+Z$/, "Z"),
    accountId: OWN,
    identity: { arn: ARN },
    region: "us-east-1",
    requestId,
    operation: "Converse",
    modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    input: { inputContentType: "application/json", inputTokenCount: 1000 },
    output: { outputContentType: "application/json", outputTokenCount: 100 },
    inferenceRegion: "us-east-1",
  });
  await env.control("POST", "logs/events", { region: "us-east-1", logGroupName: GROUP, logStreamName: STREAM, events: [{ timestamp: at, message }] });
  return requestId;
}

function deps(now: () => Date, onCostStored: () => void, extra: Partial<LogSyncDeps> = {}): LogSyncDeps {
  return { db: env.db, now, streams: async () => [stream], lateMs: 15 * 60_000, onCostStored, retry: { baseMs: 20, maxMs: 200, maxAttempts: 20 }, ...extra };
}

describe("the frequent invocation-log read", () => {
  it("is on by default, every minute (the usage sync stays at 5)", () => {
    const c = configSchema.parse({ DATABASE_URL: "file:x.db", AUTH_SECRET: "x".repeat(44) });
    expect(c.INVOCATION_LOG_SYNC_MINUTES).toBe(1);
    expect(c.USAGE_SYNC_MINUTES).toBe(5);
    expect(configSchema.safeParse({ DATABASE_URL: "file:x.db", AUTH_SECRET: "x".repeat(44), INVOCATION_LOG_SYNC_MINUTES: "0.05" }).success).toBe(false);
    expect(configSchema.parse({ DATABASE_URL: "file:x.db", AUTH_SECRET: "x".repeat(44), INVOCATION_LOG_SYNC_MINUTES: "0" }).INVOCATION_LOG_SYNC_MINUTES).toBe(0);
  });

  it("stores new records, has budgets evaluated once, moves the cost cursor and writes no usage sync run", async () => {
    let evaluations = 0;
    const t0 = Date.now();
    const first = await deliver(t0 - 30_000);
    const out = await runInvocationLogSync(deps(() => new Date(), () => evaluations++));
    expect(out).toMatchObject({ status: "done", inserted: 1, failed: [] });
    expect(evaluations).toBe(1);
    const row = await env.db.invocationRecord.findUniqueOrThrow({ where: { requestId: first } });
    expect(row).toMatchObject({ inputTokens: 1000, outputTokens: 100, subject: "key:BedrockAPIKey-fast-ab12" });
    expect((await env.db.costDaily.aggregate({ _sum: { calls: true } }))._sum.calls).toBe(1);
    const cursor = await env.db.invocationLogCursor.findFirstOrThrow();
    expect(cursor.syncedThrough!.getTime()).toBeGreaterThanOrEqual(t0);
    // "Usage last synced" speaks of CloudTrail: this read must not move it.
    expect(await env.db.usageSyncRun.count()).toBe(0);

    // Nothing new: nothing stored, no evaluation; the record read again is not counted twice.
    const again = await runInvocationLogSync(deps(() => new Date(), () => evaluations++));
    expect(again).toMatchObject({ status: "done", inserted: 0 });
    expect(evaluations).toBe(1);
    expect((await env.db.costDaily.aggregate({ _sum: { calls: true } }))._sum.calls).toBe(1);
  });

  it("re-reads a short margin; a record later than that is left to the usage sync's full margin", async () => {
    let evaluations = 0;
    await runInvocationLogSync(deps(() => new Date(), () => evaluations++));
    const cursorAt = (await env.db.invocationLogCursor.findFirstOrThrow()).syncedThrough!.getTime();
    // Delivered now, stamped 3 and 10 minutes before the cursor (Bedrock delivered them late).
    const late3 = await deliver(cursorAt - 3 * 60_000);
    const late10 = await deliver(cursorAt - 10 * 60_000);
    const fast = await runInvocationLogSync(deps(() => new Date(), () => evaluations++));
    expect(fast).toMatchObject({ status: "done", inserted: 1 });
    expect(await env.db.invocationRecord.findUnique({ where: { requestId: late3 } })).not.toBeNull();
    expect(await env.db.invocationRecord.findUnique({ where: { requestId: late10 } })).toBeNull();
    expect(FAST_LATE_MS).toBeLessThan(10 * 60_000);
    // The usage sync's read (INVOCATION_LOG_LATE_MINUTES, 15) picks it up, once.
    const full = await syncInvocationLogs({ db: env.db, now: () => new Date(), lateMs: 15 * 60_000 }, stream);
    expect(full.inserted).toBe(1);
    expect(await env.db.invocationRecord.count()).toBe(2);
  });

  it("one read per interval across instances: skipped while another holds the lease or read just now", async () => {
    await deliver(Date.now() - 10_000);
    expect(await acquireLease(env.db, LOG_SYNC_LEASE, "another-instance", 60_000, new Date())).toBe(true);
    expect(await runInvocationLogSync(deps(() => new Date(), () => undefined))).toEqual({ status: "skipped" });
    expect(await env.db.invocationRecord.count()).toBe(0);
    await env.db.jobLease.deleteMany({});

    expect(await runInvocationLogSync(deps(() => new Date(), () => undefined, { notWithinMs: 54_000 }))).toMatchObject({ status: "done", inserted: 1 });
    await deliver(Date.now() - 5_000);
    // Another instance's tick a few seconds later: the last read was within the interval.
    expect(await runInvocationLogSync(deps(() => new Date(), () => undefined, { notWithinMs: 54_000 }))).toEqual({ status: "skipped" });
    // A minute on, it reads.
    expect(await runInvocationLogSync(deps(() => new Date(Date.now() + 60_000), () => undefined, { notWithinMs: 54_000 }))).toMatchObject({ status: "done", inserted: 1 });
  });
});

describe("the usage sync's own read of the logs", () => {
  it("has budgets evaluated as soon as the logs are read, not when its CloudTrail read ends", async () => {
    await deliver(Date.now() - 20_000);
    // CloudTrail's LookupEvents held up (as 2 requests/s over a busy account would): its bucket never gives a token until opened.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const held = { take: () => gate, drain: () => undefined } as unknown as TokenBucket;
    let evaluated = false;
    const started = await startUsageSync(env.syncDeps({ regions: ["us-east-1"], bucketFor: () => held, costStreams: async () => [stream], onCostStored: () => void (evaluated = true) }), "manual");
    if (started.status !== "started") throw new Error("not started");
    let finished = false;
    const done = started.done.then((s) => ((finished = true), s));
    for (let i = 0; i < 200 && !evaluated; i++) await new Promise((r) => setTimeout(r, 50));
    const [evaluatedWhileHeld, finishedWhileHeld] = [evaluated, finished];
    open();
    expect((await done).status).toBe("success");
    expect(evaluatedWhileHeld).toBe(true);
    expect(finishedWhileHeld).toBe(false);
    expect(await env.db.invocationRecord.count()).toBe(1);
  });
});
