/**
 * Posture benchmark (issue 16): an evaluation over 5,000 Bedrock API keys and 10,000 IAM users in
 * the sandbox — the IAM calls it makes and its wall time — and `/posture`'s full HTTP response
 * time through the production server (`node server.mjs` on the build in .next/) from the stored
 * results, on SQLite and PostgreSQL side by side.
 *
 *   NEXT_TELEMETRY_DISABLED=1 npx next build
 *   npx tsx --conditions=react-server bench/posture.ts [--keys 5000] [--users 10000] [--runs 30] [--port 3170]
 *
 * The account: `users` IAM users, `keys` of them holding one Bedrock key each (a quarter never
 * expiring, ages spread over a year), 5% of the key users with an access key, 1% with a console
 * password, 2% with an iam:* inline policy, 1% with AmazonBedrockFullAccess, 200 orphaned
 * BedrockAPIKey-* users; the other users are ordinary IAM users (they cost the evaluation only
 * their share of GetAccountAuthorizationDetails pages). The inventory refresh records the keys in
 * both databases, a third of them in teams led by the lead. The sandbox runs in its own process.
 * Goal: list and batch calls (not one call per user per check); /posture p95 ≤ 200 ms.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  type IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { hashPassword } from "@/lib/auth/password";
import { createAwsClients } from "@/lib/aws/clients";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { refreshInventory } from "@/lib/keys/inventory";
import { ADMIN_CREDENTIALS, KEY_PATH } from "@/tests/support/keys-env";
import { runPostureEvaluation } from "@/lib/posture/job";
import { startPgCluster, withPgClient } from "@/tests/support/pg-cluster.mjs";
import { signIn, startConsole, timePage, type Sample, type Server } from "./http-support";
import { arg, machine, percentile, startSandboxProcess } from "./usage-support";

const keyCount = arg("keys", 5_000);
const userCount = Math.max(arg("users", 10_000), keyCount);
const runs = arg("runs", 30);
const port = arg("port", 3170);
const WARMUP = 5;
const root = path.resolve(import.meta.dirname, "..");
const log = (s: string) => console.log(s);
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build in .next/: run `NEXT_TELEMETRY_DISABLED=1 npx next build` first.");
  process.exit(1);
}

const tmp = mkdtempSync(path.join(tmpdir(), "bkc-bench-posture-"));
const servers: ChildProcess[] = [];
const clients: PrismaClient[] = [];
let cluster: Awaited<ReturnType<typeof startPgCluster>> | null = null;
let sandbox: { url: string; stop: () => void } | null = null;
async function teardown() {
  for (const s of servers) if (s.exitCode === null) s.kill("SIGTERM");
  await Promise.all(clients.map((c) => c.$disconnect().catch(() => undefined)));
  cluster?.stop();
  sandbox?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void teardown().then(() => process.exit(130)));

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const BROAD = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*"], Resource: "*" }] });

/** The account, through the sandbox's IAM API (as an AWS account would have been made). */
async function buildAccount(iam: IAMClient) {
  const users = Array.from({ length: userCount }, (_, i) => i);
  await pool(users, 16, async (i) => {
    const holdsKey = i < keyCount;
    const orphan = !holdsKey && i < keyCount + 200;
    const name = holdsKey ? `BedrockAPIKey-bench-${i}` : orphan ? `BedrockAPIKey-left-${i}` : `person-${i}`;
    await iam.send(new CreateUserCommand({ UserName: name, Path: holdsKey && i % 2 === 0 ? KEY_PATH : "/" }));
    if (!holdsKey) return;
    await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: name, ServiceName: "bedrock.amazonaws.com", ...(i % 4 === 0 ? {} : { CredentialAgeDays: 30 + (i % 335) }) }));
    if (i % 20 === 1) await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    if (i % 100 === 3) await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: "Bench-password-1" }));
    if (i % 50 === 5) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "ops-admin", PolicyDocument: BROAD }));
    if (i % 100 === 7) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" }));
  });
}

function migrate(url: string) {
  const r = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
  if (r.status !== 0) throw new Error(`prisma migrate deploy failed for ${url}:\n${r.stdout}\n${r.stderr}`);
}

/** People, teams and the keys' records (the inventory refresh), then the evaluation, timed. */
async function prepare(db: PrismaClient, iam: IAMClient, passwordHash: string) {
  const teams = await Promise.all(Array.from({ length: 10 }, (_, i) => db.team.create({ data: { name: `Team ${i + 1}` } })));
  await db.user.create({ data: { email: "admin@bench.example", name: "Admin", role: "admin", passwordHash } });
  const lead = await db.user.create({ data: { email: "lead@bench.example", name: "Lead", role: "lead", passwordHash } });
  await db.teamMembership.createMany({ data: [0, 1].map((t) => ({ userId: lead.id, teamId: teams[t]!.id, isLead: true })) });
  const now = () => new Date();
  const deps = { db, iam, now, keyIamPath: KEY_PATH, allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"] };
  await refreshInventory(deps);
  const rows = await db.apiKey.findMany({ select: { id: true }, orderBy: { iamUserName: "asc" } });
  for (let t = 0; t < teams.length; t++) {
    const ids = rows.filter((_, i) => i % teams.length === t).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) await db.apiKey.updateMany({ where: { id: { in: ids.slice(i, i + 500) } }, data: { teamId: teams[t]!.id, managed: true } });
  }
  const t0 = performance.now();
  const outcome = await runPostureEvaluation(deps, "manual");
  if (outcome.status !== "done") throw new Error("evaluation busy");
  return { ms: performance.now() - t0, outcome };
}

function fmt(samples: Sample[]) {
  const t = samples.map((s) => s.total).sort((a, b) => a - b);
  return `median ${percentile(t, 50).toFixed(0)} ms, p95 ${percentile(t, 95).toFixed(0)} ms, max ${t[t.length - 1]!.toFixed(0)} ms, ${(samples[0]!.bytes / 1024).toFixed(0)} KiB`;
}

let exitCode = 0;
try {
  log(`posture benchmark\n${machine()}\n`);
  log(`${keyCount.toLocaleString("en-US")} keys, ${userCount.toLocaleString("en-US")} IAM users; ${runs} requests per page and database after ${WARMUP} warm-up\n`);
  let t0 = performance.now();
  sandbox = await startSandboxProcess();
  const aws = createAwsClients({ region: "us-east-1", endpoint: sandbox.url, maxAttempts: 5, credentials: ADMIN_CREDENTIALS });
  let wire = 0;
  aws.iam.middlewareStack.add((next) => async (args) => {
    wire++;
    return next(args);
  }, { step: "build", name: "countCalls" });
  await buildAccount(aws.iam);
  log(`account built through the IAM API in ${secs(t0)} (sandbox in its own process)`);

  t0 = performance.now();
  cluster = await startPgCluster({ durable: true });
  await withPgClient(cluster.url(), (admin) => admin.query("CREATE DATABASE bench"));
  const urls = { sqlite: `file:${path.join(tmp, "console.db")}`, postgresql: cluster.url("bench") };
  migrate(urls.sqlite);
  migrate(urls.postgresql);
  log(`databases migrated in ${secs(t0)}\n`);
  const password = "bench-password-long-enough";
  const passwordHash = await hashPassword(password);

  for (const [name, url] of Object.entries(urls)) {
    const db = createPrismaClient(url);
    clients.push(db);
    wire = 0;
    const { ms, outcome } = await prepare(db, aws.iam, passwordHash);
    const c = outcome.calls;
    log(`evaluation on ${name}: ${(ms / 1000).toFixed(1)} s wall, ${outcome.findings.toLocaleString("en-US")} findings`);
    log(`  IAM calls ${outcome.totalCalls} (the inventory refresh before it: ${wire - outcome.totalCalls}): GetAccountAuthorizationDetails ${c.GetAccountAuthorizationDetails}, ListServiceSpecificCredentials ${c.ListServiceSpecificCredentials}, GenerateCredentialReport ${c.GenerateCredentialReport}, GetCredentialReport ${c.GetCredentialReport}`);
    log(`  per flagged user only: ListAccessKeys ${c.ListAccessKeys}, GetLoginProfile ${c.GetLoginProfile}, ListMFADevices ${c.ListMFADevices}`);
    log(`  by rule: ${Object.entries(outcome.byRule).map(([r, n]) => `${r} ${n}`).join(", ")}`);
    await db.$disconnect();
  }
  if (cluster) {
    await withPgClient(urls.postgresql, (c) => c.query("VACUUM ANALYZE"));
  }

  log("\nstarting the servers…");
  const dbs: Server[] = [
    await startConsole({ name: "sqlite", port, databaseUrl: urls.sqlite, tmp, servers }),
    await startConsole({ name: "postgresql", port: port + 2, databaseUrl: urls.postgresql, tmp, servers }),
  ];
  const sessions = new Map<string, string>();
  for (const s of dbs) {
    sessions.set(`${s.name}:admin`, await signIn(s, "admin@bench.example", password));
    sessions.set(`${s.name}:lead`, await signIn(s, "lead@bench.example", password));
  }
  const save = process.argv.includes("--save") ? process.argv[process.argv.indexOf("--save") + 1] : undefined;
  if (save) {
    // Debugging aid: the admin's page as each server renders it.
    const { writeFileSync } = await import("node:fs");
    for (const s of dbs) writeFileSync(path.join(save, `posture-${s.name}.html`), await (await fetch(`${s.base}/posture`, { headers: { cookie: sessions.get(`${s.name}:admin`)! } })).text());
  }
  log("\n/posture, full HTTP response (to the last byte):");
  for (const p of [{ as: "admin", url: "/posture" }, { as: "lead", url: "/posture" }, { as: "admin", url: "/posture?rule=noExpiry" }]) {
    const samples = new Map(dbs.map((s) => [s.name, [] as Sample[]]));
    for (let i = 0; i < WARMUP; i++) for (const s of dbs) await timePage(s, p.url, sessions.get(`${s.name}:${p.as}`)!);
    for (let i = 0; i < runs; i++) for (const s of dbs) samples.get(s.name)!.push(await timePage(s, p.url, sessions.get(`${s.name}:${p.as}`)!));
    for (const s of dbs) log(`  ${`${p.as} ${p.url}`.padEnd(28)} ${s.name.padEnd(10)} ${fmt(samples.get(s.name)!)}`);
  }
  // A page can answer 200 with an error boundary in part of it: any error the servers logged fails the run.
  const { readFileSync } = await import("node:fs");
  for (const s of servers.length ? ["sqlite", "postgresql"] : []) {
    const errors = readFileSync(path.join(tmp, `${s}.log`), "utf8").split("\n").filter((l) => /⨯|"level":(50|60)/.test(l));
    if (errors.length) throw new Error(`${s} server logged errors while serving the pages:\n${errors.slice(0, 10).join("\n")}`);
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await teardown();
}
process.exit(exitCode);
