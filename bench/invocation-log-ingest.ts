/**
 * Benchmark: tokens and cost from model invocation logs (issue 15), end to end through the
 * product's code — FilterLogEvents paced by the token bucket at AWS's 5 requests/s per account
 * and region (the sandbox enforces the same quota), JSON parse, attribution, costing, and the
 * records + CostDaily + CostDailyModel commit per page — into SQLite and then PostgreSQL.
 *
 *   npx tsx --conditions=react-server bench/invocation-log-ingest.ts [--records 100000] [--regions 1]
 *
 * The sandbox runs as its own process with its CloudWatch Logs quotas on. Each region's log group
 * is filled through the control route with `records` invocation-log records (≈ 580 bytes each, the
 * shape Bedrock writes) from 200 keys and 50 people over 30 days. Each database then reads every
 * region at once, as a usage sync does. Printed per database: records/s, pages, throttled answers,
 * and the fraction of two ceilings: the nominal one (5 requests/s × 10,000 events per page =
 * 50,000 records/s per region) and the one the 1 MB page cap really leaves (5 × the page's events).
 */
import { randomUUID } from "node:crypto";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { type CostProgress, FILTER_LOG_EVENTS_TPS, syncInvocationLogs } from "@/lib/cost/ingest";
import { loadAwsPrices } from "@/lib/cost/prices";
import { createTestDb } from "@/lib/testing/test-db";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { arg, machine, onEachDatabase, startSandboxProcess } from "./usage-support";

const records = arg("records", 100_000);
const regionCount = arg("regions", 1);
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const ACCOUNT = "123456789012";
const GROUP = "/aws/bedrock/modelinvocations";
const REGIONS = ["us-east-1", "us-west-2", "eu-central-1"].slice(0, regionCount);
const NOMINAL_PAGE = 10_000;

console.log(`invocation-log-ingest benchmark\n${machine()}\n${records.toLocaleString("en-US")} records per region, ${REGIONS.length} region(s), sandbox quotas on (FilterLogEvents ${FILTER_LOG_EVENTS_TPS}/s per account × region)\n`);

const MODELS = [
  ["us.anthropic.claude-3-5-haiku-20241022-v1:0", 2000, 400],
  ["us.anthropic.claude-sonnet-4-20250514-v1:0", 2500, 600],
  ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", 3000, 700],
  ["us.amazon.nova-lite-v1:0", 900, 200],
  ["amazon.nova-pro-v1:0", 900, 250],
  ["meta.llama3-1-8b-instruct-v1:0", 700, 150],
  ["mistral.mistral-large-2402-v1:0", 800, 200],
] as const;

function record(region: string, i: number, at: number): string {
  const [modelId, inMed, outMed] = MODELS[i % MODELS.length]!;
  const arn = i % 5 === 4 ? `arn:aws:sts::${ACCOUNT}:assumed-role/BedrockShortTerm/person${i % 50}@example.com+u${i % 50}` : `arn:aws:iam::${ACCOUNT}:user/BedrockAPIKey-svc-${i % 200}`;
  const cached = modelId.includes("anthropic") && i % 3 === 0;
  return JSON.stringify({
    schemaType: "ModelInvocationLog",
    schemaVersion: "1.0",
    timestamp: new Date(at).toISOString().replace(/\.\d+Z$/, "Z"),
    accountId: ACCOUNT,
    identity: { arn },
    region,
    requestId: randomUUID(),
    operation: i % 4 === 0 ? "ConverseStream" : "Converse",
    modelId,
    input: { inputContentType: "application/json", inputTokenCount: inMed + (i % 997), ...(modelId.includes("anthropic") ? { cacheReadInputTokenCount: cached ? 6000 : 0, cacheWriteInputTokenCount: cached && i % 30 === 0 ? 6000 : 0 } : {}) },
    output: { outputContentType: "application/json", outputTokenCount: outMed + (i % 331) },
    inferenceRegion: region,
  });
}

const sandbox = await startSandboxProcess();
try {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${text.slice(0, 300)}`);
    return text;
  };
  const to = Date.now() - 60_000;
  const from = to - 30 * 86_400_000;
  let bytes = 0;
  const fillStarted = performance.now();
  for (const region of REGIONS) {
    await post("bedrock/logging", { region, logGroupName: GROUP });
    for (let i = 0; i < records; i += 10_000) {
      const events = [];
      for (let j = i; j < Math.min(records, i + 10_000); j++) {
        const message = record(region, j, from + Math.floor(((to - from) * j) / records));
        bytes += message.length + 26;
        events.push({ timestamp: from + Math.floor(((to - from) * j) / records), message });
      }
      await post("logs/events", { region, logGroupName: GROUP, logStreamName: "aws/bedrock/modelinvocations", events });
    }
  }
  const avg = bytes / (records * REGIONS.length);
  const perPage = Math.min(NOMINAL_PAGE, Math.floor(1_048_576 / avg));
  console.log(`sandbox: ${(records * REGIONS.length).toLocaleString("en-US")} records (${avg.toFixed(0)} bytes each with the 26-byte overhead → ≤ ${perPage.toLocaleString("en-US")} per 1 MB page) written in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);

  const credentials = { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY };
  const results: { provider: string; stored: number; seconds: number; pages: number; throttled: number }[] = [];
  const scenario = async () => {
    const t = await createTestDb();
    try {
      await loadAwsPrices(t.db);
      // A fresh quota per database: wait out the previous scenario's bucket in the sandbox.
      await new Promise((r) => setTimeout(r, 1500));
      const started = performance.now();
      const progress: CostProgress[] = await Promise.all(
        REGIONS.map((region) => {
          const common = { region, endpoint: sandbox.url, credentials };
          return syncInvocationLogs(
            { db: t.db, now: () => new Date(), lateMs: 15 * 60_000, initialLookbackMs: 31 * 86_400_000 },
            { accountId: ACCOUNT, region, logs: new CloudWatchLogsClient({ ...common, maxAttempts: 1 }), bedrock: new BedrockClient({ ...common, maxAttempts: 1 }), bucket: new TokenBucket(FILTER_LOG_EVENTS_TPS) },
          );
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const stored = await t.db.invocationRecord.count();
      if (stored !== records * REGIONS.length) throw new Error(`stored ${stored} of ${records * REGIONS.length}`);
      results.push({ provider: t.provider, stored, seconds, pages: progress.reduce((n, p) => n + p.pages, 0), throttled: progress.reduce((n, p) => n + p.throttled, 0) });
    } finally {
      await t.cleanup();
    }
  };

  await onEachDatabase(scenario, only);

  const nominal = FILTER_LOG_EVENTS_TPS * NOMINAL_PAGE * REGIONS.length;
  const real = FILTER_LOG_EVENTS_TPS * perPage * REGIONS.length;
  console.log("database     records   pages  throttled   seconds   records/s   of 5 TPS × 10,000   of 5 TPS × 1 MB page");
  for (const r of results) {
    const rate = r.stored / r.seconds;
    console.log(
      `${r.provider.padEnd(11)} ${String(r.stored).padStart(8)} ${String(r.pages).padStart(7)} ${String(r.throttled).padStart(10)} ${r.seconds.toFixed(1).padStart(9)} ${rate.toFixed(0).padStart(11)}` +
        ` ${`${((rate / nominal) * 100).toFixed(1)} %`.padStart(19)} ${`${((rate / real) * 100).toFixed(1)} %`.padStart(22)}`,
    );
  }
  console.log(`(ceilings for ${REGIONS.length} region(s): ${nominal.toLocaleString("en-US")} records/s nominal; ${real.toLocaleString("en-US")} records/s with pages capped at 1 MB)`);
} finally {
  sandbox.stop();
}
