/**
 * Many AWS accounts (issue 14), against the sandbox's organisation:
 *  1. inventory refresh of A accounts × K keys each (default 50 × 100): wall time, IAM and STS
 *     calls, with the console's bounded concurrency (4 accounts at a time);
 *  2. usage sync of S accounts × 3 regions with AWS's LookupEvents throttling on (2 requests/s
 *     per account and region, in the sandbox as on AWS): events/s against the aggregate ceiling
 *     (streams × 2 requests/s × 50 events a page). Goal ≥ 90 %.
 *
 *   npx tsx --conditions=react-server bench/accounts.ts [--accounts 50] [--keys 100] [--sync-accounts 20] [--events 400]
 */
import { spawn } from "node:child_process";
import { CreateRoleCommand, CreateServiceSpecificCredentialCommand, CreateUserCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { createAccountAccess } from "@/lib/accounts/access";
import { memberRoleFromTemplate } from "@/lib/accounts/member-template";
import { createAwsClients } from "@/lib/aws/clients";
import { runInventoryRefresh } from "@/lib/keys/inventory-job";
import { KEY_PATH } from "@/tests/support/keys-env";
import { createSqliteTestDb } from "@/lib/testing/test-db";
import { startUsageSync } from "@/lib/usage/sync-job";
import { TokenBucket } from "@/lib/usage/token-bucket";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { arg, machine } from "./usage-support";

const ACCOUNTS = arg("accounts", 50);
const KEYS = arg("keys", 100);
const SYNC_ACCOUNTS = arg("sync-accounts", 20);
const EVENTS = arg("events", 400);
const REGIONS = ["us-east-1", "us-west-2", "eu-central-1"];
const OWN = "123456789012";
const EXTERNAL_ID = "bench-ext";

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

console.log(`accounts benchmark\n${machine()}\n`);
// The sandbox in a process of its own, as AWS is elsewhere: what is measured is the console's side.
const sandboxPort = 45000 + Math.floor(Math.random() * 1000);
const child = spawn(process.execPath, ["--import", "tsx", "sandbox/src/main.ts"], {
  env: { ...process.env, SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: "127.0.0.1", SANDBOX_STATE_FILE: "" },
  stdio: "ignore",
});
const sandbox = {
  url: `http://127.0.0.1:${sandboxPort}`,
  close: async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  },
};
for (let i = 0; ; i++) {
  if (await fetch(`${sandbox.url}/_sandbox/health`).then((r) => r.ok).catch(() => false)) break;
  if (i > 100) throw new Error("the sandbox did not start");
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const db = await createSqliteTestDb();
const own = createAwsClients({ region: "us-east-1", endpoint: sandbox.url, maxAttempts: 5, credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY } });
const calls = { iam: 0, sts: 0 };
try {
  // ── Set-up: member accounts with the template's member role, K keys each ──
  const started = Date.now();
  const ids = Array.from({ length: ACCOUNTS - 1 }, (_, i) => String(300000000000 + i));
  await pool(ids, 8, async (id) => {
    const made = (await (await fetch(`${sandbox.url}/_sandbox/accounts`, { method: "POST", body: JSON.stringify({ id, name: `Account ${id}` }) })).json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
    const admin = createAwsClients({ region: "us-east-1", endpoint: sandbox.url, maxAttempts: 5, credentials: { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey } });
    const role = memberRoleFromTemplate({ accountId: id, consoleRoleArn: `arn:aws:iam::${OWN}:root`, externalId: EXTERNAL_ID, keyIamPath: KEY_PATH.replace(/^\/|\/$/g, "") });
    await admin.iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
    for (const p of role.policies) await admin.iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
    for (let k = 0; k < KEYS; k++) {
      await admin.iam.send(new CreateUserCommand({ UserName: `user-${k}` }));
      await admin.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: `user-${k}`, ServiceName: "bedrock.amazonaws.com" }));
    }
    await db.db.awsAccount.create({ data: { id, name: `Account ${id}`, roleArn: `arn:aws:iam::${id}:role/${role.roleName}`, externalId: EXTERNAL_ID } });
  });
  for (let k = 0; k < KEYS; k++) {
    await own.iam.send(new CreateUserCommand({ UserName: `user-${k}` }));
    await own.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: `user-${k}`, ServiceName: "bedrock.amazonaws.com" }));
  }
  console.log(`set-up: ${ACCOUNTS} accounts × ${KEYS} keys in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // ── 1. Inventory refresh across every account ──
  const access = createAccountAccess({ db: db.db, own, clientOptions: { region: "us-east-1", endpoint: sandbox.url, maxAttempts: 5 } });
  const count = (name: "iam" | "sts") => (next: (a: unknown) => Promise<unknown>) => async (a: unknown) => {
    calls[name]++;
    return next(a);
  };
  own.sts.middlewareStack.add(count("sts") as never, { step: "build", name: "countSts" });
  const deps = { db: db.db, iam: own.iam, now: () => new Date(), keyIamPath: KEY_PATH, accounts: access };
  for (const label of ["cold (every key new)", "warm (all known)"]) {
    const before = { ...calls };
    const t = performance.now();
    const out = await runInventoryRefresh(deps, "manual");
    const ms = performance.now() - t;
    if (out.status !== "done") throw new Error("busy");
    console.log(
      `refresh ${label}: ${out.accounts} accounts, ${out.listed.toLocaleString("en-US")} keys listed, ${out.created.toLocaleString("en-US")} new, ${out.failedAccounts.length} failed — ${(ms / 1000).toFixed(2)} s wall, ${out.totalCalls} IAM calls, ${calls.sts - before.sts} STS calls (AssumeRole, cached per account)`,
    );
  }

  // ── 2. Usage sync, S accounts × 3 regions, AWS's throttling on ──
  const syncIds = ids.slice(0, SYNC_ACCOUNTS - 1);
  const to = Date.now() - 120_000;
  let total = 0;
  for (const account of [OWN, ...syncIds]) {
    for (const region of REGIONS) {
      const records = generateEvents(EVENTS, { seed: total + 1, from: to - 3 * 86_400_000, to }).map((r) => ({ ...r, awsRegion: region }));
      const res = await fetch(`${sandbox.url}/_sandbox/events?account=${account}`, { method: "POST", body: JSON.stringify(records) });
      if (!res.ok) throw new Error(`events: ${res.status}`);
      total += EVENTS;
    }
    await fetch(`${sandbox.url}/_sandbox/throttle?account=${account}`, { method: "POST", body: JSON.stringify({ lookupEventsPerSecond: 2 }) });
  }
  const buckets = new Map<string, TokenBucket>();
  const bucketFor = (key: string) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = new TokenBucket(2)));
    return b;
  };
  const rows = await db.db.awsAccount.findMany({ where: { id: { in: syncIds } } });
  const syncDeps = {
    db: db.db,
    regions: REGIONS,
    clientFor: (region: string) => createAwsClients({ region, endpoint: sandbox.url, maxAttempts: 1, credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY } }).cloudtrail,
    bucketFor,
    now: () => new Date(),
    lateEventMs: 15 * 60_000,
    memberAccounts: async () => rows.map((a) => ({ accountId: a.id, name: a.name, regions: REGIONS, clientFor: (region: string) => access.cloudTrailFor({ id: a.id, roleArn: a.roleArn!, externalId: a.externalId }, region) })),
  };
  const streams = SYNC_ACCOUNTS * REGIONS.length;
  const t = performance.now();
  const outcome = await startUsageSync(syncDeps, "manual", { full: true });
  if (outcome.status !== "started") throw new Error("sync busy");
  const summary = await outcome.done;
  const seconds = (performance.now() - t) / 1000;
  const read = summary.regions.reduce((n, r) => n + r.events, 0);
  const pages = summary.regions.reduce((n, r) => n + r.pages, 0);
  const ceiling = streams * 2 * 50;
  console.log(
    `usage sync: ${SYNC_ACCOUNTS} accounts × ${REGIONS.length} regions = ${streams} streams, ${read.toLocaleString("en-US")} events in ${pages} pages (${summary.inserted.toLocaleString("en-US")} stored, ${summary.status}) in ${seconds.toFixed(1)} s` +
      ` = ${Math.round(read / seconds).toLocaleString("en-US")} events/s; ceiling ${ceiling.toLocaleString("en-US")} events/s (${streams} × 2 req/s × 50) → ${((read / seconds / ceiling) * 100).toFixed(0)} %` +
      `; pages/s ${(pages / seconds).toFixed(1)} of ${streams * 2}`,
  );
} finally {
  await sandbox.close();
  await db.cleanup();
}
