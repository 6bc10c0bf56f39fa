/**
 * Benchmark: usage from an organisation trail in S3 (issue 19), end to end through the product's
 * code — ListObjectsV2 per day folder, GetObject, gunzip, JSON parse, normalizeRecord, attribution,
 * commitPage (events, raw records, rollups) — into SQLite and then PostgreSQL, in one run.
 *
 *   npx tsx --conditions=react-server bench/s3-trail-ingest.ts [--events 200000] [--accounts 4]
 *       [--days 30] [--batch-minutes 60] [--s3-dir /tmp/trail-s3] [--s3-latency-ms 20]
 *
 * The sandbox runs as its own process (its memory is not in the figures) and synthesises the
 * trail (POST /_sandbox/trails/bench/synthesize: `events` records over `accounts` accounts and
 * `days` days, one file per account × region × `batch-minutes`). Each database then reads every
 * account × region of it as a backfill from the first day, as the sync job does (all streams at
 * once). Printed per database: events/s, S3 requests by operation, wall time, this process's CPU
 * time (user + system, all its threads; SQLite runs in this process, PostgreSQL and the sandbox do not), the
 * main thread's busy time (event-loop utilisation), the sandbox's and (on PostgreSQL) the server's CPU
 * seconds (they share the machine's cores with the ingest), and events
 * per CPU second — on a shared machine the wall time follows the others' load, the CPU time much
 * less — and this process's RSS before, at its peak (sampled every 250 ms) and after; on SQLite also
 * the largest size of the database's -wal file (its checkpoints run on a worker thread). Every 30 s a
 * progress line gives the events so far, RSS and V8 heap used (growth per million events).
 * Where the memory is at the RSS peak is printed too (the main and worker V8 heaps, external
 * memory, anonymous and file-backed pages); BENCH_SMAPS=<path> also writes /proc/self/smaps and
 * both isolates' heap statistics at the end of each ingest (docs/operations.md, "Memory of the
 * trail ingest").
 * --s3-latency-ms delays every S3 request in the sandbox by that much (its fault rules), as S3's
 * own round trips would: the loopback sandbox answers at once, which hides whether reads overlap.
 *
 * 10,000,000 events (the issue's size; bodies on disk, ~1.2 GB of gzip with hourly files, a
 * sandbox heap of a few GB — see sandbox/README.md "Big trails for benchmarks"):
 *   NODE_OPTIONS=--max-old-space-size=6144 npx tsx --conditions=react-server bench/s3-trail-ingest.ts \
 *       --events 10000000 --accounts 10 --days 400 --batch-minutes 60 --s3-dir /tmp/trail-s3 --only sqlite
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { performance as perfHooks } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { createS3Client } from "@/lib/aws/s3";
import { createTestDb } from "@/lib/testing/test-db";
import { checkBucket, dayOf, syncTrailStream, bucketEntry, type TrailSource } from "@/lib/usage/s3-trail";
import { trailReaderOf, workerRequests } from "@/lib/usage/trail-reader";
import { loadTrailSource } from "@/lib/usage/trail-settings";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { arg, cpuSecondsOf, emptyS3Dir, machine, mb, onEachDatabase, pgServerCpuSeconds, residentOf, sandboxPost, seedTrailReading, startSandboxProcess, synthesizeTrail, trailRegions } from "./usage-support";

const events = arg("events", 200_000);
const accounts = arg("accounts", 4);
const days = arg("days", 30);
const batchMinutes = arg("batch-minutes", 60);
const latencyMs = process.argv.includes("--s3-latency-ms") ? arg("s3-latency-ms", 0) : 0;
const dirAt = process.argv.indexOf("--s3-dir");
const s3Dir = emptyS3Dir(dirAt >= 0 ? process.argv[dirAt + 1] : undefined);
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const ORG = "o-benchmark01";
/** The reader worker's heap (V8 heap, its malloc and external memory), sampled with the RSS. */
let workerHeap = { total: 0, used: 0 };
/** Anonymous and file-backed resident pages of this process (Linux /proc; 0 elsewhere). */
const procStatus = () => {
  const { rssAnon, rssFile } = residentOf();
  return { rssAnon, rssFile };
};
const BUCKET = "bench-trail";

console.log(
  `s3-trail-ingest benchmark\n${machine()}\n${events.toLocaleString("en-US")} events, ${accounts} accounts, ${days} days, one file per account × region × ${batchMinutes} min\n`,
);

const sandbox = await startSandboxProcess({ SANDBOX_TRAIL_DELAY_SECONDS: "0", ...(s3Dir ? { SANDBOX_S3_DIR: s3Dir } : {}) });
try {
  const post = (path: string, body: unknown) => sandboxPost(sandbox.url, path, body);
  const synth = await synthesizeTrail(sandbox.url, { bucket: BUCKET, orgId: ORG }, { events, accounts, days, batchMinutes });
  console.log(`sandbox: ${String(synth.events)} events in ${String(synth.files)} log files + ${String(synth.digests)} digests, ${mb(synth.bytes as number)} gzip, synthesised in ${(synth.seconds as number).toFixed(1)} s\n`);
  // S3's round trip (tens of ms from a VPC; the sandbox answers in well under one): every S3
  // request waits this long, so the figures show how well the reads overlap it.
  if (latencyMs > 0) {
    await post("faults", { service: "s3", operation: "*", latencyMs });
    console.log(`every S3 request delayed ${latencyMs} ms (a sandbox fault rule)\n`);
  }
  const accountIds = synth.accounts as string[];
  const from = dayOf(new Date(synth.from as string));

  // Requests by operation, counted on the client the product uses.
  const requests = new Map<string, number>();
  // The product's client (lib/aws/s3.ts, as lib/usage/deps.ts builds it), so its settings are measured.
  const s3 = createS3Client({ endpoint: sandbox.url, region: "us-east-1", credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY } });
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      requests.set(context.commandName ?? "?", (requests.get(context.commandName ?? "?") ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );

  const regions = await trailRegions(s3, BUCKET, ORG, accountIds);

  const results: { provider: string; stored: number; seconds: number; cpuSeconds: number; mainBusySeconds: number; sandboxCpuSeconds: number; serverCpuSeconds?: number; workerBusySeconds: number; files: number; rssBefore: number; rssPeak: number; rssAfter: number; walPeak: number; requests: Map<string, number>; days: number; atPeak: Record<string, number>; peakOf: Record<string, number> }[] = [];
  const scenario = async () => {
    const t = await createTestDb();
    try {
      await seedTrailReading(t.db, { bucket: BUCKET, orgId: ORG, regions, from });
      const source: TrailSource = (await loadTrailSource(t.db, { defaultRegions: [], ownAccountId: accountIds[0]!, s3For: () => s3 }))!;
      requests.clear();
      // GetObjects made on the reader's worker threads (lib/usage/trail-reader.ts), not on this client.
      const workerGetsBefore = workerRequests.GetObjectCommand;
      const workerBusyBefore = workerRequests.closedBusyMs + (trailReaderOf(s3)?.busyMs ?? 0);
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const mBefore = process.memoryUsage();
      console.log(`${t.provider} before: heapTotal ${mb(mBefore.heapTotal)}, heapUsed ${mb(mBefore.heapUsed)}, external ${mb(mBefore.external)}, ${Object.entries(procStatus()).map(([k, v]) => `${k} ${mb(v)}`).join(", ")}`);
      let rssPeak = rssBefore;
      // SQLite: the -wal file's size too (checkpoints run on a worker thread: lib/db/sqlite-checkpointer.ts).
      let walPeak = 0;
      const walSize = () => {
        try {
          return t.file ? statSync(`${t.file}-wal`).size : 0;
        } catch {
          return 0;
        }
      };
      // Where the RSS is at its peak: V8's heap (total = used + the collector's headroom), memory
      // outside it (Buffers, zlib), the reader worker's heap, and anonymous vs file-backed pages.
      const parts = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, workerHeapTotal: 0, workerHeapUsed: 0, rssAnon: 0, rssFile: 0 };
      const atPeak = { ...parts };
      const peakOf = { ...parts };
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        const now = { ...parts, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, ...procStatus(), workerHeapTotal: workerHeap.total, workerHeapUsed: workerHeap.used };
        for (const k of Object.keys(parts) as (keyof typeof parts)[]) peakOf[k] = Math.max(peakOf[k], now[k]);
        if (m.rss > rssPeak) Object.assign(atPeak, now);
        rssPeak = Math.max(rssPeak, m.rss);
        walPeak = Math.max(walPeak, walSize());
        const w = trailReaderOf(s3)?.running[0];
        if (w) void w.getHeapStatistics().then((h) => (workerHeap = { total: h.total_heap_size + h.malloced_memory + h.external_memory, used: h.used_heap_size }), () => undefined);
      }, 250);
      let lastLog = Date.now();
      const done = new Map<string, { daysDone: number; daysTotal: number; inserted: number }>();
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const eluBefore = perfHooks.eventLoopUtilization();
      const sandboxCpuBefore = cpuSecondsOf(sandbox.pid);
      const serverCpuBefore = pgServerCpuSeconds();
      const ready = checkBucket(source, bucketEntry(source.trail), () => undefined);
      const streams = await Promise.all(
        source.streams.map((s) =>
          syncTrailStream(
            t.db,
            source,
            s,
            {
              now: new Date(),
              backfillFrom: from,
              onProgress: (p) => {
                done.set(`${s.accountId}/${s.region}`, { daysDone: p.daysDone ?? 0, daysTotal: p.daysTotal ?? 0, inserted: p.inserted });
                if (Date.now() - lastLog > 30_000) {
                  lastLog = Date.now();
                  const list = [...done.values()];
                  console.log(`  … ${list.reduce((n, r) => n + r.inserted, 0).toLocaleString("en-US")} events, ${list.reduce((n, r) => n + r.daysDone, 0)}/${list.reduce((n, r) => n + r.daysTotal, 0)} days, RSS ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)}${t.file ? `, -wal ${mb(walSize())}` : ""}`);
                }
              },
            },
            ready,
          ),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      if (process.env.BENCH_SMAPS) console.log(JSON.stringify({ main: getHeapStatistics(), worker: await trailReaderOf(s3)?.running[0]?.getHeapStatistics() }));
      if (process.env.BENCH_SMAPS) writeFileSync(`${process.env.BENCH_SMAPS}-${t.provider}.txt`, readFileSync("/proc/self/smaps", "utf8"));
      const cpu = process.cpuUsage(cpuBefore);
      const elu = perfHooks.eventLoopUtilization(eluBefore);
      clearInterval(sampler);
      const stored = await t.db.usageEvent.count();
      requests.set("GetObjectCommand", (requests.get("GetObjectCommand") ?? 0) + workerRequests.GetObjectCommand - workerGetsBefore);
      results.push({
        provider: t.provider,
        stored,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        mainBusySeconds: elu.active / 1000,
        sandboxCpuSeconds: cpuSecondsOf(sandbox.pid) - sandboxCpuBefore,
        serverCpuSeconds: serverCpuBefore === undefined ? undefined : (pgServerCpuSeconds() ?? serverCpuBefore) - serverCpuBefore,
        workerBusySeconds: (workerRequests.closedBusyMs + (trailReaderOf(s3)?.busyMs ?? 0) - workerBusyBefore) / 1000,
        files: streams.reduce((n, r) => n + (r.files ?? 0), 0),
        rssBefore,
        rssPeak,
        rssAfter: process.memoryUsage().rss,
        atPeak,
        peakOf,
        walPeak,
        requests: new Map(requests),
        days: streams.reduce((n, r) => n + (r.daysTotal ?? 0), 0),
      });
      if (streams.some((r) => r.badFiles)) throw new Error("bad files in a synthesised trail");
    } finally {
      await t.cleanup();
    }
  };

  await onEachDatabase(scenario, only);

  console.log(`backfill of ${days} days × ${accounts} accounts (${[...regions.values()].reduce((n, r) => n + r.length, 0)} account × region streams, ${results[0]?.days ?? 0} day folders from ${from}):`);
  console.log("database     events stored   files   seconds   events/s   CPU s   events/CPU s   ListObjectsV2   GetObject   RSS before → peak → after");
  for (const r of results) {
    console.log(
      `${r.provider.padEnd(11)} ${String(r.stored).padStart(14)} ${String(r.files).padStart(7)} ${r.seconds.toFixed(1).padStart(9)} ${(r.stored / r.seconds).toFixed(0).padStart(10)}` +
        ` ${r.cpuSeconds.toFixed(1).padStart(7)} ${(r.stored / r.cpuSeconds).toFixed(0).padStart(14)}` +
        ` ${String(r.requests.get("ListObjectsV2Command") ?? 0).padStart(15)} ${String(r.requests.get("GetObjectCommand") ?? 0).padStart(11)}   ${mb(r.rssBefore)} → ${mb(r.rssPeak)} → ${mb(r.rssAfter)}`,
    );
  }
  for (const r of results) console.log(`${r.provider}: main thread busy ${r.mainBusySeconds.toFixed(1)} s of ${r.seconds.toFixed(1)} (event-loop utilisation ${((100 * r.mainBusySeconds) / r.seconds).toFixed(0)} %), trail reader's worker ${r.workerBusySeconds.toFixed(1)} s; the sandbox's CPU ${r.sandboxCpuSeconds.toFixed(1)} s${r.serverCpuSeconds === undefined ? "" : `; the PostgreSQL server's CPU ${r.serverCpuSeconds.toFixed(1)} s`}`);
  for (const r of results) {
    const f = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${mb(v)}`).join(", ");
    console.log(`${r.provider}: at the RSS peak ${f(r.atPeak)}\n${r.provider}: each one's own peak ${f(r.peakOf)}`);
  }
  for (const r of results) if (r.walPeak > 0) console.log(`${r.provider}: the -wal file at most ${mb(r.walPeak)} (sampled every 250 ms)`);
  console.log("(stored = bearer-token Bedrock calls the generator made; each read once, attributed and rolled up)");
  console.log("(CPU s = this process's user + system CPU time while ingesting, all its threads: the product's code and SQLite, which runs in it, the checkpoint and trail-reader workers; not the sandbox's or PostgreSQL's)");
} finally {
  sandbox.stop();
}
