#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark in turn; each prints its figures and the machine it ran on.
 * Benchmarks measure; tests never time anything. On 2 cores the full set takes a while: the
 * CloudTrail ingest alone is bounded by AWS's 2 requests/s (100,000 events ≈ 17 min for one
 * region, then ≈ 6 min for three), so it defaults to that full size only with --full.
 *   npm run bench                       # all, ingest at 20,000 events
 *   npm run bench -- --full             # all at the sizes in the issues (100,000 ingest events)
 *   npm run bench -- --only=usage-dashboard,keys-inventory
 *   npm run bench -- --only=http-pages --full   # /usage and /keys over HTTP at 1,000,000 events
 *   npm run bench -- --only=posture            # posture evaluation and /posture over HTTP
 *   npm run bench -- --only=s3-trail-server    # the trail ingest's memory in `npm start`'s server
 *   npm run bench -- --only=cost-latency       # call → cost on the key page, budget → key disabled (≈ 10–15 min of waiting)
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const full = args.includes("--full");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");

// --conditions=react-server lets `server-only` modules of the app load outside Next.js.
const BENCHES = [
  { name: "sandbox-iam", args: ["bench/sandbox-iam.ts"] },
  { name: "sandbox-bedrock", args: ["bench/sandbox-bedrock.ts"] },
  { name: "keys-inventory", args: ["--conditions=react-server", "bench/keys-inventory.ts"] },
  { name: "usage-ingest", args: ["--conditions=react-server", "bench/usage-ingest.ts", "--events", full ? "100000" : "20000"] },
  { name: "usage-dashboard", args: ["--conditions=react-server", "bench/usage-dashboard.ts"] },
  { name: "usage-export", args: ["--conditions=react-server", "bench/usage-export.ts"] },
  { name: "accounts", args: ["--conditions=react-server", "bench/accounts.ts", ...(full ? [] : ["--accounts", "20", "--keys", "50", "--sync-accounts", "10"])] },
  // The organisation trail in S3 (issue 19): end to end into SQLite and PostgreSQL, RSS, backfill requests.
  { name: "s3-trail-ingest", args: ["--conditions=react-server", "bench/s3-trail-ingest.ts", "--events", full ? "1000000" : "200000", ...(full ? ["--accounts", "10", "--days", "90"] : [])] },
  // The same ingest inside the production server (needs a production build in .next/): its RSS,
  // `npm start` with its memory settings against plain `node server.mjs`, SQLite and PostgreSQL.
  { name: "s3-trail-server", args: ["--conditions=react-server", "bench/s3-trail-server.ts", "--events", full ? "1000000" : "200000", ...(full ? ["--accounts", "10", "--days", "90"] : [])] },
  // Tokens and cost from model invocation logs (issue 15): FilterLogEvents at AWS's 5/s, SQLite and PostgreSQL.
  { name: "invocation-log-ingest", args: ["--conditions=react-server", "bench/invocation-log-ingest.ts", "--records", full ? "1000000" : "100000"] },
  { name: "db-ingest", args: ["--conditions=react-server", "bench/db-ingest.ts", "--events", full ? "200000" : "50000"] },
  // Full HTTP response times of /usage and /keys through `npm start` on SQLite and PostgreSQL
  // (1,000,000 events, 5,000 keys; needs a production build in .next/, ~10 min on 2 cores).
  { name: "http-pages", args: ["--conditions=react-server", "bench/http-pages.ts", "--events", full ? "1000000" : "200000"] },
  // Posture (issue 16): an evaluation over 5,000 keys and 10,000 IAM users (IAM calls, wall time)
  // and /posture over HTTP on SQLite and PostgreSQL (needs a production build in .next/).
  { name: "posture", args: ["--conditions=react-server", "bench/posture.ts"] },
  // Cost and budget latency (issue 15): a Bedrock call → its cost on the key page, crossing a budget →
  // the key disabled, with the default schedules against the sandbox's delivery delays (needs a
  // production build in .next/; mostly waiting, 10–15 min).
  { name: "cost-latency", args: ["--conditions=react-server", "bench/cost-latency.ts"] },
];

const unknown = (only ?? []).filter((n) => !BENCHES.some((b) => b.name === n));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${BENCHES.map((b) => b.name).join(", ")}`);
  process.exit(2);
}

let failed = 0;
for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
  console.log(`\n━━━ ${bench.name} ━━━`);
  const result = spawnSync("npx", ["tsx", ...bench.args], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) {
    failed++;
    console.error(`✖ ${bench.name} exited with ${result.status}`);
  }
}
process.exit(failed ? 1 : 0);
