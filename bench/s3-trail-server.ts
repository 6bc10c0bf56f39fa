/**
 * Benchmark: the organisation trail's ingest inside the console's production server (issue 19's
 * "memory flat while ingesting", measured on the process that does it in production), SQLite and
 * PostgreSQL, and the server started two ways side by side in one run:
 *  - "npm start": the package.json script, with the memory settings it applies (docs/operations.md,
 *    "Memory");
 *  - "node server.mjs": the same server without them (what `npm start` ran before).
 *
 *   npx tsx --conditions=react-server bench/s3-trail-server.ts [--events 200000] [--accounts 4]
 *       [--days 30] [--batch-minutes 60] [--s3-dir /tmp/trail-s3] [--only sqlite|postgresql]
 *       [--via npm,node] [--cpu-prof DIR]
 *       [--before <another checkout, built>]
 *
 * 10,000,000 events (the issue's size; the trail's bodies on disk, ~1.2 GB of gzip):
 *   npx tsx --conditions=react-server bench/s3-trail-server.ts --events 10000000 --accounts 10 \
 *       --days 400 --batch-minutes 60 --s3-dir /tmp/trail-s3 --via npm
 *
 * Needs a production build in .next/ (`npm run build`). The servers get neither this process's
 * NODE_OPTIONS nor its MALLOC_* settings (bench/http-support.ts). The sandbox synthesises the trail once
 * (as bench/s3-trail-ingest.ts does); for each database × start, a fresh database gets the
 * accounts (their usage source: the S3 trail), the trail's settings and cursors at the trail's
 * first day, and a server started on it with only the usage schedule on: its first sync, 20 s after
 * start (lib/usage/schedule.ts), reads the whole trail. Printed per run: events/s (events stored
 * over the run's startedAt → finishedAt), the server's CPU seconds, the sandbox's and the
 * PostgreSQL server's (they share the machine's cores with it), and the server's RSS (sampled
 * every 250 ms from /proc): idle just before the sync, its peak, at the end, and growth = peak −
 * idle; every 30 s a progress line. A --s3-dir must be empty (the sandbox serves what is in it).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ChildProcess } from "node:child_process";
import { S3Client } from "@aws-sdk/client-s3";
import { createTestDb } from "@/lib/testing/test-db";
import { dayOf } from "@/lib/usage/s3-trail";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { startConsole } from "./http-support";
import { arg, cpuSecondsOf, emptyS3Dir, ingestProbe, machine, mb, onEachDatabase, pgServerCpuSeconds, residentOf, seedTrailReading, startSandboxProcess, synthesizeTrail, trailRegions } from "./usage-support";

const events = arg("events", 200_000);
const accounts = arg("accounts", 4);
const days = arg("days", 30);
const batchMinutes = arg("batch-minutes", 60);
const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const s3Dir = emptyS3Dir(option("s3-dir"));
const only = option("only");
/** Profiles the servers' threads (Node's --cpu-prof: a .cpuprofile per thread, written when the server stops). */
const cpuProf = option("cpu-prof");
/**
 * --before <checkout>: each database × start also reads the trail with another checkout's server
 * (its `next build` done) on a database made by that checkout's own migrations, right after this
 * one's: before and after side by side in one run, on the same trail, across a schema change too.
 */
const beforeDir = option("before");
const before = beforeDir ? path.resolve(beforeDir) : undefined;
if (before && !existsSync(path.join(before, ".next", "BUILD_ID"))) {
  console.error(`--before ${before}: no production build there (run \`npx next build\` in it first).`);
  process.exit(1);
}
const vias = (option("via") ?? "npm,node").split(",").map((v) => (v === "npm" ? "npm start" : "node")) as ("npm start" | "node")[];
const ORG = "o-benchmark01";
const BUCKET = "bench-trail";
console.log(`s3-trail-server benchmark\n${machine()}\n${events.toLocaleString("en-US")} events, ${accounts} accounts, ${days} days, one file per account × region × ${batchMinutes} min\n`);

// The sandbox holds a synthesised trail's index in its heap (a few GB at 10,000,000 events: sandbox/README.md).
const sandbox = await startSandboxProcess({ SANDBOX_TRAIL_DELAY_SECONDS: "0", NODE_OPTIONS: "--max-old-space-size=8192", ...(s3Dir ? { SANDBOX_S3_DIR: s3Dir } : {}) });
const servers: ChildProcess[] = [];
/** The servers' own pids (under `npm start` the spawned process is npm). */
const serverPids: number[] = [];
const tmp = mkdtempSync(path.join(tmpdir(), "bkc-bench-trail-server-"));
try {
  const synth = await synthesizeTrail(sandbox.url, { bucket: BUCKET, orgId: ORG }, { events, accounts, days, batchMinutes });
  console.log(`sandbox: ${String(synth.events)} events in ${String(synth.files)} log files, ${mb(synth.bytes as number)} gzip, synthesised in ${(synth.seconds as number).toFixed(1)} s\n`);
  const accountIds = synth.accounts as string[];
  const from = dayOf(new Date(synth.from as string));
  const s3 = new S3Client({ endpoint: sandbox.url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY } });
  const regions = await trailRegions(s3, BUCKET, ORG, accountIds);

  const results: { provider: string; code: string; via: string; stored: number; seconds: number; cpu: number; idle: number; peak: number; end: number; idleAnon: number; peakAnon: number; sandboxCpu: number; pgCpu: number | undefined; status: string }[] = [];
  let port = 3900;
  const scenario = async () => {
    for (const [via, code] of vias.flatMap((v) => [[v, "now"], ...(before ? [[v, "before"]] : [])] as ["npm start" | "node", "now" | "before"][])) {
      const t = await createTestDb(code === "before" ? { root: before } : {});
      let probe: ReturnType<typeof ingestProbe> | undefined;
      try {
        await seedTrailReading(t.db, { bucket: BUCKET, orgId: ORG, regions, from });
        // Its reads go through a probe from here on, without a checkpointer of its own (ingestProbe).
        await t.db.$disconnect();
        probe = ingestProbe(t);
        const name = `${t.provider}-${via.replace(" ", "-")}${code === "before" ? "-before" : ""}`;
        const server = await startConsole({
          name,
          port: port++,
          databaseUrl: t.url,
          tmp,
          servers,
          via,
          ...(code === "before" ? { root: before } : {}),
          env: {
            AWS_ENDPOINT_URL: sandbox.url,
            AWS_ACCESS_KEY_ID: ADMIN_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: ADMIN_SECRET_ACCESS_KEY,
            // The first sync 20 s after start reads the trail; the next would be an hour later.
            USAGE_SYNC_MINUTES: "60",
            // Retention prunes a minute after start and keeps 400 days by default: with --days 400
            // it can delete the trail's oldest calls while they are read (the likely reason one
            // 10,000,000-event run stored 9,999,995).
            USAGE_RETENTION_DAYS: String(days + 30),
            ...(cpuProf ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(cpuProf, name)}` } : {}),
          },
        });
        serverPids.push(server.pid);
        let last = residentOf(server.pid);
        let idle = last;
        let peak = last;
        let sampler: NodeJS.Timeout | undefined;
        let run: { startedAt: Date; finishedAt: Date | null; status: string } | null = null;
        let lastLog = Date.now();
        const cpuBefore = cpuSecondsOf(server.pid);
        const sandboxCpuBefore = cpuSecondsOf(sandbox.pid);
        const pgCpuBefore = pgServerCpuSeconds();
        const startedAt = Date.now();
        try {
          sampler = setInterval(() => {
            last = residentOf(server.pid);
            if (!run) idle = last;
            else if (last.rss > peak.rss) peak = last;
          }, 250);
          for (;;) {
            run = await probe.lastRun();
            if (run?.finishedAt) break;
            // The first sync starts 20 s after the server; a server that never syncs fails the run.
            if (!run && Date.now() - startedAt > 120_000) throw new Error(`${name}: no sync started within 120 s (log: ${path.join(tmp, `${name}.log`)})`);
            if (run && Date.now() - lastLog > 30_000) {
              lastLog = Date.now();
              console.log(`  ${name}: … ${(await probe.events()).toLocaleString("en-US")} events, RSS ${mb(last.rss)} (idle ${mb(idle.rss)}, peak ${mb(peak.rss)})`);
            }
            await new Promise((resolve) => setTimeout(resolve, run ? 1000 : 100));
          }
        } finally {
          clearInterval(sampler);
        }
        const cpu = cpuSecondsOf(server.pid) - cpuBefore;
        const sandboxCpu = cpuSecondsOf(sandbox.pid) - sandboxCpuBefore;
        const pgCpu = pgCpuBefore === undefined ? undefined : (pgServerCpuSeconds() ?? pgCpuBefore) - pgCpuBefore;
        const end = residentOf(server.pid);
        const stored = await probe.events();
        probe.close();
        results.push({ provider: t.provider, code, via, stored, seconds: (run.finishedAt!.getTime() - run.startedAt.getTime()) / 1000, cpu, idle: idle.rss, peak: Math.max(peak.rss, idle.rss), end: end.rss, idleAnon: idle.rssAnon, peakAnon: peak.rssAnon, sandboxCpu, pgCpu, status: run.status });
        process.kill(server.pid, "SIGTERM");
        for (const s of servers.splice(0)) if (s.exitCode === null) s.kill("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 2000));
        if (run.status !== "success" || stored !== Number(synth.events)) throw new Error(`${name}: the sync ended ${run.status} with ${stored} of ${String(synth.events)} events (log: ${path.join(tmp, `${name}.log`)})`);
      } finally {
        probe?.close();
        await t.cleanup();
      }
    }
  };
  await onEachDatabase(scenario, only);

  console.log(`\nthe server's first sync: a backfill of ${days} days × ${accounts} accounts from ${from}`);
  console.log("database    code     started by          events   seconds   events/s   server CPU s   sandbox CPU s   PostgreSQL CPU s   RSS idle → peak → end        growth (anon)");
  for (const r of results) {
    console.log(
      `${r.provider.padEnd(11)} ${r.code.padEnd(8)} ${r.via.padEnd(16)} ${String(r.stored).padStart(9)} ${r.seconds.toFixed(1).padStart(9)} ${(r.stored / r.seconds).toFixed(0).padStart(10)} ${r.cpu.toFixed(1).padStart(14)} ${r.sandboxCpu.toFixed(1).padStart(15)} ${(r.pgCpu === undefined ? "–" : r.pgCpu.toFixed(1)).padStart(18)}   ${`${mb(r.idle)} → ${mb(r.peak)} → ${mb(r.end)}`.padEnd(26)} ${mb(r.peak - r.idle)} (${mb(r.peakAnon - r.idleAnon)})`,
    );
  }
  console.log("(events/s over the sync run's own start and finish; server CPU s = the server process's user + system CPU over the same span and the 20 s before it, all its threads: SQLite runs in it, PostgreSQL and the sandbox do not; sandbox CPU s = the sandbox's over the same span, serving S3 from the same cores — in production S3 is elsewhere; PostgreSQL CPU s = its server's processes, on the same cores too)");
} finally {
  for (const pid of serverPids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (const s of servers) if (s.exitCode === null) s.kill("SIGTERM");
  sandbox.stop();
}
