import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createS3Client, s3ClientSettingsOf } from "@/lib/aws/s3";
import { ADMIN_CREDENTIALS } from "@/tests/support/keys-env";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { ALL_DOORS } from "@/sandbox/src/traffic/profiles";
import { normalizeRecord } from "./normalize";
import { recountRollups, storedRollups } from "./rollups";
import type { RegionProgress } from "./sync";
import { latestSyncStatus, startUsageSync } from "./sync-job";
import { createUsageTestEnv, TEST_REGIONS, type UsageTestEnv } from "@/tests/support/usage-env";
import { DEFAULT_MAX_JSON_BYTES, readFileHere } from "./s3-trail";
import { type ReadFile, REFRESH_BEFORE_MS, TrailReader, trailReaderOf, WORKER_RESOURCE_LIMITS, workerRequests } from "./trail-reader";
import { loadTrailSource, type UsageSource } from "./trail-settings";

const OWN = "123456789012";
const ORG = "o-a1b2c3d4e5";
const BUCKET = "org-cloudtrail-logs";

let env: UsageTestEnv;
let s3: S3Client;
let sqs: SQSClient;
const badFiles: { key: string; error: string }[] = [];
beforeAll(async () => {
  env = await createUsageTestEnv();
  // The product's client: its files are read on the trail reader's worker thread (trail-reader.ts).
  s3 = createS3Client({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
  sqs = new SQSClient({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => env?.close());

async function reset() {
  await env.control("POST", "reset").catch(() => undefined);
  for (const table of [
    "usageEvent",
    "usageEventRaw",
    "usageDaily",
    "usageDailyModel",
    "usageDailySubject",
    "usageMonthlySubject",
    "usageDailyApi",
    "usageDailyApiAll",
    "usageSubject",
    "usageSourceIp",
    "usageSyncCursor",
    "usageSyncRun",
    "usageTrailCursor",
    "usageTrailFile",
    "usageTrailConfig",
    "jobLease",
  ] as const) {
    await (env.db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  await env.db.awsAccount.deleteMany({});
  await env.setLookupRate(0);
  badFiles.length = 0;
}

/** The console's own account reading usage from `source`, and the trail in the sandbox and in the settings. */
async function setUp(source: UsageSource, trail: { bucket?: string; orgId?: string; prefix?: string } = {}) {
  await env.db.awsAccount.create({ data: { id: OWN, name: "Main", source: "default", usageSource: source } });
  const bucket = trail.bucket ?? BUCKET;
  const orgId = trail.orgId ?? ORG;
  await env.control("POST", "trails", { bucket: BUCKET, orgId, ...(trail.prefix ? { prefix: trail.prefix } : {}) });
  await env.db.usageTrailConfig.create({ data: { bucket, orgId, prefix: trail.prefix ?? "", bucketRegion: "us-east-1" } });
}

function deps(db: PrismaClient = env.db, client: S3Client = s3) {
  return env.syncDeps({
    db,
    trailSource: () => loadTrailSource(db, { defaultRegions: TEST_REGIONS, ownAccountId: OWN, s3For: () => client, sqsFor: () => sqs }),
    onBadTrailFile: (f) => badFiles.push(f),
  });
}

/** Delivers every pending trail file now, then runs one sync (LookupEvents and/or S3 as configured). */
async function sync(options: { backfillFrom?: string; db?: PrismaClient; s3?: S3Client } = {}) {
  await env.control("POST", "trails/flush", { all: true });
  const started = await startUsageSync(deps(options.db, options.s3), "manual", options.backfillFrom ? { backfillFrom: options.backfillFrom } : {});
  if (started.status !== "started") throw new Error(`not started: ${started.status}`);
  const summary = await started.done;
  return { ...summary, s3: summary.regions.filter((r) => r.source === "s3" && r.scope !== "bucket"), bucket: summary.regions.find((r) => r.scope === "bucket") };
}

/** Generator traffic over every door (incl. bedrock-mantle data events), spread over the regions and the last `days` days. */
function traffic(n: number, seed: number, days = 5, endAgoMs = 60_000) {
  const to = Date.now() - endAgoMs;
  return generateEvents(n, { seed, from: to - days * 86_400_000, to, apis: ALL_DOORS }).map((r, i) => ({ ...r, awsRegion: TEST_REGIONS[i % TEST_REGIONS.length]! }));
}

/** What the console should keep of these records: the ids normalizeRecord keeps. */
function kept<R extends { eventID: string; awsRegion: string }>(records: R[], filter: (r: R) => boolean = () => true) {
  return records
    .filter(filter)
    .filter((r) => normalizeRecord(r, r.awsRegion) !== null)
    .map((r) => r.eventID)
    .sort();
}

const sum = (list: RegionProgress[], field: "files" | "badFiles" | "inserted" | "ignored") => list.reduce((n, r) => n + (r[field] ?? 0), 0);

/**
 * The test database with one model operation made to throw (as a crash or a lost connection
 * would) on the calls `fails` picks; every other query goes through.
 */
function failing(model: "usageTrailCursor", operation: "update", fails: (args: { where?: { accountId_region?: { region?: string } } }) => boolean, message: string): PrismaClient {
  const op = async ({ args, query }: { args: never; query: (args: never) => Promise<unknown> }) => {
    if (fails(args)) throw new Error(message);
    return query(args);
  };
  return env.db.$extends({ query: { [model]: { [operation]: op } } } as never) as unknown as PrismaClient;
}

async function expectRollupsMatchRecount() {
  expect(await storedRollups(env.db)).toEqual(await recountRollups(env.db));
}

async function putObject(key: string, body: Buffer | string) {
  const res = await fetch(`${env.sandbox.url}/_sandbox/s3/buckets/${BUCKET}/objects/${key}`, { method: "PUT", body: typeof body === "string" ? body : new Uint8Array(body) });
  if (!res.ok) throw new Error(`put ${key}: ${res.status} ${await res.text()}`);
}

describe("usage from the organisation trail in S3 (issue 19)", () => {
  beforeEach(reset);

  it("stores exactly what the generator sent, mantle data events included, and reads nothing from LookupEvents for an s3-only account", async () => {
    await setUp("s3");
    const all = traffic(600, 1);
    await env.insertEvents(all);
    const run = await sync();
    expect(run.status).toBe("success");
    // s3 only: no LookupEvents streams at all.
    expect(run.regions.filter((r) => r.source !== "s3")).toEqual([]);
    expect(run.s3.map((r) => r.region).sort()).toEqual([...TEST_REGIONS].sort());
    expect(await env.storedEventIds()).toEqual(kept(all));
    const mantle = all.filter((r) => (r as { managementEvent?: boolean }).managementEvent === false && normalizeRecord(r, r.awsRegion));
    expect(mantle.length).toBeGreaterThan(10);
    expect(await env.db.usageEvent.count({ where: { endpoint: "mantle" } })).toBe(mantle.length);
    expect(sum(run.s3, "badFiles")).toBe(0);
    expect(sum(run.s3, "files")).toBeGreaterThan(0);
    // Read on the trail reader's worker thread (the product's client: createS3Client), and
    // normalized there where Node strips TypeScript types (22.18+, 24; else on the main thread).
    expect(run.s3.map((r) => r.readOn)).toEqual(run.s3.map(() => (process.features.typescript ? "worker" : "worker+main")));
    await expectRollupsMatchRecount();
    // The raw record is kept, as LookupEvents' would be.
    const one = await env.db.usageEventRaw.findFirstOrThrow();
    const ofEvent = await env.db.usageEvent.findUniqueOrThrow({ where: { id: one.id } });
    expect(JSON.parse(one.json).eventID).toBe(ofEvent.eventId);
  });

  it("with LookupEvents and S3 both on, counts each event once; a second run reads no file again and adds nothing", async () => {
    await setUpBoth();
    const all = traffic(400, 2);
    await env.insertEvents(all);
    const first = await sync();
    expect(first.status).toBe("success");
    expect(first.regions.filter((r) => r.source !== "s3").length).toBe(TEST_REGIONS.length); // LookupEvents too
    expect(await env.storedEventIds()).toEqual(kept(all));
    const total = await env.db.usageDaily.aggregate({ _sum: { calls: true } });
    expect(total._sum.calls).toBe(kept(all).length);
    await expectRollupsMatchRecount();

    const again = await sync();
    expect(again.inserted).toBe(0);
    expect(sum(again.s3, "files")).toBe(0); // the open days are re-listed; their files are known
    expect(await env.storedEventIds()).toEqual(kept(all));

    // Late files with older names (back-dated records) are found on the next run.
    const late = traffic(60, 3, 1, 3 * 3_600_000);
    await env.insertEvents(late);
    const third = await sync();
    expect(await env.storedEventIds()).toEqual(kept([...all, ...late]));
    expect(third.inserted).toBe(kept(late).length);
    await expectRollupsMatchRecount();
  });

  it("resumes after a crash in the middle of a commit: nothing lost, nothing counted twice", async () => {
    await setUp("s3");
    const all = traffic(800, 4, 10);
    await env.insertEvents(all);
    // The cursor moves inside the transaction that commits a batch's events (when the batch closes
    // days, as most here do): the third such commit fails half-way.
    let commits = 0;
    const crashing = failing("usageTrailCursor", "update", () => ++commits === 3, "simulated crash");
    const crashed = await sync({ db: crashing });
    expect(crashed.status).not.toBe("success");
    const partial = await env.db.usageEvent.count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(kept(all).length);
    await expectRollupsMatchRecount();
    // Every file recorded as read has its events stored (they were committed together).
    const readFiles = await env.db.usageTrailFile.count();
    expect(readFiles + (await env.db.usageTrailCursor.count())).toBeGreaterThan(0);

    const resumed = await sync();
    expect(resumed.status).toBe("success");
    expect(resumed.inserted).toBe(kept(all).length - partial);
    expect(await env.storedEventIds()).toEqual(kept(all));
    await expectRollupsMatchRecount();
  });

  it("skips bad files (truncated, not gzip, not CloudTrail, too large), counts each with its reason, ignores digests and stray objects, and stores the good files", async () => {
    await setUp("s3");
    const all = traffic(90, 5, 1, 30 * 60_000);
    await env.insertEvents(all);
    await env.control("POST", "trails/flush", { all: true });
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    const folder = `AWSLogs/${ORG}/${OWN}/CloudTrail/us-east-1/${day}/`;
    const good = gzipSync(JSON.stringify({ Records: traffic(5, 6, 0.01).map((r) => ({ ...r, awsRegion: "us-east-1" })) }));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_truncated0000000.json.gz`, good.subarray(0, Math.floor(good.length / 2)));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notgzip000000000.json.gz`, "this is not gzip");
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notcloudtrail000.json.gz`, gzipSync(JSON.stringify({ hello: "world" })));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notjson000000000.json.gz`, gzipSync("{not json"));
    await putObject(`${folder}README.txt`, "a stray object");
    await putObject(`AWSLogs/${ORG}/${OWN}/CloudTrail-Digest/us-east-1/${day}/${OWN}_CloudTrail-Digest_us-east-1_t_us-east-1_20000101T000000Z.json.gz`, gzipSync(JSON.stringify({ logFiles: [] })));

    const run = await sync();
    const east = run.s3.find((r) => r.region === "us-east-1")!;
    expect(east.status).toBe("done");
    expect(east.badFiles).toBe(4);
    expect(east.ignored).toBe(1);
    const errors = (await latestSyncStatus(env.db))!.regions.find((r) => r.source === "s3" && r.scope !== "bucket" && r.region === "us-east-1")!.fileErrors!;
    expect(east.fileErrors).toEqual(errors);
    expect(errors.join("\n")).toMatch(/truncated0+\.json\.gz: truncated gzip/);
    expect(errors.join("\n")).toMatch(/notgzip0+\.json\.gz: not gzip/);
    expect(errors.join("\n")).toMatch(/notcloudtrail0+\.json\.gz: not a CloudTrail log file/);
    expect(errors.join("\n")).toMatch(/notjson0+\.json\.gz: not JSON/);
    expect(await env.storedEventIds()).toEqual(kept(all));
    // Recorded as unreadable (with the reason), not silently as read.
    const bad = await env.db.usageTrailFile.findMany({ where: { error: { not: null } } });
    expect(bad).toHaveLength(4);
    expect(badFiles.map((f) => f.key).sort()).toEqual(bad.map((f) => f.key).sort()); // logged by the app

    // Too large: a limit below the files' size skips every file with its size.
    await reset();
    await setUp("s3");
    await env.insertEvents(traffic(30, 7, 0.5));
    await env.control("POST", "trails/flush", { all: true });
    const source = (await loadTrailSource(env.db, { defaultRegions: ["us-east-1"], ownAccountId: OWN, s3For: () => s3 }))!;
    const { syncTrailStream } = await import("./s3-trail");
    const limited = await syncTrailStream(env.db, source, { accountId: OWN, accountName: "Main", region: "us-east-1" }, { now: new Date(), maxFileBytes: 10 }, Promise.resolve());
    expect(limited.badFiles).toBeGreaterThan(0);
    expect(limited.inserted).toBe(0);
    expect(await env.db.usageTrailFile.count({ where: { error: { contains: "too large" } } })).toBe(limited.badFiles);
  });

  it("fails the S3 source with a clear message when the bucket denies access or does not exist; LookupEvents goes on", async () => {
    await setUpBoth();
    const all = traffic(100, 8);
    await env.insertEvents(all);
    await env.control("POST", `s3/buckets/${BUCKET}/deny`, { deny: true });
    const denied = await sync();
    expect(denied.status).toBe("partial");
    expect(denied.bucket).toMatchObject({ status: "failed", error: `Access to the bucket ${BUCKET} is denied (s3:ListBucket and s3:GetObject are needed).` });
    expect(denied.s3.every((r) => r.status === "failed")).toBe(true);
    expect(denied.regions.filter((r) => r.source !== "s3").every((r) => r.status === "done")).toBe(true);
    // LookupEvents stored the management events; the mantle data events wait for the trail.
    expect(await env.storedEventIds()).toEqual(kept(all, (r) => (r as { managementEvent?: boolean }).managementEvent !== false));
    const status = (await latestSyncStatus(env.db))!;
    expect(status.error).toContain("AccessDenied");
    expect(status.regions.find((r) => r.scope === "bucket")!.error).toContain("denied");
    expect(await env.db.auditEntry.count({ where: { action: "usage.sync", result: "failure" } })).toBeGreaterThan(0);

    await env.control("POST", `s3/buckets/${BUCKET}/deny`, { deny: false });
    await env.db.usageTrailConfig.updateMany({ data: { bucket: "no-such-bucket-here" } });
    const missing = await sync();
    expect(missing.status).toBe("partial");
    expect(missing.bucket!.error).toBe("The bucket no-such-bucket-here does not exist.");

    // A reader account that is no longer registered: the trail fails with that, LookupEvents goes on.
    await env.db.usageTrailConfig.updateMany({ data: { bucket: BUCKET, readerAccountId: "999999999999" } });
    const noReader = await sync();
    expect(noReader.status).toBe("partial");
    expect(noReader.bucket).toMatchObject({ status: "failed", error: "The trail's reader account 999999999999 is no longer registered." });
    expect(noReader.regions.filter((r) => r.source !== "s3").every((r) => r.status === "done")).toBe(true);
    await env.db.usageTrailConfig.updateMany({ data: { readerAccountId: null } });

    // Once the bucket is right again, the data events arrive.
    await env.db.usageTrailConfig.updateMany({ data: { bucket: BUCKET } });
    expect((await sync()).status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept(all));
  });

  it("commits the events of many day folders in one transaction, with the cursor past the days they close", async () => {
    await setUp("s3");
    const all = traffic(600, 21, 10);
    await env.insertEvents(all);
    const folders = new Set(all.map((r) => `${r.awsRegion}/${r.eventTime.slice(0, 10)}`)).size;
    let cursorMoves = 0;
    const counting = env.db.$extends({
      query: {
        usageTrailCursor: {
          async update({ args, query }) {
            cursorMoves++;
            return query(args);
          },
        },
      },
    }) as unknown as PrismaClient;
    const run = await sync({ db: counting });
    expect(run.status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept(all));
    await expectRollupsMatchRecount();
    // Well under 2,000 events per stream: one transaction each, not one per day folder (and one
    // more per closed day for the cursor) as before.
    expect(folders).toBeGreaterThanOrEqual(3 * run.s3.length);
    expect(cursorMoves).toBe(run.s3.length);
    // The "files read" rows go with their batch's events: one batch (one readAt) per stream.
    const batches = await env.db.usageTrailFile.groupBy({ by: ["accountId", "region", "readAt"], _count: true });
    expect(batches).toHaveLength(run.s3.length);
    const openFrom = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const cursors = await env.db.usageTrailCursor.findMany();
    expect(cursors.map((c) => c.completeBefore)).toEqual(run.s3.map(() => openFrom));
    // Files of closed days need no row (the cursor says they are read); the open days' do.
    expect(await env.db.usageTrailFile.count({ where: { day: { lt: openFrom } } })).toBe(0);
    expect(await env.db.usageTrailFile.count()).toBeGreaterThan(0);
    // A second run reads nothing again.
    const again = await sync();
    expect(again.inserted).toBe(0);
    expect(sum(again.s3, "files")).toBe(0);
  });

  it("a commit that fails mid-stream fails the stream; no later batch commits, and the next run stores every event once", async () => {
    await setUp("s3");
    // One stream with three batches' worth of events (BATCH_ROWS is 2,000).
    const all = traffic(5000, 23, 10).map((r) => ({ ...r, awsRegion: "us-west-2" }));
    await env.insertEvents(all);
    // The stream's second cursor move (each commit that closes days moves it) fails, as if the
    // database went away.
    let cursorMoves = 0;
    const lost = failing("usageTrailCursor", "update", (args) => args.where?.accountId_region?.region === "us-west-2" && ++cursorMoves === 2, "injected: the database went away");
    const run = await sync({ db: lost });
    const stream = run.s3.find((r) => r.region === "us-west-2")!;
    expect(stream.status).toBe("failed");
    expect(stream.error).toContain("injected");
    // The stream stopped at the failed commit: no batch after it committed.
    expect(cursorMoves).toBe(2);
    // The cursor never claims a day whose events are not all stored.
    const cursor = await env.db.usageTrailCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-west-2" } } });
    const stored = new Set(await env.storedEventIds());
    expect(kept(all, (r) => r.eventTime.slice(0, 10) < cursor.completeBefore).filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBeLessThan(kept(all).length);

    const again = await sync();
    expect(again.status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept(all));
    await expectRollupsMatchRecount();
  });

  it("reads ahead across day folders (next folder listed, at most 8 downloads in flight); a download failing mid-read-ahead fails the stream and nothing after it commits", async () => {
    await setUp("s3");
    // One stream, three batches' worth of events over 10 days (BATCH_ROWS is 2,000), with two
    // empty day folders in between (read ahead past while the window is full).
    const generated = traffic(5000, 29, 10).map((r) => ({ ...r, awsRegion: "us-west-2" }));
    const spread = [...new Set(generated.map((r) => r.eventTime.slice(0, 10)))].sort();
    const gaps = new Set([spread[2], spread[5]]);
    const all = generated.filter((r) => !gaps.has(r.eventTime.slice(0, 10)));
    await env.insertEvents(all);
    await env.control("POST", "trails/flush", { all: true });
    const prefix = `AWSLogs/${ORG}/${OWN}/CloudTrail/us-west-2/`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith(".json.gz")));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    keys.sort();
    const dayOfKey = (k: string) => k.slice(prefix.length, prefix.length + 10).replaceAll("/", "-");
    // A file two thirds in: the downloads before it commit (two batches), the one of it fails.
    const failKey = keys[Math.floor(keys.length * 0.67)]!;
    const failDay = dayOfKey(failKey);
    expect(new Set(keys.map(dayOfKey)).size).toBeGreaterThanOrEqual(8);

    // Each GetObject takes 20 ms, as S3's round trips do: whatever runs ahead is then in flight.
    await env.control("POST", "faults", { service: "s3", operation: "GetObject", latencyMs: 20 });
    const watched = new S3Client({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    let inFlight = 0;
    let maxInFlight = 0;
    let listedWhileDownloading = 0;
    const requested: string[] = [];
    let fail = true;
    watched.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; Prefix?: string };
        if (context.commandName === "ListObjectsV2Command" && input.Prefix?.startsWith(prefix) && inFlight > 0) listedWhileDownloading++;
        if (context.commandName !== "GetObjectCommand" || !input.Key?.startsWith(prefix)) return next(args);
        requested.push(input.Key);
        if (fail && input.Key === failKey) throw new Error("injected: connection reset");
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: "initialize", name: "watch" },
    );

    const run = await sync({ s3: watched });
    const stream = run.s3.find((r) => r.region === "us-west-2")!;
    expect(stream.status).toBe("failed");
    expect(stream.error).toContain("injected");
    // Read ahead, bounded: day folders were listed while the previous ones' files downloaded,
    // files past the failing one were already requested, never more than 8 at once.
    expect(listedWhileDownloading).toBeGreaterThan(0);
    expect(requested.some((k) => k > failKey)).toBe(true);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    // In order: every download was requested in key order (one stream).
    expect(requested).toEqual([...requested].sort());
    // Nothing after the failed file committed: no event of a later day is stored, some earlier
    // batches are, and the cursor claims no day whose events are not all stored.
    const stored = new Set(await env.storedEventIds());
    expect(stored.size).toBeGreaterThan(0);
    expect(kept(all, (r) => r.eventTime.slice(0, 10) > failDay).filter((id) => stored.has(id))).toEqual([]);
    const cursor = await env.db.usageTrailCursor.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-west-2" } } });
    expect(cursor.completeBefore <= failDay).toBe(true);
    expect(kept(all, (r) => r.eventTime.slice(0, 10) < cursor.completeBefore).filter((id) => !stored.has(id))).toEqual([]);

    fail = false;
    const again = await sync({ s3: watched });
    expect(again.status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept(all));
    await expectRollupsMatchRecount();
  });

  it("reads a file of more events than one transaction takes, in several commits", async () => {
    await setUp("s3");
    const day = new Date().toISOString().slice(0, 10);
    const big = traffic(1800, 13, 0.02).map((r) => ({ ...r, awsRegion: "us-west-2" }));
    const key = `AWSLogs/${ORG}/${OWN}/CloudTrail/us-west-2/${day.replaceAll("-", "/")}/${OWN}_CloudTrail_us-west-2_${day.replaceAll("-", "")}T0000Z_bigfile000000000.json.gz`;
    await putObject(key, gzipSync(JSON.stringify({ Records: big })));
    const run = await sync();
    expect(run.status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept(big));
    expect(await env.db.usageTrailFile.findUnique({ where: { key } })).toMatchObject({ records: 1800, error: null });
    await expectRollupsMatchRecount();
  });

  it("reads the files an SQS notification names first — late files of closed days too — deletes the messages and ignores s3:TestEvent", async () => {
    await setUp("s3");
    const queue = (await env.control("POST", "sqs/queues", { name: "trail-files" })) as { queueUrl: string; arn: string };
    await fetch(`${env.sandbox.url}/_sandbox/s3/buckets/${BUCKET}/notifications`, { method: "PUT", body: JSON.stringify({ queue: "trail-files", prefix: "AWSLogs/", suffix: ".json.gz" }) });
    const recent = traffic(80, 14, 1);
    await env.insertEvents(recent);
    // The first run has no queue configured: it lists the folders and closes the older days.
    const first = await sync();
    expect(await env.storedEventIds()).toEqual(kept(recent));
    expect(first.bucket!.queueMessages).toBeUndefined();
    // A late delivery into a day that is already closed (5 days ago): listing would not look there again.
    const late = traffic(40, 15, 0.5, 5 * 86_400_000).map((r) => ({ ...r, awsRegion: "us-east-1" }));
    await env.insertEvents(late);
    const withoutQueue = await sync();
    expect(withoutQueue.inserted).toBe(0);

    await env.db.usageTrailConfig.updateMany({ data: { queueUrl: queue.queueUrl } });
    const woken = await sync();
    expect(woken.status).toBe("success");
    expect(woken.bucket!.queueMessages).toBeGreaterThan(0);
    expect(woken.bucket!.inserted).toBe(kept(late).length);
    expect(await env.storedEventIds()).toEqual(kept([...recent, ...late]));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect(attrs.Attributes).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
    // Idempotent: the same notifications again change nothing.
    const again = await sync();
    expect(again.inserted).toBe(0);
    await expectRollupsMatchRecount();
  });

  it("ignores and counts the account folders of accounts the console does not manage", async () => {
    await setUp("s3");
    await env.control("POST", "accounts", { id: "333344445555", name: "Not registered" });
    const own = traffic(50, 9);
    const other = traffic(50, 10).map((r) => ({ ...r, eventID: `other-${r.eventID}` }));
    await env.insertEvents(own);
    await env.control("POST", "events?account=333344445555", other);
    const run = await sync();
    expect(run.status).toBe("success");
    expect(run.bucket!.unmanagedAccounts).toEqual(["333344445555"]);
    expect(await env.storedEventIds()).toEqual(kept(own));
  });

  it("backfills history older than 90 days on demand, with days done / total as its progress", async () => {
    await setUp("s3");
    const old = traffic(120, 11, 10, 200 * 86_400_000); // 200–210 days ago
    const recent = traffic(60, 12, 3);
    await env.insertEvents([...old, ...recent]);
    const first = await sync();
    expect(await env.storedEventIds()).toEqual(kept(recent)); // the first read reaches back 90 days
    expect(first.s3[0]!.daysTotal).toBeGreaterThanOrEqual(91);

    const from = new Date(Date.now() - 215 * 86_400_000).toISOString().slice(0, 10);
    const backfill = await sync({ backfillFrom: from });
    expect(backfill.status).toBe("success");
    expect(await env.storedEventIds()).toEqual(kept([...old, ...recent]));
    for (const r of backfill.s3) {
      expect(r.daysTotal).toBeGreaterThanOrEqual(216);
      expect(r.daysDone).toBe(r.daysTotal);
    }
    const status = (await latestSyncStatus(env.db))!;
    expect(status.backfillFrom).toBe(from);
    // Closed days leave no file list behind; the cursor is back at the open window.
    const cursors = await env.db.usageTrailCursor.findMany();
    const openFrom = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(cursors.every((c) => c.completeBefore === openFrom)).toBe(true);
    expect(await env.db.usageTrailFile.count({ where: { day: { lt: openFrom } } })).toBe(0);
    await expectRollupsMatchRecount();
  });
});

async function setUpBoth() {
  if (!(await env.db.awsAccount.findUnique({ where: { id: OWN } }))) await setUp("both");
  else await env.db.awsAccount.update({ where: { id: OWN }, data: { usageSource: "both" } });
}

describe("the trail reader's worker thread (issue 19's ingest: GetObject, gunzip, parse, normalize off the main thread)", () => {
  beforeEach(reset);
  const creds = () => ({ ...ADMIN_CREDENTIALS });

  /** The files of one account × region and day, as the sandbox delivered them. */
  async function keysOf(prefix: string) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith(".json.gz"));
  }

  it("reads what the main thread reads: the same events and raw records, the same reasons for bad files and for the JSON limit; a normalize.ts that maps differently from the app's is not used", async () => {
    await setUp("s3");
    await env.insertEvents(traffic(60, 11, 0.5).map((r) => ({ ...r, awsRegion: "us-east-1" })));
    await env.control("POST", "trails/flush", { all: true });
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    const folder = `AWSLogs/${ORG}/${OWN}/CloudTrail/us-east-1/${day}/`;
    const good = gzipSync(JSON.stringify({ Records: traffic(5, 12, 0.01) }));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_truncated0000000.json.gz`, good.subarray(0, Math.floor(good.length / 2)));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notgzip000000000.json.gz`, "this is not gzip");
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notcloudtrail000.json.gz`, gzipSync(JSON.stringify({ Records: "no" })));
    await putObject(`${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_notjson000000000.json.gz`, gzipSync("{not json"));
    const keys = await keysOf(`AWSLogs/${ORG}/${OWN}/CloudTrail/`);
    expect(keys.length).toBeGreaterThan(5);

    const client = createS3Client({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
    const reader = new TrailReader(s3ClientSettingsOf(client)!, async () => creds(), () => Promise.reject(new Error("no fallback expected")));
    try {
      const here = (read: ReadFile, region: string) => {
        if ("bad" in read) return read;
        if ("parsed" in read) return { count: read.count, parsed: read.parsed };
        const parsed = read.records.flatMap((r) => {
          const event = normalizeRecord(r, region);
          return event ? [{ raw: JSON.stringify(r), event }] : [];
        });
        return { count: read.records.length, parsed };
      };
      let events = 0;
      for (const key of keys) {
        const request = { bucket: BUCKET, key, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1" };
        const [inWorker, inProcess] = [await reader.read(request), await readFileHere(s3, request)];
        // The worker normalizes (its normalize.ts gave the app's results on the sample records)
        // where Node strips TypeScript types; else it sends the records and their JSON texts.
        if (!("bad" in inWorker)) expect(inWorker).toHaveProperty(process.features.typescript ? "parsed" : "raws");
        const result = here(inWorker, "us-east-1");
        expect(result).toEqual(here(inProcess, "us-east-1"));
        if ("bad" in result) continue;
        events += result.parsed.length;
        // At most 100 bytes of JSON: refused, on both threads alike.
        const limited = { ...request, maxJson: 100 };
        expect(await reader.read(limited)).toEqual({ bad: "more than 100 bytes once gunzipped" });
        expect(await readFileHere(s3, limited)).toEqual({ bad: "more than 100 bytes once gunzipped" });
      }
      expect(events).toBeGreaterThan(0);
      expect(reader.normalizes).toBe(Boolean(process.features.typescript));
      expect(reader.usingWorkers).toBe(true);
      // The four bad files, each with the reason gunzipText gives on the main thread.
      const bad = await Promise.all(keys.filter((k) => k.includes("20000101T0000Z")).map((key) => reader.read({ bucket: BUCKET, key, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1" })));
      expect(bad.map((b) => ("bad" in b ? b.bad : "read")).sort()).toEqual(["not JSON after gunzip", "not a CloudTrail log file (no Records array)", "not gzip", "truncated gzip"]);
      // A missing object fails the read with S3's error (code and status), as the SDK gives it here.
      const missing = await reader.read({ bucket: BUCKET, key: `${keys[0]}.gone`, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1" }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
    } finally {
      await reader.close();
    }
    expect(reader.running).toEqual([]);

    // A normalize.ts that does not map the sample records as the app's copy does (a source tree
    // edited since the build), or none: not used — the records come back with their JSON texts.
    const dir = mkdtempSync(path.join(tmpdir(), "trail-reader-"));
    const stale = path.join(dir, "normalize.cjs");
    writeFileSync(stale, "exports.normalizeRecord = (r) => (r && r.eventID ? { eventId: r.eventID } : null);");
    for (const normalizePath of [stale, null]) {
      const other = new TrailReader(s3ClientSettingsOf(client)!, async () => creds(), () => Promise.reject(new Error("no fallback expected")), { normalizePath });
      try {
        const request = { bucket: BUCKET, key: keys.find((k) => !k.includes("20000101T0000Z"))!, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1" };
        const read = await other.read(request);
        expect(read).toHaveProperty("raws");
        expect(other.normalizes).toBe(false);
        const inProcess = await readFileHere(s3, request);
        expect("records" in read && read.raws).toEqual("records" in inProcess && inProcess.records.map((r) => JSON.stringify(r)));
      } finally {
        await other.close();
      }
    }
    rmSync(dir, { recursive: true });
  });

  it("runs with a bounded heap; a file larger than the worker takes is read on the main thread — handed back once gunzipped, or never sent when its listed size says so — with the same result", async () => {
    await setUp("s3");
    const folder = `AWSLogs/${ORG}/${OWN}/CloudTrail/us-east-1/2000/01/01/`;
    const small = `${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_small00000000000.json.gz`;
    const large = `${folder}${OWN}_CloudTrail_us-east-1_20000101T0000Z_large00000000000.json.gz`;
    // The usage events read (normalized on whichever thread read the file), by id.
    const events = (read: ReadFile) => ("parsed" in read ? read.parsed.map((p) => p.event.eventId) : "records" in read ? ids(read.records) : read.bad);
    const ids = (records: unknown[]) => records.flatMap((r) => normalizeRecord(r, "us-east-1")?.eventId ?? []);
    const smallRecords = traffic(1, 13, 0.01).slice(0, 1);
    const largeRecords = traffic(40, 14, 0.01);
    expect(ids(smallRecords)).toHaveLength(1);
    const limit = JSON.stringify({ Records: smallRecords }).length + 100;
    expect(JSON.stringify({ Records: largeRecords }).length).toBeGreaterThan(limit);
    await putObject(small, gzipSync(JSON.stringify({ Records: smallRecords })));
    await putObject(large, gzipSync(JSON.stringify({ Records: largeRecords })));

    const client = createS3Client({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
    const readHere: string[] = [];
    const reader = new TrailReader(s3ClientSettingsOf(client)!, async () => creds(), (r) => (readHere.push(r.key), readFileHere(s3, r)), { maxJsonInWorker: limit });
    const request = (key: string, size?: number) => ({ bucket: BUCKET, key, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1", ...(size === undefined ? {} : { size }) });
    try {
      // The small file is read on the worker, whose heap is bounded as WORKER_RESOURCE_LIMITS says.
      expect(events(await reader.read(request(small)))).toEqual(ids(smallRecords));
      expect(readHere).toEqual([]);
      const [worker] = reader.running;
      expect(worker!.resourceLimits).toMatchObject(WORKER_RESOURCE_LIMITS);
      const heap = await worker!.getHeapStatistics();
      // Both generations' bounds, on any Node (Node 24's default young generation is 192 MB, Node 22's 48).
      const { maxOldGenerationSizeMb, maxYoungGenerationSizeMb } = WORKER_RESOURCE_LIMITS;
      expect(heap.heap_size_limit).toBeLessThanOrEqual((maxOldGenerationSizeMb + maxYoungGenerationSizeMb) * 1024 * 1024);
      // Larger once gunzipped than the worker takes (its listed size unknown): handed back, read here whole.
      const gets = workerRequests.GetObjectCommand;
      const handedBack = await reader.read(request(large));
      expect(workerRequests.GetObjectCommand).toBe(gets + 1);
      expect(readHere).toEqual([large]);
      expect(events(handedBack)).toEqual(ids(largeRecords));
      expect(handedBack).toEqual(await readFileHere(s3, request(large)));
      // Listed larger than the worker's JSON limit / 16 (gzip): read here without asking the worker.
      expect(events(await reader.read(request(large, Math.floor(limit / 16) + 1)))).toEqual(ids(largeRecords));
      expect(workerRequests.GetObjectCommand).toBe(gets + 1);
      expect(readHere).toEqual([large, large]);
      // A file over the file limit itself is still a bad file, wherever it is read.
      expect(await reader.read({ ...request(large), maxJson: 100 })).toEqual({ bad: "more than 100 bytes once gunzipped" });
      expect(reader.usingWorkers).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it("relays the credentials from the main thread's provider, and asks again before they expire; a provider that fails fails the read with its message", async () => {
    await setUp("s3");
    await env.insertEvents(traffic(20, 13, 0.5).map((r) => ({ ...r, awsRegion: "us-east-1" })));
    await env.control("POST", "trails/flush", { all: true });
    const [key] = await keysOf(`AWSLogs/${ORG}/${OWN}/CloudTrail/us-east-1/`);
    const client = createS3Client({ endpoint: env.sandbox.url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
    let calls = 0;
    // Each identity expires 1.5 s after the worker's refresh window opens (5 minutes before expiry, the SDK's own).
    const provider = async () => {
      calls++;
      return { ...creds(), expiration: new Date(Date.now() + REFRESH_BEFORE_MS + 1500) };
    };
    const reader = new TrailReader(s3ClientSettingsOf(client)!, provider, () => Promise.reject(new Error("no fallback expected")));
    const request = { bucket: BUCKET, key: key!, maxJson: DEFAULT_MAX_JSON_BYTES, region: "us-east-1" };
    try {
      expect(await reader.read(request)).toHaveProperty("count");
      await reader.read(request);
      expect(calls).toBe(1); // still valid: not asked again
      await new Promise((resolve) => setTimeout(resolve, 1700));
      expect(await reader.read(request)).toHaveProperty("count");
      expect(calls).toBe(2); // inside the refresh window: fresh credentials relayed
    } finally {
      await reader.close();
    }

    const failing = new TrailReader(s3ClientSettingsOf(client)!, () => Promise.reject(new Error("could not assume the reader role")), () => Promise.reject(new Error("no fallback expected")));
    try {
      await expect(failing.read(request)).rejects.toThrow("could not assume the reader role");
      expect(failing.usingWorkers).toBe(true);
    } finally {
      await failing.close();
    }
  });

  it("a worker that dies mid-run hands its reads back to the main thread: the run completes with every event once, and a warning says so", async () => {
    await setUp("s3");
    const all = traffic(400, 14, 3);
    await env.insertEvents(all);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    let killed = false;
    // The worker asks for credentials before its first GetObject: end it right then, reads pending.
    // (Identities that expire within the SDK's 5-minute window are asked for at every request.)
    const client = createS3Client({
      endpoint: env.sandbox.url,
      region: "us-east-1",
      maxAttempts: 1,
      credentials: async () => {
        const worker = trailReaderOf(client)?.running[0];
        if (worker && !killed) {
          killed = true;
          setImmediate(() => void worker.terminate());
        }
        return { ...creds(), expiration: new Date(Date.now() + 60_000) };
      },
    });
    try {
      const run = await sync({ s3: client });
      expect(killed).toBe(true);
      expect(run.s3.every((r) => r.status === "done")).toBe(true);
      expect(sum(run.s3, "badFiles")).toBe(0);
      expect(await env.storedEventIds()).toEqual(kept(all));
      await expectRollupsMatchRecount();
      expect(trailReaderOf(client)?.usingWorkers).toBe(false);
      expect(run.s3.filter((r) => (r.files ?? 0) > 0).map((r) => r.readOn)).toContain("main");
      expect(warnings.join("\n")).toMatch(/The S3 trail's files are read on the main thread: the reader worker exited \(code/);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
