/**
 * Benchmark (issue 15): /usage with tokens and cost at 1,000,000 invocation records, full HTTP
 * through the production server on SQLite and PostgreSQL side by side, and the key page's cost.
 *
 *   npx next build   # NEXT_TELEMETRY_DISABLED=1; the benchmark serves the build in .next/
 *   npx tsx --conditions=react-server bench/usage-cost.ts [--events 1000000] [--keys 5000] [--runs 30] [--skip-plain] …
 *       [--before <another checkout, built>] [--hold]   (bench/http-pages.ts: before/after side by side; keep the servers up)
 *
 * The data, servers and sign-in are bench/http-pages.ts's (1,000,000 CloudTrail calls over 90
 * days, 5,000 keys in 20 teams, an admin and a lead of two teams). Two rounds on the same servers:
 *  1. plain /usage — no invocation records yet: the page as every install without invocation
 *     logging sees it (and the re-measure of /usage since its API chart, issue 19);
 *  2. one invocation record per call (1,000,000, token counts varied per call, one model family
 *     unpriced), with the daily cost rollups built from them as the ingest keeps them, and a log
 *     cursor per region: /usage with its cost section (30 and 90 days, admin and lead, and one
 *     key — the per-subject rollup), the inventory with its "Cost, 30 days" column and sorted by
 *     it. Then the key page's cost query (this and last UTC month of the busiest key), timed
 *     in-process: the key page itself reads IAM, which this benchmark's servers cannot reach.
 * Last, before / after CostMonthlySubject in the same run: the per-subject sums (rankings, teams,
 * the inventory's column) timed in-process over every day of CostDailySubject (what they read
 * before) and as whole months ± edge days (what they read now).
 * Goal: p95 ≤ 200 ms.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { keyCosts30, keyMonthlyCost, subjectSums } from "@/lib/cost/queries";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { withPgClient } from "@/tests/support/pg-cluster.mjs";
import { elapsed, events, ids, now, REGIONS, runHttpBench, USAGE_PAGES } from "./http-pages";
import { arg, percentile, sqlTime } from "./usage-support";

const runs = arg("runs", 30);
const log = (s: string) => console.log(s);

// Same SQL on both databases (identifiers quoted). Token counts vary with the call's row id; cost
// at a Haiku-like or Nova-like price per million tokens; Mistral models left unpriced (null), as
// the ingest leaves a model without a price.
const TOKENS_IN = `(200 + ("id" % 4000))`;
const TOKENS_OUT = `(50 + (("id" * 7) % 1000))`;
const CACHE_READ = `(CASE WHEN "id" % 5 = 0 THEN 1000 ELSE 0 END)`;
const COST = `(CASE WHEN "modelId" LIKE '%mistral%' THEN NULL
  WHEN "modelId" LIKE '%nova%' THEN (${TOKENS_IN} * 0.06 + ${TOKENS_OUT} * 0.24 + ${CACHE_READ} * 0.015) / 1000000.0
  ELSE (${TOKENS_IN} * 0.8 + ${TOKENS_OUT} * 4.0 + ${CACHE_READ} * 0.08) / 1000000.0 END)`;
const COST_LOAD = `
  INSERT INTO "InvocationRecord" ("requestId", "timestamp", "day", "accountId", "region", "inferenceRegion", "operation", "modelId", "priceModelId",
      "identityArn", "subject", "identityType", "apiKeyId", "userId", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "priceId", "unpricedReason")
    SELECT "eventId", "eventTime", "day", '123456789012', "region", "inferenceRegion", "eventName", "modelId", "modelId",
      "principalArn", "subject", "identityType", "apiKeyId", "userId", ${TOKENS_IN}, ${TOKENS_OUT}, ${CACHE_READ}, 0, ${COST}, NULL,
      CASE WHEN "modelId" LIKE '%mistral%' THEN 'unknown_model' ELSE NULL END
    FROM "UsageEvent";
  INSERT INTO "CostDaily" ("day", "subject", "identityType", "accountId", "modelId", "region", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
    SELECT "day", "subject", MIN("identityType"), "accountId", "priceModelId", "region", COUNT(*), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"),
      SUM("cacheWriteTokens"), COALESCE(SUM("costUsd"), 0), SUM(CASE WHEN "costUsd" IS NULL THEN 1 ELSE 0 END)
    FROM "InvocationRecord" GROUP BY "day", "subject", "accountId", "priceModelId", "region";
  INSERT INTO "CostDailySubject" ("day", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
    SELECT "day", "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"),
      SUM("costUsd"), SUM("unpricedCalls")
    FROM "CostDaily" GROUP BY "day", "subject";
  INSERT INTO "CostMonthlySubject" ("month", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
    SELECT substr("day", 1, 7), "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"),
      SUM("costUsd"), SUM("unpricedCalls")
    FROM "CostDailySubject" GROUP BY substr("day", 1, 7), "subject";
  INSERT INTO "CostDailyModel" ("day", "accountId", "modelId", "region", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
    SELECT "day", "accountId", "modelId", "region", "identityType", SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"),
      SUM("costUsd"), SUM("unpricedCalls")
    FROM "CostDaily" GROUP BY "day", "accountId", "modelId", "region", "identityType";
`;

async function loadCost(sqliteUrl: string, pgUrl: string) {
  const t0 = performance.now();
  const lite = new Database(sqliteUrl.slice("file:".length), { timeout: 30_000 });
  lite.exec(`BEGIN; ${COST_LOAD} COMMIT;`);
  const cursor = lite.prepare(`INSERT INTO "InvocationLogCursor" ("accountId", "region", "logGroupName", "syncedThrough", "lastRunAt", "recordsRead", "updatedAt") VALUES ('123456789012', ?, '/aws/bedrock/invocations', ?, ?, 0, ?)`);
  for (const region of REGIONS.split(",")) cursor.run(region, sqlTime(now), sqlTime(now), sqlTime(now));
  const count = (table: string) => (lite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const counts = { records: count("InvocationRecord"), daily: count("CostDaily"), subject: count("CostDailySubject"), model: count("CostDailyModel") };
  lite.exec("ANALYZE");
  lite.close();
  await withPgClient(pgUrl, async (c) => {
    await c.query(`BEGIN; ${COST_LOAD} COMMIT;`);
    for (const region of REGIONS.split(","))
      await c.query(`INSERT INTO "InvocationLogCursor" ("accountId", "region", "logGroupName", "syncedThrough", "lastRunAt", "recordsRead", "updatedAt") VALUES ('123456789012', $1, '/aws/bedrock/invocations', $2, $2, 0, $2)`, [region, now]);
    await c.query("VACUUM ANALYZE");
  });
  log(
    `\nloaded ${counts.records.toLocaleString("en-US")} invocation records into both databases in ${elapsed(t0)}: ` +
      `${counts.daily.toLocaleString("en-US")} CostDaily rows, ${counts.subject.toLocaleString("en-US")} CostDailySubject rows, ${counts.model.toLocaleString("en-US")} CostDailyModel rows`,
  );
}

/** The key page's cost card: this and last UTC month of one key, on each database, in-process. */
async function keyPageCost(sqliteUrl: string, pgUrl: string) {
  const viewer = { id: ids.user("admin", 0), role: "admin" as const, ledTeamIds: [] };
  log("\nkey page's cost (keyMonthlyCost: this and last UTC month of key 0, the busiest), in-process, ms");
  log("database       p50      p95      max");
  for (const [name, url] of [["sqlite", sqliteUrl], ["postgresql", pgUrl]] as const) {
    const db = createPrismaClient(url);
    let calls = 0;
    for (let i = 0; i < 5; i++) calls = (await keyMonthlyCost(db, viewer, ids.key(0), now))!.thisMonth.calls;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await keyMonthlyCost(db, viewer, ids.key(0), now);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    log(`${name.padEnd(11)} ${percentile(times, 50).toFixed(1).padStart(6)}   ${percentile(times, 95).toFixed(1).padStart(6)}   ${times[times.length - 1]!.toFixed(1).padStart(6)}   (${calls.toLocaleString("en-US")} calls this month)`);
    await db.$disconnect();
  }
}

/**
 * Before / after in the same run: the per-subject sums /usage's rankings and team totals and the
 * inventory's cost column make, in-process on each database: grouping every day of the range in
 * CostDailySubject (what they read before CostMonthlySubject) and whole months ± edge days
 * (subjectSums, keyCosts30: what lib/cost/queries.ts reads now).
 */
async function rollupBeforeAfter(sqliteUrl: string, pgUrl: string) {
  const sums = { calls: true, costUsd: true, unpricedCalls: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true } as const;
  const range = (days: number) => {
    const to = now.toISOString().slice(0, 10);
    const from = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    return { gte: from, lte: to };
  };
  const today = now.toISOString().slice(0, 10);
  const cases: { name: string; before: (db: PrismaClient) => Promise<unknown>; after: (db: PrismaClient) => Promise<unknown> }[] = [
    ...[30, 90].map((days) => ({
      name: `top keys/people/teams, ${days} days`,
      before: (db: PrismaClient) => db.costDailySubject.groupBy({ by: ["subject"], where: { day: range(days) }, _sum: sums }),
      after: (db: PrismaClient) => subjectSums(db, { fromDay: range(days).gte, toDay: range(days).lte, today }),
    })),
    {
      name: "inventory: 30-day cost, every key",
      before: (db) => db.costDailySubject.groupBy({ by: ["subject"], where: { day: range(30), identityType: "long-term" }, _sum: { costUsd: true, unpricedCalls: true, calls: true } }),
      after: (db) => keyCosts30(db, null, now),
    },
  ];
  const n = Math.min(runs, 10);
  log(`
before (every day of CostDailySubject) / after (CostMonthlySubject ± edge days): the per-subject sums, in-process, ${n} runs after 2 warm-up, ms`);
  log("query                                  database      before p50 / p95      after p50 / p95");
  for (const c of cases) {
    for (const [name, url] of [["sqlite", sqliteUrl], ["postgresql", pgUrl]] as const) {
      const db = createPrismaClient(url);
      const time = async (q: (db: PrismaClient) => Promise<unknown>) => {
        for (let i = 0; i < 2; i++) await q(db);
        const t: number[] = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await q(db);
          t.push(performance.now() - t0);
        }
        return t.sort((a, b) => a - b);
      };
      const b = await time(c.before);
      const a = await time(c.after);
      const fmt = (t: number[]) => `${percentile(t, 50).toFixed(0).padStart(6)} / ${percentile(t, 95).toFixed(0).padStart(6)}`;
      log(`${c.name.padEnd(38)} ${name.padEnd(11)}   ${fmt(b)}       ${fmt(a)}`);
      await db.$disconnect();
    }
  }
}

// The lead's 90 days before their 30: its first view then finds none of its days kept by the
// per-day cache (lib/usage/daily-cache.ts), the 30 days' finds them all.
const LEAD_90_FIRST = [...USAGE_PAGES.filter((p) => p.as !== "lead"), ...USAGE_PAGES.filter((p) => p.as === "lead").reverse()];
const withCost = (shows: string) => LEAD_90_FIRST.map((p) => ({ ...p, name: `${p.name} + cost`, shows }));

/**
 * A sync landing between two views: one row of today's subject-less rollups (whose per-day sums
 * are the cache's versions) gets one more call, so every view reads today again, as after a real
 * sync; the other days stay kept. Before every timed request (bench/http-pages.ts `touch`).
 */
const today = now.toISOString().slice(0, 10);
const TOUCHED = ["UsageDailyModel", "CostDailyModel"];
let liteTouch: Database.Database | undefined;
let pgTouch: Promise<pg.Client> | undefined;
async function touchToday({ sqliteUrl, pgUrl }: { sqliteUrl: string; pgUrl: string }, db: "sqlite" | "postgresql") {
  let changed = 0;
  if (db === "sqlite") {
    liteTouch ??= new Database(sqliteUrl.slice("file:".length), { timeout: 30_000 });
    for (const t of TOUCHED) changed += liteTouch.prepare(`UPDATE "${t}" SET "calls" = "calls" + 1 WHERE rowid = (SELECT rowid FROM "${t}" WHERE "day" = ? LIMIT 1)`).run(today).changes;
  } else {
    const c = await (pgTouch ??= (async () => {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      return client;
    })());
    for (const t of TOUCHED) changed += (await c.query(`UPDATE "${t}" SET "calls" = "calls" + 1 WHERE ctid = (SELECT ctid FROM "${t}" WHERE "day" = $1 LIMIT 1)`, [today])).rowCount ?? 0;
  }
  if (changed !== TOUCHED.length) throw new Error(`touch: no rows of ${today} in ${db}'s ${TOUCHED.join(" and ")}`);
}

/** The most called model of the bench's data (15 % of the calls), its second region, its second door. */
const FILTERED = [
  { name: "/usage 90 days, lead, one model + cost", url: `/usage?range=90&model=${encodeURIComponent("anthropic.claude-3-5-haiku-20241022-v1:0")}`, as: "lead" as const },
  { name: "/usage 90 days, admin, one model + cost", url: `/usage?range=90&model=${encodeURIComponent("anthropic.claude-3-5-haiku-20241022-v1:0")}`, as: "admin" as const },
  { name: "/usage 90 days, lead, one region + cost", url: "/usage?range=90&region=us-west-2", as: "lead" as const },
  { name: "/usage 90 days, lead, one door + cost", url: "/usage?range=90&api=invoke_model", as: "lead" as const },
];

// --skip-plain: leave out round 1 (plain /usage, measured by bench/http-pages.ts too) when time is short.
const skipPlain = process.argv.includes("--skip-plain");

await runHttpBench("usage-cost benchmark", [
  ...(skipPlain ? [] : [{ title: "plain /usage: no invocation records", pages: () => USAGE_PAGES.map((p) => ({ ...p, shows: "Never synced" })) }]),
  {
    title: `/usage with tokens and cost, ${events.toLocaleString("en-US")} invocation records`,
    before: ({ sqliteUrl, pgUrl }) => loadCost(sqliteUrl, pgUrl),
    serversDown: true,
    pages: () => [
      ...withCost("Top keys by cost"),
      { name: "/usage 30 days, one key + cost", url: `/usage?range=30&who=${encodeURIComponent("key:BedrockAPIKey-bench000")}`, as: "admin", shows: "Cost per day by model" },
      // Filtered views: a model, a region or a door the rollups behind "calls by API" (or, for the
      // door, every chart) do not have; those count the events themselves (lib/usage/queries.ts).
      ...FILTERED.map((p) => ({ ...p, shows: "Cost per day by model" })),
      { name: "/keys, admin (cost column)", url: "/keys", as: "admin", shows: "Cost, 30 days" },
      { name: "/keys by cost, admin", url: "/keys?sort=cost30d&dir=desc", as: "admin", shows: "bench-" },
      { name: "/keys by cost, lead", url: "/keys?sort=cost30d&dir=desc", as: "lead", shows: "bench-" },
    ],
    touch: touchToday,
    after: async ({ sqliteUrl, pgUrl }) => {
      await keyPageCost(sqliteUrl, pgUrl);
      await rollupBeforeAfter(sqliteUrl, pgUrl);
    },
  },
]);
