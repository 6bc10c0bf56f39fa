/**
 * Cost and budget latency, end to end (issue 15's goals): the time from a Bedrock call to its cost
 * on the key page (goal ≤ 5 min) and from crossing a budget to the key disabled (goal ≤ 10 min),
 * with the console's DEFAULT schedules, against the sandbox with AWS-like delivery delays.
 *
 *   NEXT_TELEMETRY_DISABLED=1 npx next build   # the benchmark serves the build in .next/
 *   npx tsx --conditions=react-server bench/cost-latency.ts [--phases 30,100,170,245,275] [--log-delay 60] [--port 3130]
 *   npm run bench -- --only=cost-latency
 *
 * What runs, all real:
 *  - the sandbox in its own process, quotas on (LookupEvents 2/s, FilterLogEvents 5/s), CloudTrail's
 *    trail delivery at its default 5 min, and model invocation-log records delivered
 *    `--log-delay` seconds after each call (SANDBOX_INVOCATION_LOG_DELAY_SECONDS, default 60);
 *  - the production server (`node server.mjs`) on a fresh SQLite database, pointed at the sandbox by
 *    AWS_ENDPOINT_URL, with every schedule at its default (USAGE_SYNC_MINUTES, BUDGET_EVALUATE_MINUTES,
 *    INVOCATION_LOG_LATE_MINUTES, … unset: what a fresh install runs);
 *  - set-up through the product's services, as its actions call them: the console's own account
 *    registered, invocation logging switched on in us-east-1 (`enableLogging`: log group, delivery
 *    role, metadata only), one long-term key per sample issued (`issueLongTermKey`), and on each a
 *    budget of 1 token a month with the action at 100 % "disable the key" (`setBudget`);
 *  - per sample, one Converse call with the key as a bearer token (which crosses its budget at
 *    once), placed `phase` seconds after a tick of the usage sync's timer, so the samples fall at
 *    different points of the 5-minute cycle (the worst case: a record arriving just after a tick,
 *    e.g. phase 245 with a 60 s delivery: arrival 5 s after the tick);
 *  - then, every 3 s, the key page over HTTP as a signed-in admin (its "This month" calls > 0 =
 *    the cost shows) and the key's credential in the sandbox's IAM (Inactive = disabled).
 * Prints each sample, min / median / max of both latencies, the settings in effect, the sync runs
 * seen, the machine and its load average. Wall time ≈ 2 min set-up + the last phase + its latency.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient, ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import { ADMIN_CREDENTIALS } from "@/tests/support/keys-env";
import { signIn, startConsole, type Server } from "./http-support";
import { machine, percentile, startSandboxProcess } from "./usage-support";

const root = path.resolve(import.meta.dirname, "..");
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const phases = (argValue("phases") ?? "30,100,170,245,275").split(",").map(Number);
const logDelay = Number(argValue("log-delay") ?? "60");
const port = Number(argValue("port") ?? "3130");
/** A sample that has shown neither after this long is reported as missing the goal by "> timeout". */
const TIMEOUT_MS = Number(argValue("timeout-minutes") ?? "20") * 60_000;
const POLL_MS = 3_000;
const MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const REGION = "us-east-1";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build in .next/: run `NEXT_TELEMETRY_DISABLED=1 npx next build` first.");
  process.exit(1);
}
if (phases.some((p) => !Number.isFinite(p) || p < 0) || !Number.isFinite(logDelay) || logDelay < 0) {
  console.error("--phases: seconds after a usage-sync tick, comma-separated (e.g. 30,100,170,245,275); --log-delay: seconds ≥ 0");
  process.exit(2);
}

const tmp = mkdtempSync(path.join(tmpdir(), "bkc-bench-cost-latency-"));
const servers: ChildProcess[] = [];
let sandbox: { url: string; stop: () => void } | null = null;
async function teardown() {
  for (const s of servers) if (s.exitCode === null) s.kill("SIGTERM");
  sandbox?.stop();
  await sleep(500);
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void teardown().then(() => process.exit(130)));

interface Sample {
  phase: number;
  keyId: string;
  iamUserName: string;
  secret: string;
  callAt?: number;
  requestId?: string;
  costAt?: number;
  disabledAt?: number;
  deliveredAt?: number;
}

const fmtS = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(0)} s`);
const fmtM = (ms: number) => `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;

function stats(name: string, values: (number | undefined)[], goalMs: number) {
  const got = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const missing = values.length - got.length;
  if (got.length === 0) return `${name}: no sample arrived within ${TIMEOUT_MS / 60_000} min`;
  const max = got.at(-1)!;
  return `${name.padEnd(28)} min ${fmtM(got[0]!)}, median ${fmtM(percentile(got, 50))}, max ${fmtM(max)}${missing ? ` (${missing} did not arrive within ${TIMEOUT_MS / 60_000} min)` : ""} — goal ≤ ${goalMs / 60_000} min: ${missing === 0 && max <= goalMs ? "met" : "MISSED"}`;
}

/** The key page's "This month" row of the cost card: calls and cost as the page shows them (null: no card). */
function costOnPage(html: string): { calls: number; cost: string } | null {
  const card = /data-testid="key-cost"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tr>/.exec(html)?.[1];
  if (!card) return null;
  const cells = [...card.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "").replace(/&nbsp;|\u00a0/g, " ").trim());
  return { cost: cells[0] ?? "", calls: Number((cells[1] ?? "0").replace(/[^\d]/g, "")) };
}

let exitCode = 0;
try {
  const load0 = os.loadavg();
  log(`cost-latency benchmark\n${machine()}\nload average at start: ${load0.map((l) => l.toFixed(2)).join(", ")}\n`);

  // ── The sandbox: AWS-like delivery delays and quotas ──
  sandbox = await startSandboxProcess({ SANDBOX_INVOCATION_LOG_DELAY_SECONDS: String(logDelay) });
  log(`sandbox at ${sandbox.url} (invocation-log delivery ${logDelay} s, LookupEvents 2/s, FilterLogEvents 5/s)`);

  // ── The console's database and configuration (what the server reads; the services below read the same) ──
  const databaseUrl = `file:${path.join(tmp, "console.db")}`;
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: databaseUrl } });
  if (migrate.status !== 0) throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const awsEnv = {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: ADMIN_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ADMIN_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
  };
  // The benchmark process calls the product's services in-process: same database, same endpoint.
  for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
  Object.assign(process.env, awsEnv, {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomUUID() + randomUUID(),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: path.join(tmp, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "no-aws-credentials"),
    LOG_LEVEL: "warn",
  });
  const [{ db }, { hashPassword }, { accountAccess }, { loggingDeps }, { enableLogging }, { keyDeps }, { issueLongTermKey }, { issueKeySchema }, { setBudget }, { budgetFormSchema }, { collectingSink }, { parseConfig }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/auth/password"),
    import("@/lib/accounts/deps"),
    import("@/lib/invocation-logging/deps"),
    import("@/lib/invocation-logging/service"),
    import("@/lib/keys/deps"),
    import("@/lib/keys/issue"),
    import("@/lib/keys/schemas"),
    import("@/lib/budgets/service"),
    import("@/lib/budgets/schemas"),
    import("@/lib/keys/collecting-sink"),
    import("@/lib/config/schema"),
  ]);
  const password = "bench-password-long-enough";
  const admin = await db().user.create({ data: { email: "admin@bench.example", name: "Admin", role: "admin", passwordHash: await hashPassword(password) } });
  const team = await db().team.create({ data: { name: "Latency" } });
  await db().teamMembership.create({ data: { userId: admin.id, teamId: team.id, isLead: true } });
  const actor = { id: admin.id, email: admin.email, role: "admin" as const, teamIds: [team.id], ledTeamIds: [team.id] };
  const own = await accountAccess().ensureDefault();
  const logging = await enableLogging(loggingDeps(), { accountId: own, region: REGION, keepS3: false }, collectingSink());
  log(`invocation logging in ${own}/${REGION}: ${logging.status.state} → ${logging.status.logGroupName} (metadata only)`);
  const samples: Sample[] = [];
  for (const [i, phase] of phases.entries()) {
    const input = issueKeySchema.parse({ idempotencyToken: randomUUID(), name: `latency-${i + 1}`, purpose: "cost latency benchmark", ownerId: admin.id, teamId: team.id, expiry: "30", extraPolicies: "", models: "", cidrs: "" });
    const key = await issueLongTermKey(keyDeps(), actor, input, collectingSink());
    await setBudget(db(), actor, budgetFormSchema.parse({ scope: "key", targetId: key.keyId, unit: "tokens", amount: "1", enforce: "on" }), collectingSink());
    samples.push({ phase, keyId: key.keyId, iamUserName: key.iamUserName, secret: key.secret });
  }
  log(`${samples.length} keys issued, each with a budget of 1 token a month, action at 100 %: disable the key`);
  await db().$disconnect();

  // ── The console with its default schedules ──
  // http-support switches schedules off for page timings; here every one is back at its default
  // (an empty value is "unset" to the configuration).
  const defaults = { INVENTORY_REFRESH_MINUTES: "", USAGE_SYNC_MINUTES: "", REQUEST_JOBS_MINUTES: "", AUDIT_CHECKPOINT_MINUTES: "", POSTURE_EVALUATE_MINUTES: "", MODELS_REFRESH_MINUTES: "", BUDGET_EVALUATE_MINUTES: "" };
  const serverEnv = { ...defaults, ...awsEnv, LOG_LEVEL: "info" };
  const effective = parseConfig({ DATABASE_URL: databaseUrl, AUTH_SECRET: "x".repeat(44), ...serverEnv });
  const startedAt = Date.now();
  const server: Server = await startConsole({ name: "console", port, databaseUrl, tmp, servers, env: serverEnv });
  log(`console at ${server.base} (started in ${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
  const settings = ["USAGE_SYNC_MINUTES", "BUDGET_EVALUATE_MINUTES", "INVOCATION_LOG_LATE_MINUTES", "INVOCATION_LOG_SYNC_MINUTES", "INVOCATION_LOGS_SYNC", "FILTER_LOG_EVENTS_RPS", "LOOKUP_EVENTS_RPS", "USAGE_LATE_EVENT_MINUTES"]
    .filter((k) => k in effective)
    .map((k) => `${k}=${String((effective as Record<string, unknown>)[k])}`)
    .join(" ");
  log(`settings in effect (defaults): ${settings}`);
  const cookie = await signIn(server, "admin@bench.example", password);

  // ── Where the schedule is: the first scheduled usage sync's start (read from its run row) ──
  const Database = (await import("better-sqlite3")).default;
  const sqlite = new Database(databaseUrl.slice("file:".length), { readonly: true, timeout: 10_000 });
  const runs = () => sqlite.prepare(`SELECT id, "trigger", status, startedAt, finishedAt, regions FROM UsageSyncRun ORDER BY id`).all() as { id: number; trigger: string; status: string; startedAt: string; finishedAt: string | null; regions: string }[];
  let firstSync: number | null = null;
  while (firstSync === null) {
    const r = runs()[0];
    if (r) firstSync = Date.parse(r.startedAt);
    else if (Date.now() - startedAt > 3 * 60_000) throw new Error("no usage sync started within 3 minutes of the server's start");
    else await sleep(1000);
  }
  const intervalMs = effective.USAGE_SYNC_MINUTES * 60_000;
  // The timer's ticks count from the schedule's start, 20 s before its first run (lib/usage/schedule.ts
  // FIRST_RUN_DELAY_MS): phases are seconds after a tick.
  const cycleZero = firstSync - 20_000;
  log(`first scheduled usage sync started ${((firstSync - startedAt) / 1000).toFixed(0)} s after the server; then every ${effective.USAGE_SYNC_MINUTES} min from ${new Date(cycleZero).toISOString().slice(11, 19)}`);

  const iam = new IAMClient({ region: REGION, endpoint: sandbox.url, credentials: ADMIN_CREDENTIALS, maxAttempts: 3 });
  const logs = new CloudWatchLogsClient({ region: REGION, endpoint: sandbox.url, credentials: ADMIN_CREDENTIALS, maxAttempts: 5 });

  const call = async (s: Sample) => {
    const res = await fetch(`${sandbox!.url}/bedrock-runtime/${REGION}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Summarise the quarterly figures in three bullet points." }] }], inferenceConfig: { maxTokens: 200 } }),
    });
    const body = (await res.json()) as { usage?: { inputTokens: number; outputTokens: number }; message?: string };
    if (!res.ok) throw new Error(`Converse with ${s.iamUserName}: HTTP ${res.status} ${body.message ?? ""}`);
    s.callAt = Date.now();
    s.requestId = res.headers.get("x-amzn-requestid") ?? undefined;
    log(`call ${s.iamUserName}: ${body.usage?.inputTokens ?? "?"} in / ${body.usage?.outputTokens ?? "?"} out tokens (budget 1 token: crossed), ${((s.callAt - cycleZero) % intervalMs) / 1000 | 0} s after a usage-sync tick`);
  };

  // Calls at their phases of the cycle (the next cycle's, if the first has passed that point).
  const callTimes = samples.map((s) => {
    let t = cycleZero + s.phase * 1000;
    while (t < Date.now() + 2000) t += intervalMs;
    return t;
  });
  const order = samples.map((s, i) => ({ s, t: callTimes[i]! })).sort((a, b) => a.t - b.t);
  const calls = order.map(({ s, t }) => sleep(t - Date.now()).then(() => call(s)));

  const check = async (s: Sample) => {
    if (s.costAt === undefined) {
      const res = await fetch(`${server.base}/keys/${s.keyId}`, { headers: { cookie }, redirect: "manual" });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`/keys/${s.keyId}: HTTP ${res.status}`);
      const shown = costOnPage(html);
      if (shown && shown.calls > 0) {
        s.costAt = Date.now();
        log(`cost on the key page of ${s.iamUserName}: ${shown.cost}, ${shown.calls} call(s) — ${fmtS(s.costAt - s.callAt!)} after the call`);
      }
    }
    if (s.disabledAt === undefined) {
      const creds = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: s.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
      if (creds.ServiceSpecificCredentials?.every((c) => c.Status === "Inactive")) {
        s.disabledAt = Date.now();
        log(`key ${s.iamUserName} disabled in IAM — ${fmtS(s.disabledAt - s.callAt!)} after the call (which crossed its budget)`);
      }
    }
    // When the record reached the log group (its ingestionTime), asked once the cost has shown:
    // FilterLogEvents' 5/s are the account's, shared with the console's reader being measured.
    if (s.deliveredAt === undefined && s.costAt !== undefined && s.requestId) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: logging.status.logGroupName!, startTime: s.callAt! - 60_000 }));
      const e = out.events?.find((ev) => ev.message?.includes(s.requestId!));
      s.deliveredAt = e?.ingestionTime ?? -1; // -1: not found (reported as "?")
    }
  };

  // ── Poll until every sample shows its cost and its key is disabled ──
  const deadline = Math.max(...callTimes) + TIMEOUT_MS;
  for (;;) {
    const pending = samples.filter((s) => s.callAt !== undefined && (s.costAt === undefined || s.disabledAt === undefined || s.deliveredAt === undefined));
    const waiting = samples.filter((s) => s.callAt === undefined);
    if (pending.length === 0 && waiting.length === 0) break;
    if (Date.now() > deadline) {
      log("timed out waiting");
      break;
    }
    // Every pending sample at once, so the resolution stays POLL_MS however many there are.
    await Promise.all(pending.map((s) => check(s)));
    await sleep(POLL_MS);
  }
  await Promise.all(calls);

  // ── Report ──
  const load1 = os.loadavg();
  console.log("\nper sample (phase = seconds after a usage-sync tick; the usage sync runs every 5 min):");
  console.log("phase   key            record delivered   call → cost on key page   call → key disabled   cost → disabled");
  for (const s of samples) {
    console.log(
      `${String(s.phase).padStart(4)} s  ${s.iamUserName.padEnd(15).slice(0, 15)}  ${(s.deliveredAt === -1 ? "?" : fmtS(s.deliveredAt && s.callAt ? s.deliveredAt - s.callAt : undefined)).padStart(16)}   ${fmtS(s.costAt && s.costAt - s.callAt!).padStart(23)}   ${fmtS(s.disabledAt && s.disabledAt - s.callAt!).padStart(19)}   ${fmtS(s.costAt && s.disabledAt ? s.disabledAt - s.costAt : undefined).padStart(15)}`,
    );
  }
  console.log("");
  console.log(stats("call → cost on the key page", samples.map((s) => (s.costAt ? s.costAt - s.callAt! : undefined)), 5 * 60_000));
  console.log(stats("crossing → key disabled", samples.map((s) => (s.disabledAt ? s.disabledAt - s.callAt! : undefined)), 10 * 60_000));
  console.log(`(polled every ${POLL_MS / 1000} s: figures are up to ${POLL_MS / 1000} s late)`);
  console.log(`\nsandbox: invocation-log delivery ${logDelay} s; console settings in effect: ${settings}`);
  console.log("usage sync runs (start → finish, logs records inserted):");
  for (const r of runs()) {
    let inserted = 0;
    try {
      inserted = (JSON.parse(r.regions) as { source?: string; inserted: number }[]).filter((x) => x.source === "logs").reduce((n, x) => n + x.inserted, 0);
    } catch {
      // progress rows are best effort
    }
    console.log(`  #${r.id} ${r.trigger} ${r.startedAt.slice(11, 19)} → ${(r.finishedAt ?? "").slice(11, 19)} ${r.status}, ${inserted} invocation records`);
  }
  console.log(`\n${machine()}\nload average: ${load0.map((l) => l.toFixed(2)).join(", ")} at start, ${load1.map((l) => l.toFixed(2)).join(", ")} at the end`);
  sqlite.close();
  iam.destroy();
  logs.destroy();
  const serverLog = readFileSync(path.join(tmp, "console.log"), "utf8").split("\n");
  // What the server did meanwhile: its usage syncs, invocation-log reads and budget evaluations that acted.
  console.log("\nthe server's log (usage syncs, invocation-log reads that stored records, budget evaluations that acted):");
  for (const line of serverLog) {
    if (!/usage synced|usage sync incomplete|invocation logs read|invocation-log read|budgets evaluated/.test(line)) continue;
    try {
      const j = JSON.parse(line) as { time?: number; msg?: string; inserted?: number; actionsTaken?: number; alertsFired?: number };
      const extra = [j.inserted !== undefined ? `inserted ${j.inserted}` : "", j.actionsTaken !== undefined ? `actions ${j.actionsTaken}, alerts ${j.alertsFired}` : ""].filter(Boolean).join(", ");
      console.log(`  ${j.time ? new Date(j.time).toISOString().slice(11, 19) : "?"} ${j.msg}${extra ? ` (${extra})` : ""}`);
    } catch {
      console.log(`  ${line.slice(0, 200)}`);
    }
  }
  const errors = serverLog.filter((l) => /⨯|"level":(50|60)/.test(l));
  if (errors.length) console.log(`\nthe server logged ${errors.length} error(s):\n${errors.slice(0, 10).join("\n")}`);
  if (samples.some((s) => s.costAt === undefined || s.disabledAt === undefined)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await teardown();
}
process.exit(exitCode);
