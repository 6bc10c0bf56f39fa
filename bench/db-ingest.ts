/**
 * Benchmark: usage ingest into SQLite and PostgreSQL side by side, without CloudTrail's throttle
 * (what the database takes, not what AWS hands out), and PostgreSQL's storage per event.
 *
 *   npx tsx --conditions=react-server bench/db-ingest.ts [--events 50000]
 *
 * The traffic generator's records are normalized and committed through the product's own page
 * commit (lib/usage/ingest.ts: events, raw records, rollups, subjects, source IPs, one
 * transaction per page of 50, as LookupEvents returns them). PostgreSQL is a throw-away local
 * cluster with durable settings (fsync on), started and removed by the benchmark.
 */
import { statSync } from "node:fs";
import { setImmediate as turn } from "node:timers/promises";
import { sqliteCheckpointerOf } from "@/lib/db/client";
import { createTestDb } from "@/lib/testing/test-db";
import { commitPage, type IngestRow } from "@/lib/usage/ingest";
import { normalizeRecord } from "@/lib/usage/normalize";
import { iterateEvents } from "@/sandbox/src/traffic/events";
import { createTemplate, startPgCluster } from "@/tests/support/pg-cluster.mjs";
import { arg, machine } from "./usage-support";

const total = arg("events", 50_000);
console.log(`db-ingest benchmark\n${machine()}\n${total.toLocaleString("en-US")} events, pages of 50, one transaction per page\n`);

async function scenario() {
  const t = await createTestDb();
  try {
    await t.db.usageSyncCursor.create({ data: { region: "us-east-1" } });
    // SQLite's WAL checkpointer (lib/db/sqlite-checkpointer.ts) takes over from the committing
    // connection once its worker says it is ready, a message only the event loop delivers: wait
    // for it, and let the loop turn between pages as a server's does. A loop of commits that never
    // yields keeps SQLite's default, a checkpoint with its fsyncs inside every COMMIT past 1,000 pages.
    if (t.provider === "sqlite" && !(await sqliteCheckpointerOf(t.file)?.ready)) throw new Error("the SQLite checkpointer did not start");
    const now = Date.now();
    let rows: IngestRow[] = [];
    let inserted = 0;
    const started = performance.now();
    for (const record of iterateEvents(total, { seed: 3, from: now - 30 * 86_400_000, to: now })) {
      const r = { ...record, awsRegion: "us-east-1" };
      const event = normalizeRecord(r, "us-east-1");
      if (!event) continue;
      rows.push({ event, raw: JSON.stringify(r), resolution: { apiKeyId: null, userId: null } });
      if (rows.length === 50) {
        inserted += (await commitPage(t.db, "us-east-1", rows, null)).inserted;
        rows = [];
        await turn();
      }
    }
    if (rows.length) inserted += (await commitPage(t.db, "us-east-1", rows, null)).inserted;
    const seconds = (performance.now() - started) / 1000;
    let bytesPerEvent: number;
    if (t.provider === "postgresql") {
      const [size] = await t.db.$queryRaw<{ bytes: bigint }[]>`SELECT pg_database_size(current_database()) AS bytes`;
      bytesPerEvent = Number(size!.bytes) / inserted;
    } else {
      await t.db.$disconnect();
      bytesPerEvent = statSync(t.file).size / inserted;
    }
    return { provider: t.provider, inserted, seconds, rate: inserted / seconds, bytesPerEvent };
  } finally {
    await t.cleanup();
  }
}

const results = [await scenario()];
const cluster = await startPgCluster({ durable: true });
try {
  await createTemplate(cluster.url());
  process.env.TEST_DATABASE = "postgresql";
  process.env.TEST_PG_URL = cluster.url();
  results.push(await scenario());
} finally {
  cluster.stop();
}
console.log("database    events   seconds   events/s   bytes/event (whole database)");
for (const r of results) {
  console.log(`${r.provider.padEnd(10)} ${String(r.inserted).padStart(7)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.rate.toFixed(0).padStart(9)}   ${r.bytesPerEvent.toFixed(0).padStart(6)}`);
}
