/**
 * Test-only: a sandbox (in-process, free port), a migrated test database with users and teams,
 * and the key services' dependencies wired to both. Used by the integration tests and the
 * benchmark; never imported by product code.
 */
import { randomUUID } from "node:crypto";
import { ListUsersCommand } from "@aws-sdk/client-iam";
import { createAwsClients } from "@/lib/aws/clients";
import { createTestDb } from "@/lib/testing/test-db";
import { createSandbox } from "@/sandbox/src/server";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "@/sandbox/src/state";
import { converseUrl } from "@/lib/keys/reveal";
import type { AuditSink, AuditTarget, KeyActor, KeyDeps } from "@/lib/keys/types";

export const ADMIN_CREDENTIALS = { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY };
export const KEY_PATH = "/bedrock-key-console/";

export async function createKeysTestEnv(opts: { maxAttempts?: number } = {}) {
  const sandbox = await createSandbox({ port: 0 });
  const testDb = await createTestDb();
  const aws = createAwsClients({ region: "us-east-1", endpoint: sandbox.url, maxAttempts: opts.maxAttempts ?? 3, credentials: ADMIN_CREDENTIALS });
  const db = testDb.db;

  const teamA = await db.team.create({ data: { name: "Payments" } });
  const teamB = await db.team.create({ data: { name: "Research" } });
  const mk = async (email: string, role: string, teams: { id: string; lead?: boolean }[]) => {
    const user = await db.user.create({ data: { email, name: email.split("@")[0]!, role, passwordHash: "x" } });
    for (const t of teams) await db.teamMembership.create({ data: { userId: user.id, teamId: t.id, isLead: !!t.lead } });
    return user;
  };
  const users = {
    admin: await mk("admin@example.com", "admin", []),
    leadA: await mk("lead-a@example.com", "lead", [{ id: teamA.id, lead: true }]),
    devA: await mk("dev-a@example.com", "developer", [{ id: teamA.id }]),
    devA2: await mk("dev-a2@example.com", "developer", [{ id: teamA.id }]),
    devB: await mk("dev-b@example.com", "developer", [{ id: teamB.id }]),
    leadB: await mk("lead-b@example.com", "lead", [{ id: teamB.id, lead: true }]),
  };
  const actor = async (u: { id: string }): Promise<KeyActor> => {
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
    return {
      id: row.id,
      email: row.email,
      role: row.role as KeyActor["role"],
      teamIds: row.memberships.map((m) => m.teamId),
      ledTeamIds: row.memberships.filter((m) => m.isLead).map((m) => m.teamId),
    };
  };

  let clock = new Date();
  const deps: KeyDeps = {
    db,
    iam: aws.iam,
    now: () => clock,
    region: "us-east-1",
    keyIamPath: KEY_PATH,
    allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"],
  };

  async function control(method: string, path: string, body?: unknown) {
    const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  }

  return {
    sandbox,
    db,
    dbFile: testDb.file,
    /** The test database's URL, to open a second client on it (a second console instance). */
    dbUrl: testDb.url,
    /** Every byte the database holds (see TestDb.contents), for leak checks on either database. */
    dbContents: () => testDb.contents(),
    aws,
    deps,
    teams: { A: teamA, B: teamB },
    users,
    actor,
    /** Move the console's clock (the sandbox keeps its own; see sandboxClock). */
    setNow(d: Date) {
      clock = d;
    },
    tick() {
      clock = new Date();
    },
    /** Fail the next `count` calls of an IAM/STS operation with an AWS error. */
    fault: (operation: string, error: { code: string; status: number; message?: string }, count = 1, service = "iam") =>
      control("POST", "faults", { service, operation, count, error }),
    /** Delay the next `count` calls of an operation by `latencyMs` (no error): widens race windows. */
    latency: (operation: string, latencyMs: number, count = 1, service = "iam") => control("POST", "faults", { service, operation, count, latencyMs }),
    clearFaults: () => control("DELETE", "faults"),
    sandboxClock: (advanceSeconds: number) => control("POST", "clock", { advanceSeconds }),
    sandboxState: () => control("GET", "state"),
    /** IAM users under the console's path, via the IAM API. */
    async consoleUsers(): Promise<string[]> {
      const out = await aws.iam.send(new ListUsersCommand({ PathPrefix: KEY_PATH, MaxItems: 1000 }));
      return (out.Users ?? []).map((u) => u.UserName!);
    },
    /** A Converse call with a bearer key, as the reveal's JavaScript snippet makes it. */
    async converse(key: string, modelId = "us.anthropic.claude-3-5-haiku-20241022-v1:0", region = "us-east-1") {
      const res = await fetch(converseUrl(region, modelId, `${sandbox.url}/bedrock-runtime/${region}`), {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
        body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hello" }] }] }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, body, message: typeof body.message === "string" ? body.message : typeof body.Message === "string" ? body.Message : undefined };
    },
    async close() {
      await sandbox.close();
      await testDb.cleanup();
    },
  };
}

export type KeysTestEnv = Awaited<ReturnType<typeof createKeysTestEnv>>;

/** An AuditSink that keeps what a service reported, like the action chain's context does. */
export function recordingAudit(): AuditSink & { targets: AuditTarget[]; details: Record<string, unknown> } {
  const rec = {
    targets: [] as AuditTarget[],
    details: {} as Record<string, unknown>,
    target(t: AuditTarget) {
      rec.targets.push(t);
    },
    detail(d: Record<string, unknown>) {
      Object.assign(rec.details, d);
    },
  };
  return rec;
}

export const newToken = () => randomUUID();

let issued = 0;

/** Each call names a different key (key names are unique among current keys) unless told otherwise. */
export function issueInput(env: KeysTestEnv, overrides: Record<string, unknown> = {}) {
  return {
    idempotencyToken: randomUUID(),
    name: `Checkout service ${++issued}`,
    purpose: "Payments bot",
    ownerId: env.users.devA.id,
    teamId: env.teams.A.id,
    ageDays: 30 as number | null,
    extraPolicies: [] as string[],
    restrictions: { models: [] as string[], cidrs: [] as string[], notAfter: null as string | null },
    ...overrides,
  };
}
