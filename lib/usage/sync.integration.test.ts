import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import { ADMIN_CREDENTIALS, issueInput } from "@/tests/support/keys-env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sourceIdentityFor } from "@/lib/shortterm/identity";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { generateShortTermKey } from "@/lib/shortterm/service";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { ALL_DOORS } from "@/sandbox/src/traffic/profiles";
import { normalizeRecord } from "./normalize";
import { recountRollups, storedRollups } from "./rollups";
import { syncAllRegions, syncRegion } from "./sync";
import { startUsageSync } from "./sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { TokenBucket } from "./token-bucket";

let env: UsageTestEnv;
beforeAll(async () => {
  env = await createUsageTestEnv();
});
afterAll(async () => env?.close());

/** Forget everything synced, and the sandbox's events, so each test reads its own. */
async function resetUsage() {
  await env.control("POST", "reset").catch(() => undefined);
  for (const table of ["usageEvent", "usageEventRaw", "usageDaily", "usageDailyModel", "usageDailySubject", "usageMonthlySubject", "usageDailyApi", "usageDailyApiAll", "usageSubject", "usageSourceIp", "usageSyncCursor", "usageSyncRun", "jobLease"] as const) {
    await (env.db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  await env.setLookupRate(0);
}

/** Synthetic records (the sandbox's own generator) in one region, within the last `days` days. */
function records(n: number, region: string, seed: number, days = 20) {
  const to = Date.now() - 60_000;
  return generateEvents(n, { seed, from: to - days * 86_400_000, to }).map((r) => ({ ...r, awsRegion: region }));
}

async function expectRollupsMatchRecount(db: PrismaClient = env.db) {
  expect(await storedRollups(db)).toEqual(await recountRollups(db));
}

describe("usage sync", () => {
  beforeEach(resetUsage);

  it("keeps Bedrock runtime calls made with API keys and nothing else, normalized, with the key resolved", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env)); // IAM events in CloudTrail
    expect((await env.converse(key.secret)).status).toBe(200);
    expect((await env.converse(key.secret, "anthropic.claude-v2")).status).toBe(404); // a failed call counts too
    // The same operation signed with IAM credentials (no key): recorded without callWithBearerToken.
    const sigv4 = new BedrockRuntimeClient({ region: "us-east-1", endpoint: env.sandbox.url, credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
    await sigv4.send(new ConverseCommand({ modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", messages: [{ role: "user", content: [{ text: "Hi" }] }] }));
    // Another Bedrock event (control plane) from the same source.
    await env.insertEvents([{ eventTime: new Date().toISOString(), eventSource: "bedrock.amazonaws.com", eventName: "ListFoundationModels", awsRegion: "us-east-1", userIdentity: { type: "IAMUser" } }]);

    const [east] = await syncAllRegions(env.syncDeps());
    expect(east!.events).toBeGreaterThanOrEqual(4); // the SigV4 call and ListFoundationModels were read, then dropped
    const rows = await env.db.usageEvent.findMany({ orderBy: { eventTime: "asc" } });
    expect(rows).toHaveLength(2);
    const apiKey = await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } });
    for (const row of rows) {
      expect(row).toMatchObject({
        region: "us-east-1",
        eventName: "Converse",
        identityType: "long-term",
        principalName: apiKey.iamUserName,
        principalArn: `arn:aws:iam::123456789012:user${"/bedrock-key-console/"}${apiKey.iamUserName}`,
        subject: `key:${apiKey.iamUserName}`,
        apiKeyId: key.keyId,
        userId: null,
      });
    }
    const ok = rows.find((r) => r.result === "success")!;
    expect(ok.modelId).toBe("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(ok.inferenceRegion).toMatch(/^us-/);
    const failed = rows.find((r) => r.result === "error")!;
    expect(failed).toMatchObject({ errorCode: "ResourceNotFoundException", modelId: "anthropic.claude-v2", inferenceRegion: "" });
    expect(failed.errorMessage).toMatch(/end of its life/);
    // The raw record is kept for the drill-down; "last used" is the newest call.
    const raw = await env.db.usageEventRaw.findUniqueOrThrow({ where: { id: ok.id } });
    expect(JSON.parse(raw.json).additionalEventData.callWithBearerToken).toBe(true);
    expect(apiKey.lastUsedAt?.getTime()).toBe(Math.max(...rows.map((r) => r.eventTime.getTime())));
    await expectRollupsMatchRecount();
  });

  it("attributes short-term calls to the person through their issuance", async () => {
    const { roleArn } = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
    const devA = await env.actor(env.users.devA);
    const deps = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now: () => new Date(), roleArn, maxHours: 12, regions: ["us-east-1", "us-west-2"] };
    const token = await generateShortTermKey(deps, devA, { region: "us-west-2", expiresInMinutes: 30 });
    expect((await env.converse(token.token, "us.amazon.nova-lite-v1:0", "us-west-2")).status).toBe(200);

    await syncAllRegions(env.syncDeps());
    const row = await env.db.usageEvent.findFirstOrThrow({ where: { region: "us-west-2" } });
    const issuance = await env.db.shortTermIssuance.findUniqueOrThrow({ where: { id: token.issuanceId } });
    // The SourceIdentity is the person's email plus their user id (two people never share one).
    const identity = sourceIdentityFor(devA);
    expect(identity).toBe(`dev-a@example.com+${devA.id}`);
    expect(row).toMatchObject({
      identityType: "short-term",
      principalName: identity,
      sourceIdentity: identity,
      accessKeyId: issuance.accessKeyId,
      subject: `identity:${identity}`,
      userId: devA.id,
      apiKeyId: null,
      result: "success",
    });
    expect(row.principalArn).toMatch(/:assumed-role\/BedrockKeyConsoleShortTerm\/dev-a@example\.com\+/);
    const subject = await env.db.usageSubject.findUniqueOrThrow({ where: { subject: `identity:${identity}` } });
    expect(subject.userId).toBe(devA.id);
  });

  it("stores each event once across overlapping runs and a full re-read, and rollups stay equal to a recount", async () => {
    const first = records(300, "us-east-1", 1);
    await env.insertEvents(first);
    const a = await syncRegion(env.syncDeps(), "us-east-1");
    expect(a.inserted).toBe(300);

    // New calls arrive; the next window starts 15 minutes before the last one ended (late events).
    const late = records(40, "us-east-1", 2, 0.005);
    await env.insertEvents(late);
    const b = await syncRegion(env.syncDeps(), "us-east-1");
    expect(b.inserted).toBe(40);

    // Re-reading all 90 days finds nothing new.
    const c = await syncRegion(env.syncDeps(), "us-east-1", { full: true });
    expect(c.events).toBe(340);
    expect(c.inserted).toBe(0);
    expect(await env.storedEventIds()).toEqual([...first, ...late].map((r) => r.eventID).sort());
    await expectRollupsMatchRecount();
    const total = await env.db.usageDaily.aggregate({ _sum: { calls: true } });
    expect(total._sum.calls).toBe(340);
  });

  it("counts every door LookupEvents shows: runtime's OpenAI-compatible routes beside Converse and InvokeModel (issue 19)", async () => {
    const to = Date.now() - 60_000;
    const all = generateEvents(400, { seed: 19, from: to - 5 * 86_400_000, to, apis: ALL_DOORS }).map((r) => ({ ...r, awsRegion: "us-east-1" }));
    await env.insertEvents(all);
    await syncRegion(env.syncDeps(), "us-east-1");
    const expected = new Map<string, number>();
    for (const r of all) {
      // bedrock-mantle's inference calls are data events: LookupEvents never returns them (AWS
      // documents this); only a trail's files have them.
      if ((r as { managementEvent?: boolean }).managementEvent === false) continue;
      const n = normalizeRecord(r, "us-east-1");
      if (n) expected.set(`${n.endpoint}/${n.api}`, (expected.get(`${n.endpoint}/${n.api}`) ?? 0) + 1);
    }
    expect([...expected.keys()]).toEqual(expect.arrayContaining(["runtime/converse", "runtime/chat_completions", "runtime/responses"]));
    const stored = await env.db.usageDailyApiAll.groupBy({ by: ["endpoint", "api"], _sum: { calls: true } });
    expect(Object.fromEntries(stored.map((g) => [`${g.endpoint}/${g.api}`, g._sum.calls]))).toEqual(Object.fromEntries(expected));
    await expectRollupsMatchRecount();
  });

  it("resumes after a crash in the middle of a page's commit: nothing lost, nothing counted twice", async () => {
    const all = records(500, "eu-central-1", 3); // 10 pages
    await env.insertEvents(all);
    // The process "dies" inside the 4th page's transaction, after its events were written and
    // before the cursor moved: the whole page must roll back.
    let cursorWrites = 0;
    const crashing = env.db.$extends({
      query: {
        usageSyncCursor: {
          async update({ args, query }) {
            if (args.data && "resumeBefore" in args.data && args.data.resumeBefore && ++cursorWrites === 4) throw new Error("simulated crash");
            return query(args);
          },
        },
      },
    }) as unknown as PrismaClient;
    await expect(syncRegion(env.syncDeps({ db: crashing }), "eu-central-1")).rejects.toThrow("simulated crash");
    expect(await env.db.usageEvent.count()).toBe(150); // exactly the three committed pages
    const cursor = await env.db.usageSyncCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: "", region: "eu-central-1" } } });
    expect(cursor.windowEnd).not.toBeNull();
    expect(cursor.resumeBefore).not.toBeNull();
    await expectRollupsMatchRecount();

    // The next run reads only the rest of the window (not the three pages again).
    const resumed = await syncRegion(env.syncDeps(), "eu-central-1");
    expect(resumed.pages).toBeLessThanOrEqual(8);
    expect(resumed.inserted).toBe(350);
    expect(await env.storedEventIds()).toEqual(all.map((r) => r.eventID).sort());
    await expectRollupsMatchRecount();
    const done = await env.db.usageSyncCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: "", region: "eu-central-1" } } });
    expect(done).toMatchObject({ windowStart: null, windowEnd: null, resumeBefore: null, syncedThrough: cursor.windowEnd });
  });

  it("resumes after CloudTrail fails mid-sync (a sandbox fault on LookupEvents)", async () => {
    const all = records(400, "us-west-2", 4);
    await env.insertEvents(all);
    // After the third page, LookupEvents starts refusing (a non-retryable error).
    const deps = env.syncDeps();
    let pages = 0;
    const failing = {
      ...deps,
      clientFor: (region: string) => {
        const client = deps.clientFor(region);
        return {
          send: async (command: Parameters<typeof client.send>[0]) => {
            const out = await client.send(command);
            // Count full pages only (the progress estimate also makes a few one-event lookups).
            const full = (command.input as { MaxResults?: number }).MaxResults === 50;
            if (full && ++pages === 3) await env.control("POST", "faults", { service: "cloudtrail", operation: "LookupEvents", count: 1, error: { code: "AccessDeniedException", status: 400, message: "denied" } });
            return out;
          },
        } as unknown as typeof client;
      },
    };
    await expect(syncRegion(failing, "us-west-2")).rejects.toMatchObject({ awsCode: "AccessDenied" });
    expect(await env.db.usageEvent.count()).toBe(150);
    const resumed = await syncRegion(env.syncDeps(), "us-west-2");
    expect(resumed.inserted).toBe(250);
    expect(await env.storedEventIds()).toEqual(all.map((r) => r.eventID).sort());
    await expectRollupsMatchRecount();
  });

  it("handles CloudTrail's throttling with backoff and still reads everything", async () => {
    await env.insertEvents(records(200, "us-east-1", 5));
    await env.setLookupRate(2); // AWS's limit, enforced by the sandbox
    // Ask far faster than allowed: the sandbox answers ThrottlingException, the sync backs off.
    const result = await syncRegion(env.syncDeps({ rps: 50 }), "us-east-1");
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.inserted).toBe(200);
    expect(await env.db.usageEvent.count()).toBe(200);
  });

  it("reads every configured region in parallel, each with its own cursor", async () => {
    const east = records(120, "us-east-1", 6);
    const west = records(80, "us-west-2", 7);
    const eu = records(60, "eu-central-1", 8);
    await env.insertEvents([...east, ...west, ...eu]);
    const results = await syncAllRegions(env.syncDeps());
    expect(results.map((r) => [r.region, r.inserted, r.status])).toEqual([
      ["us-east-1", 120, "done"],
      ["us-west-2", 80, "done"],
      ["eu-central-1", 60, "done"],
    ]);
    const byRegion = await env.db.usageEvent.groupBy({ by: ["region"], _count: { _all: true }, orderBy: { region: "asc" } });
    expect(byRegion.map((g) => [g.region, g._count._all])).toEqual([
      ["eu-central-1", 60],
      ["us-east-1", 120],
      ["us-west-2", 80],
    ]);
    expect(await env.db.usageSyncCursor.count({ where: { syncedThrough: { not: null } } })).toBe(3);
    await expectRollupsMatchRecount();
  });

  it("runs one sync at a time: a second start while one runs is told it is running", async () => {
    await env.insertEvents(records(100, "us-east-1", 9));
    // The first run waits at its first request until both presses have been answered, so the
    // second one really arrives while a sync is running.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    class GatedBucket extends TokenBucket {
      override async take() {
        await gate;
        return super.take();
      }
    }
    const gated = env.syncDeps({ bucketFor: () => new GatedBucket(1000) });
    const [a, b] = await Promise.all([startUsageSync(gated, "manual"), startUsageSync(gated, "manual")]);
    open();
    const started = [a, b].filter((o) => o.status === "started");
    const running = [a, b].filter((o) => o.status === "running");
    expect(started).toHaveLength(1);
    expect(running).toHaveLength(1);
    const run = started[0]!;
    if (run.status !== "started") throw new Error("unreachable");
    expect(running[0]!.runId).toBe(run.runId);
    const summary = await run.done;
    expect(summary).toMatchObject({ status: "success", inserted: 100 });
    const row = await env.db.usageSyncRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(row).toMatchObject({ status: "success", eventsInserted: 100, progress: 1 });
    expect(row.pages).toBeGreaterThanOrEqual(3);
    // The lease is free again.
    const again = await startUsageSync(env.syncDeps(), "schedule");
    expect(again.status).toBe("started");
    if (again.status === "started") expect((await again.done).inserted).toBe(0);
  });
});
