/**
 * Shared by the usage benchmarks: the machine's description, a sandbox in a child process, and
 * a temp database holding N stored calls with their rollups (as the sync would have left them).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import Database from "better-sqlite3";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDb } from "@/lib/testing/test-db";
import { normalizeRecord } from "@/lib/usage/normalize";
import type { Viewer } from "@/lib/usage/scope";
import { iterateEvents, type SyntheticIdentity } from "@/sandbox/src/traffic/events";

export function machine(): string {
  const cpus = os.cpus();
  return [
    `cpu: ${cpus[0]?.model ?? "unknown"} × ${cpus.length} cores`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node: ${process.version}`,
    `os: ${os.type()} ${os.release()}`,
  ].join("\n");
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** POSTs to the sandbox's control API (`/_sandbox/<path>`); a refusal throws with its answer. */
export async function sandboxPost(sandboxUrl: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandboxUrl}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * An organisation trail named "bench" in `bucket`, synthesised by the sandbox (`events` over
 * `accounts` accounts and `days` days, one file per account × region × `batchMinutes`): its
 * summary (events, files, digests, bytes, seconds, accounts, from).
 */
export async function synthesizeTrail(sandboxUrl: string, trail: { bucket: string; orgId: string }, shape: { events: number; accounts: number; days: number; batchMinutes: number }): Promise<Record<string, unknown>> {
  await sandboxPost(sandboxUrl, "trails", { name: "bench", ...trail });
  // Answered at once and polled: a big trail takes longer than fetch waits for response headers (5 min).
  await sandboxPost(sandboxUrl, "trails/bench/synthesize", { ...shape, wait: false });
  for (;;) {
    const job = (await (await fetch(`${sandboxUrl}/_sandbox/trails/bench/synthesize`)).json()) as { state: string; message?: string; result?: Record<string, unknown> };
    if (job.state === "done") return job.result!;
    if (job.state !== "running") throw new Error(`synthesize: ${job.state} ${job.message ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

/** A process's user + system CPU seconds so far (Linux /proc; 0 where it cannot be read). */
export function cpuSecondsOf(pid: number | "self" | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** A process's resident memory in bytes (Linux /proc; zeros elsewhere): all of it, anonymous pages, file-backed and shared pages. */
export function residentOf(pid: number | "self" = "self"): { rss: number; rssAnon: number; rssFile: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), rssAnon: kb("RssAnon"), rssFile: kb("RssFile") + kb("RssShmem") };
  } catch {
    return { rss: 0, rssAnon: 0, rssFile: 0 };
  }
}

/** The regions each account's folder of an organisation trail has (the generator spreads calls over a few). */
export async function trailRegions(s3: S3Client, bucket: string, orgId: string, accountIds: readonly string[]): Promise<Map<string, string[]>> {
  const regions = new Map<string, string[]>();
  for (const a of accountIds) {
    const prefix = `AWSLogs/${orgId}/${a}/CloudTrail/`;
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/" }));
    regions.set(a, (page.CommonPrefixes ?? []).map((p) => p.Prefix!.slice(prefix.length, -1)));
  }
  return regions;
}

/**
 * A database set to read a synthesised trail: its accounts (the first the console's own, all read
 * from the trail), the trail's settings, and every stream's cursor at the trail's first day — a
 * backfill of exactly the synthesised days (without the cursors the first read would also list
 * the 90 days before today).
 */
export async function seedTrailReading(db: PrismaClient, trail: { bucket: string; orgId: string; regions: Map<string, string[]>; from: string }): Promise<void> {
  const accountIds = [...trail.regions.keys()];
  for (const a of accountIds) await db.awsAccount.create({ data: { id: a, name: `bench ${a}`, source: a === accountIds[0] ? "default" : "manual", usageSource: "s3", regions: trail.regions.get(a)!.join(",") } });
  await db.usageTrailConfig.create({ data: { bucket: trail.bucket, orgId: trail.orgId, bucketRegion: "us-east-1" } });
  for (const a of accountIds) for (const region of trail.regions.get(a)!) await db.usageTrailCursor.create({ data: { accountId: a, region, completeBefore: trail.from } });
}

/**
 * What a trail benchmark reads while a server ingests: the latest sync run and the events stored.
 * On SQLite through a read-only connection of its own, opened after the caller has closed its
 * Prisma client: a Prisma client (lib/db/client.ts) starts a WAL checkpointer, and the benchmark's
 * did part of the server's checkpoints during its measured runs (105 CPU s and ≈ 37 GB of writes
 * at 10,000,000 events), on the same cores and taking the same locks.
 */
export function ingestProbe(t: { provider: string; file: string; db: PrismaClient }): {
  lastRun(): Promise<{ startedAt: Date; finishedAt: Date | null; status: string } | null>;
  events(): Promise<number>;
  close(): void;
} {
  if (t.provider !== "sqlite") {
    return {
      lastRun: () => t.db.usageSyncRun.findFirst({ orderBy: { id: "desc" }, select: { startedAt: true, finishedAt: true, status: true } }),
      events: () => t.db.usageEvent.count(),
      close: () => undefined,
    };
  }
  const raw = new Database(t.file, { readonly: true, fileMustExist: true, timeout: 5000 });
  const lastRun = raw.prepare<[], { startedAt: string | number; finishedAt: string | number | null; status: string }>('SELECT "startedAt", "finishedAt", "status" FROM "UsageSyncRun" ORDER BY "id" DESC LIMIT 1');
  const count = raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM "UsageEvent"');
  // Prisma's SQLite adapter writes DateTime as ISO 8601 text ("…+00:00"), or epoch ms if told to.
  const date = (v: string | number) => new Date(v);
  return {
    lastRun: async () => {
      const row = lastRun.get();
      return row ? { startedAt: date(row.startedAt), finishedAt: row.finishedAt === null ? null : date(row.finishedAt), status: row.status } : null;
    },
    events: async () => count.get()!.n,
    close: () => {
      if (raw.open) raw.close();
    },
  };
}

/**
 * A trail benchmark's --s3-dir: absent or empty, since the sandbox serves every object already in
 * it (a previous run's trail would add its events to this run's count).
 */
export function emptyS3Dir(dir: string | undefined): string | undefined {
  if (dir && existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`--s3-dir ${dir} is not empty: the sandbox would serve the trail already in it as well (rm -rf ${dir} first)`);
  return dir;
}

/** The sandbox as its own process, so the sandbox and the code measured do not share a CPU core's event loop. */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/src/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: "0", SANDBOX_STATE_FILE: "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  return { url, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

/** An organisation's worth of callers: `keys` key users (one IAM user per key) and `people` short-term users. */
export function orgIdentities(keys: number, people: number): SyntheticIdentity[] {
  const users: SyntheticIdentity[] = Array.from({ length: keys }, (_, i) => ({ type: "user", userName: `BedrockAPIKey-bench${String(i).padStart(3, "0")}`, userId: `AIDABENCH${i}` }));
  const persons: SyntheticIdentity[] = Array.from({ length: people }, (_, i) => ({
    type: "assumed-role",
    roleName: "BedrockKeyConsoleShortTerm",
    roleId: "AROABENCHSIGNER",
    sessionName: `person${i}@example.com`,
    sourceIdentity: `person${i}@example.com`,
  }));
  return [...users, ...persons];
}

// Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset; rows written here
// must compare and parse exactly like rows Prisma wrote.
export const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * A migrated temp database with `n` calls over `days` days from `identities`, inserted directly
 * (normalized by the sync's own normalizeRecord), and rollups, subjects and source IPs built
 * from them with SQL, as the sync maintains them. Teams "A" and "B" split the keys; a lead of
 * team A and an admin are returned as viewers. The raw CloudTrail JSON is not stored (the
 * overview never reads it).
 */
export async function buildUsageDb(n: number, opts: { days: number; keys: number; people: number; now: Date; log?: (s: string) => void }) {
  const t = await createTestDb();
  const db: PrismaClient = t.db;
  const identities = orgIdentities(opts.keys, opts.people);
  const teamA = await db.team.create({ data: { name: "A" } });
  const teamB = await db.team.create({ data: { name: "B" } });
  const admin = await db.user.create({ data: { email: "admin@example.com", name: "Admin", role: "admin", passwordHash: "x" } });
  const lead = await db.user.create({ data: { email: "lead@example.com", name: "Lead", role: "lead", passwordHash: "x" } });
  await db.teamMembership.create({ data: { userId: lead.id, teamId: teamA.id, isLead: true } });
  let i = 0;
  for (const id of identities) {
    const teamId = i++ % 2 === 0 ? teamA.id : teamB.id;
    if (id.type === "user") {
      await db.apiKey.create({ data: { name: id.userName.replace("BedrockAPIKey-", ""), iamUserName: id.userName, credentialId: `ACCA${id.userId}`, teamId, managed: true, awsCreatedAt: new Date(opts.now.getTime() - 200 * 86_400_000) } });
    } else {
      const person = await db.user.create({ data: { email: id.sessionName, name: id.sessionName.split("@")[0]!, role: "developer", passwordHash: "x" } });
      await db.teamMembership.create({ data: { userId: person.id, teamId } });
      await db.shortTermIssuance.create({ data: { userId: person.id, sourceIdentity: id.sourceIdentity!, roleArn: "arn:aws:iam::123456789012:role/BedrockKeyConsoleShortTerm", region: "us-east-1", accessKeyId: `ASIABENCH${i}`, issuedAt: opts.now, expiresAt: opts.now } });
    }
  }
  const keyIds = new Map((await db.apiKey.findMany({ select: { id: true, iamUserName: true } })).map((k) => [`key:${k.iamUserName}`, k.id]));
  const userIds = new Map((await db.shortTermIssuance.findMany({ select: { userId: true, sourceIdentity: true } })).map((s) => [`identity:${s.sourceIdentity}`, s.userId]));

  const raw = new Database(t.file);
  raw.pragma("journal_mode = WAL");
  const insert = raw.prepare(
    `INSERT INTO UsageEvent (eventId, eventTime, day, region, inferenceRegion, eventName, modelId, identityType, principalArn, principalName, sourceIdentity, accessKeyId, subject, apiKeyId, userId, sourceIp, userAgent, errorCode, errorMessage, result, keyRefused, api, endpoint, project)
     VALUES (@eventId, @eventTime, @day, @region, @inferenceRegion, @eventName, @modelId, @identityType, @principalArn, @principalName, @sourceIdentity, @accessKeyId, @subject, @apiKeyId, @userId, @sourceIp, @userAgent, @errorCode, @errorMessage, @result, @keyRefused, @api, @endpoint, @project)`,
  );
  const batch = raw.transaction((rows: Record<string, unknown>[]) => {
    for (const r of rows) insert.run(r);
  });
  let rows: Record<string, unknown>[] = [];
  let done = 0;
  const to = opts.now.getTime() - 60_000;
  for (const record of iterateEvents(n, { seed: 42, identities, from: to - opts.days * 86_400_000, to })) {
    const e = normalizeRecord(record, record.awsRegion)!;
    rows.push({ ...e, eventTime: sqlTime(e.eventTime), apiKeyId: keyIds.get(e.subject) ?? null, userId: userIds.get(e.subject) ?? null, keyRefused: e.keyRefused ? 1 : 0 });
    if (rows.length === 10_000) {
      batch(rows);
      done += rows.length;
      rows = [];
      if (done % 200_000 === 0) opts.log?.(`  inserted ${done.toLocaleString("en-US")} events`);
    }
  }
  if (rows.length) batch(rows);
  raw.exec(`
    INSERT INTO UsageDaily (day, subject, identityType, modelId, region, inferenceRegion, result, calls)
      SELECT day, subject, identityType, modelId, region, inferenceRegion, result, COUNT(*) FROM UsageEvent
      GROUP BY day, subject, identityType, modelId, region, inferenceRegion, result;
    INSERT INTO UsageDailyModel (day, modelId, result, identityType, region, inferenceRegion, calls)
      SELECT day, modelId, result, identityType, region, inferenceRegion, SUM(calls) FROM UsageDaily
      GROUP BY day, modelId, result, identityType, region, inferenceRegion;
    INSERT INTO UsageDailySubject (day, subject, result, identityType, calls)
      SELECT day, subject, result, MIN(identityType), SUM(calls) FROM UsageDaily GROUP BY day, subject, result;
    INSERT INTO UsageMonthlySubject (month, subject, result, identityType, calls)
      SELECT substr(day, 1, 7), subject, result, MIN(identityType), SUM(calls) FROM UsageDailySubject GROUP BY substr(day, 1, 7), subject, result;
    INSERT INTO UsageDailyApi (day, subject, identityType, api, endpoint, project, result, calls)
      SELECT day, subject, MIN(identityType), api, endpoint, project, result, COUNT(*) FROM UsageEvent GROUP BY day, subject, api, endpoint, project, result;
    INSERT INTO UsageDailyApiAll (day, api, endpoint, identityType, result, calls)
      SELECT day, api, endpoint, identityType, result, COUNT(*) FROM UsageEvent GROUP BY day, api, endpoint, identityType, result;
    INSERT INTO UsageSubject (subject, identityType, principalName, principalArn, sourceIdentity, apiKeyId, userId, firstSeenAt, lastSeenAt)
      SELECT subject, MIN(identityType), MIN(principalName), MIN(principalArn), MIN(sourceIdentity), MIN(apiKeyId), MIN(userId), MIN(eventTime), MAX(eventTime) FROM UsageEvent GROUP BY subject;
    INSERT INTO UsageSourceIp (subject, sourceIp, firstSeenAt, lastSeenAt, calls)
      SELECT subject, sourceIp, MIN(eventTime), MAX(eventTime), COUNT(*) FROM UsageEvent GROUP BY subject, sourceIp;
    UPDATE ApiKey SET lastUsedAt = (SELECT lastSeenAt FROM UsageSubject s WHERE s.apiKeyId = ApiKey.id);
  `);
  raw.prepare("INSERT INTO UsageSyncCursor (region, syncedThrough, updatedAt) VALUES (?, ?, ?)").run("us-east-1", sqlTime(opts.now), sqlTime(opts.now));
  const rollups = (raw.prepare("SELECT COUNT(*) AS n FROM UsageDaily").get() as { n: number }).n;
  raw.close();
  const viewers: Record<"admin" | "lead", Viewer> = {
    admin: { id: admin.id, role: "admin", ledTeamIds: [] },
    lead: { id: lead.id, role: "lead", ledTeamIds: [teamA.id] },
  };
  return { db, file: t.file, rollups, viewers, cleanup: t.cleanup };
}

/**
 * Runs a scenario on SQLite, then on a durable PostgreSQL cluster started for it (the test
 * database helper picks the provider from TEST_DATABASE); `only` limits it to one of them.
 */
export async function onEachDatabase(scenario: () => Promise<void>, only?: string): Promise<void> {
  if (only !== "postgresql") await scenario();
  if (only === "sqlite") return;
  const { createTemplate, startPgCluster } = await import("@/tests/support/pg-cluster.mjs");
  const cluster = await startPgCluster({ durable: true });
  try {
    await createTemplate(cluster.url());
    process.env.TEST_DATABASE = "postgresql";
    process.env.TEST_PG_URL = cluster.url();
    // For benchmarks that report the server's CPU (pgServerCpuSeconds).
    process.env.BENCH_PG_DATA = `${cluster.dir}/data`;
    await scenario();
  } finally {
    cluster.stop();
  }
}

/**
 * The CPU seconds (user + system) the benchmark's PostgreSQL server has used so far: its
 * postmaster (with the backends it has reaped) and its live processes (Linux /proc; undefined
 * elsewhere or without a cluster of this run). It shares the machine's cores with the benchmark.
 */
export function pgServerCpuSeconds(): number | undefined {
  const data = process.env.BENCH_PG_DATA;
  if (!data) return undefined;
  try {
    const postmaster = Number(readFileSync(`${data}/postmaster.pid`, "utf8").split("\n")[0]);
    const stat = (pid: string | number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const own = stat(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const f = stat(pid);
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // gone meanwhile
      }
    }
    return ticks / 100;
  } catch {
    return undefined;
  }
}
