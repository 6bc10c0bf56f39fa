/**
 * Benchmark: how close the usage sync gets to CloudTrail's LookupEvents ceiling.
 *
 *   npx tsx --conditions=react-server bench/usage-ingest.ts [--events 100000] [--rps 2]
 *
 * AWS allows 2 LookupEvents requests per second per region, 50 events each: a ceiling of 100
 * events/s per region. The sandbox (its own process) enforces that limit like AWS. For 1 and
 * then 3 regions, N bearer-token calls (the traffic generator's records, spread evenly over the
 * regions, last 30 days) are bulk-inserted, and a first sync (90-day window) reads them all into
 * a fresh database through the product's code: token bucket, backoff, normalization, page
 * commits with rollups. Prints achieved events/s as a share of the ceiling (target ≥ 90 %).
 * The full 100,000-event run takes about 17 minutes for 1 region and 6 for 3.
 */
import { createCloudTrailClient } from "@/lib/aws/cloudtrail";
import { createTestDb } from "@/lib/testing/test-db";
import { type RegionProgress, syncAllRegions } from "@/lib/usage/sync";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { iterateEvents } from "@/sandbox/src/traffic/events";
import { arg, machine, startSandboxProcess } from "./usage-support";

const total = arg("events", 100_000);
const rps = arg("rps", 2);
const REGIONS = ["us-east-1", "us-west-2", "eu-central-1"];
const ADMIN_CREDENTIALS = { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY };

console.log(`usage-ingest benchmark\n${machine()}\nLookupEvents limit enforced by the sandbox: 2 requests/s per region; the sync's own pace: ${rps}/s\n`);

async function scenario(regionCount: number) {
  const regions = REGIONS.slice(0, regionCount);
  const sandbox = await startSandboxProcess({ SANDBOX_LOOKUP_RPS: "2" });
  const testDb = await createTestDb();
  try {
    // Bulk insert, in chunks the control API takes comfortably.
    const now = Date.now();
    let chunk: unknown[] = [];
    let i = 0;
    const flush = async () => {
      const res = await fetch(`${sandbox.url}/_sandbox/events`, { method: "POST", body: JSON.stringify(chunk), headers: { "content-type": "application/json" } });
      if (!res.ok) throw new Error(`insert failed: ${res.status} ${await res.text()}`);
      chunk = [];
    };
    for (const record of iterateEvents(total, { seed: 7, from: now - 30 * 86_400_000, to: now - 60_000 })) {
      chunk.push({ ...record, awsRegion: regions[i++ % regions.length] });
      if (chunk.length === 5000) await flush();
    }
    if (chunk.length) await flush();

    const buckets = new Map(regions.map((r) => [r, new TokenBucket(rps)]));
    const clients = new Map(regions.map((r) => [r, createCloudTrailClient({ region: r, endpoint: sandbox.url, credentials: ADMIN_CREDENTIALS })]));
    const latest = new Map<string, RegionProgress>();
    const ticker = setInterval(() => {
      const list = [...latest.values()];
      const inserted = list.reduce((n, r) => n + r.inserted, 0);
      const eta = Math.max(0, ...list.map((r) => r.etaSeconds ?? 0));
      console.log(`  … ${inserted.toLocaleString("en-US")} events, ${list.reduce((n, r) => n + r.pages, 0)} pages, ${list.reduce((n, r) => n + r.throttled, 0)} throttled, about ${eta} s left`);
    }, 60_000);
    const started = performance.now();
    const results = await syncAllRegions(
      { db: testDb.db, regions, clientFor: (r) => clients.get(r)!, bucketFor: (r) => buckets.get(r)!, now: () => new Date(), lateEventMs: 15 * 60_000 },
      { onProgress: (p) => latest.set(p.region, p) },
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(ticker);
    const stored = await testDb.db.usageEvent.count();
    const pages = results.reduce((n, r) => n + r.pages, 0);
    const throttled = results.reduce((n, r) => n + r.throttled, 0);
    const rate = stored / seconds;
    const ceiling = 100 * regionCount;
    console.log(
      `${regionCount} region(s): ${stored.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events stored in ${seconds.toFixed(1)} s — ` +
        `${rate.toFixed(1)} events/s = ${((rate / ceiling) * 100).toFixed(1)} % of the ${ceiling} events/s ceiling ` +
        `(${pages} LookupEvents pages, ${(pages / seconds).toFixed(2)} requests/s, ${throttled} throttled)`,
    );
    if (stored !== total) throw new Error(`expected ${total} events, stored ${stored}`);
  } finally {
    sandbox.stop();
    await testDb.cleanup();
  }
}

await scenario(1);
await scenario(3);
