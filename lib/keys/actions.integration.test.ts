/**
 * The key, short-term and inspector server actions through the real action chain (validate →
 * authenticate → authorize → act → audit), against the sandbox and a test database. Only the
 * Next.js request context is stood in for: the signed-in user, request headers, translations.
 * Ends with the leak test: no secret in the database file, the audit log or the server log.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import messages from "@/lib/i18n/messages/en.json";
import type { InspectDeps } from "@/lib/inspect/service";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import type { ShortTermDeps } from "@/lib/shortterm/service";
import { createKeysTestEnv, type KeysTestEnv } from "@/tests/support/keys-env";
import type { KeyDeps } from "./types";

const ctx = vi.hoisted(() => ({
  user: null as SessionUser | null,
  db: undefined as unknown,
  keyDeps: undefined as unknown,
  shortTermDeps: undefined as unknown,
  inspectDeps: undefined as unknown,
}));

vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));
vi.mock("@/lib/keys/deps", () => ({ keyDeps: () => ctx.keyDeps }));
vi.mock("@/lib/shortterm/deps", () => ({ shortTermDeps: () => ctx.shortTermDeps }));
vi.mock("@/lib/inspect/deps", () => ({ inspectDeps: () => ctx.inspectDeps }));

const { adoptKey, deleteKey, disableKey, enableKey, issueKey, refreshInventoryNow, resetKey, retryKeyCleanup } = await import("./actions");
const { generateShortTermKey, revokeShortTermKeys } = await import("@/lib/shortterm/actions");
const { inspectKey } = await import("@/lib/inspect/actions");
const { log } = await import("@/lib/log");

let env: KeysTestEnv;
let logDir: string;
const secrets: string[] = [];

async function as(who: keyof KeysTestEnv["users"]) {
  const a = await env.actor(env.users[who]);
  ctx.user = { ...a, name: who, locale: "en", viaSso: false, mfaEnrolmentDue: false };
}

function form(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) fd.append(k, item);
  return fd;
}

const lastAudit = () => env.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });

beforeAll(async () => {
  logDir = mkdtempSync(path.join(tmpdir(), "bkc-log-"));
  vi.stubEnv("AUTH_SECRET", "x".repeat(40));
  vi.stubEnv("LOG_LEVEL", "debug");
  vi.stubEnv("LOG_FILE", path.join(logDir, "server.log"));
  env = await createKeysTestEnv();
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  ctx.db = env.db;
  ctx.keyDeps = env.deps satisfies KeyDeps;
  ctx.shortTermDeps = {
    db: env.db,
    iam: env.aws.iam,
    sts: env.aws.sts,
    now: () => new Date(),
    roleArn: role.roleArn,
    maxHours: 12,
    regions: ["us-east-1"],
  } satisfies ShortTermDeps;
  ctx.inspectDeps = { db: env.db, now: () => new Date(), accountId: async () => "123456789012" } satisfies InspectDeps;
});
afterAll(async () => {
  await env?.close();
  vi.unstubAllEnvs();
  rmSync(logDir, { recursive: true, force: true });
});

const issueForm = (overrides: Record<string, string | string[]> = {}) =>
  form({
    idempotencyToken: crypto.randomUUID(),
    name: "Action key",
    purpose: "Checkout",
    ownerId: env.users.devA.id,
    teamId: env.teams.A.id,
    expiry: "90",
    ...overrides,
  });

describe("key actions", () => {
  it("only admins issue; the reveal carries the secret once and the audit entry does not", async () => {
    await as("devA");
    expect(await issueKey(issueForm())).toEqual({ ok: false, error: messages.errors.forbidden });
    expect(await lastAudit()).toMatchObject({ action: "keys.issue", result: "failure", details: expect.stringContaining('"reason":"forbidden"') });

    await as("admin");
    const result = await issueKey(issueForm({ "models[]": ["us.anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: "127.0.0.0/8\n10.0.0.0/8" }));
    if (!result.ok) throw new Error(result.error);
    secrets.push(result.data.secret);
    expect(result.data).toMatchObject({ name: "Action key", region: "us-east-1", modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0" });
    expect((await env.converse(result.data.secret)).status).toBe(200);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "keys.issue", result: "success", targetType: "apiKey", targetId: result.data.keyId, teamId: env.teams.A.id, actorEmail: "admin@example.com" });
    expect(JSON.parse(audit.details)).toMatchObject({ iamUserName: result.data.iamUserName, credentialId: result.data.credentialId, restrictions: { cidrs: ["127.0.0.0/8", "10.0.0.0/8"] } });
  });

  it("shows translated field errors and the failed issuance step", async () => {
    await as("admin");
    const bad = await issueKey(issueForm({ cidrs: "10.0.0.1/8", "models[]": ["gpt-4"] }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { cidrs: messages.errors.field.cidrHostBits, models: messages.errors.field.unknownModel } });

    await env.fault("CreateServiceSpecificCredential", { code: "LimitExceeded", status: 409, message: "Cannot exceed quota" });
    const failed = await issueKey(issueForm({ name: "Quota hit" }));
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.error).toContain("“CreateServiceSpecificCredential” (LimitExceeded)");
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "keys.issue", result: "failure" });
    expect(JSON.parse(audit.details)).toMatchObject({ reason: "keys.issueFailed", failedStep: "CreateServiceSpecificCredential", rolledBack: ["DetachUserPolicy AmazonBedrockLimitedAccess", "DeleteUser"] });
    expect(await env.db.apiKey.count({ where: { name: "Quota hit" } })).toBe(0);
  });

  it("disable / enable / reset / delete, with leads limited to their teams", async () => {
    await as("admin");
    const issued = await issueKey(issueForm({ name: "Team key" }));
    if (!issued.ok) throw new Error(issued.error);
    secrets.push(issued.data.secret);
    const keyId = issued.data.keyId;

    await as("leadB");
    expect(await disableKey({ keyId })).toEqual({ ok: false, error: messages.errors.notFound });
    await as("leadA");
    expect(await disableKey({ keyId })).toEqual({ ok: true, data: { keyId, status: "Inactive" } });
    expect(await lastAudit()).toMatchObject({ action: "keys.disable", result: "success", teamId: env.teams.A.id, targetId: keyId });
    expect(await resetKey({ keyId })).toEqual({ ok: false, error: messages.errors.forbidden });
    expect(await enableKey({ keyId })).toMatchObject({ ok: true });

    await as("admin");
    const reset = await resetKey({ keyId });
    if (!reset.ok) throw new Error(reset.error);
    secrets.push(reset.data.secret);
    expect((await env.converse(issued.data.secret)).status).toBe(403);
    expect((await env.converse(reset.data.secret)).status).toBe(200);
    expect(await deleteKey({ keyId, confirmName: "Team key" })).toMatchObject({ ok: false, error: "Disable the key “Team key” before deleting it." });
    await disableKey({ keyId });
    expect(await deleteKey({ keyId, confirmName: "Team key" })).toEqual({ ok: true, data: { keyId, userDeleted: true } });
  });

  it("refreshes the inventory on demand and adopts unmanaged keys", async () => {
    await as("devA");
    expect(await refreshInventoryNow({})).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    const refreshed = await refreshInventoryNow({});
    expect(refreshed).toMatchObject({ ok: true, data: { status: "done", iamCalls: 2 } });
    const row = await env.db.apiKey.findFirstOrThrow({ where: { state: "present" } });
    await env.db.apiKey.update({ where: { id: row.id }, data: { managed: false } });
    expect(await adoptKey(form({ keyId: row.id, ownerId: env.users.devB.id, teamId: env.teams.B.id, purpose: "Adopted" }))).toEqual({ ok: true, data: { keyId: row.id } });
  });

  it("short-term keys: generate for oneself, revoke (admins only)", async () => {
    await as("devB");
    const made = await generateShortTermKey({ region: "us-east-1", expiresInMinutes: "30" });
    if (!made.ok) throw new Error(made.error);
    secrets.push(made.data.token);
    expect((await env.converse(made.data.token)).status).toBe(200);
    expect(await revokeShortTermKeys({ userId: env.users.devB.id })).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    expect(await revokeShortTermKeys({ userId: env.users.devB.id })).toMatchObject({ ok: true });
    expect((await env.converse(made.data.token)).status).toBe(403);
    expect(await lastAudit()).toMatchObject({ action: "shortterm.revoke", targetType: "user", targetId: env.users.devB.id });
  });

  it("the inspector decodes on the server and audits only what it found", async () => {
    await as("leadA");
    const lt = await inspectKey({ pasted: secrets[0]! });
    expect(lt).toMatchObject({ ok: true, data: { kind: "long-term", sameAccount: true } });
    expect(await inspectKey({ pasted: "not a key" })).toEqual({ ok: true, data: { kind: "invalid", reason: "unknownPrefix" } });
    await as("devA");
    expect(await inspectKey({ pasted: secrets[0]! })).toEqual({ ok: false, error: messages.errors.forbidden });
    // An unexpected failure after a key was pasted: logged with an event id, key nowhere.
    await as("admin");
    const broken = ctx.inspectDeps as InspectDeps;
    ctx.inspectDeps = { ...broken, accountId: async () => Promise.reject(new Error("sts down")) };
    const failed = await inspectKey({ pasted: secrets[0]! });
    ctx.inspectDeps = broken;
    expect(failed).toMatchObject({ ok: false, eventId: expect.any(String) });
  });
});

describe("leak test", () => {
  it("retrying a pending clean-up: admins only, audited, the IAM user deleted", async () => {
    await as("admin");
    const issued = await issueKey(issueForm({ name: "Clean-up key" }));
    if (!issued.ok) throw new Error(issued.error);
    const { keyId, iamUserName } = issued.data;
    secrets.push(issued.data.secret);
    await disableKey({ keyId });
    await env.fault("DeleteUser", { code: "ServiceFailure", status: 500, message: "injected" }, 5);
    const deleted = await deleteKey({ keyId, confirmName: issued.data.name });
    await env.clearFaults();
    expect(deleted).toMatchObject({ ok: true, data: { userDeleted: false, cleanupPending: true } });

    await as("leadA");
    expect(await retryKeyCleanup({ iamUserName })).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    expect(await retryKeyCleanup({ iamUserName: "not a name!" })).toMatchObject({ ok: false });
    expect(await retryKeyCleanup({ iamUserName })).toEqual({ ok: true, data: { outcome: "removed" } });
    expect(await lastAudit()).toMatchObject({ action: "keys.cleanup", result: "success", targetType: "iamUser", targetId: iamUserName });
    expect(await env.consoleUsers()).not.toContain(iamUserName);
    expect(await retryKeyCleanup({ iamUserName })).toEqual({ ok: false, error: messages.errors.notFound });
  });

  it("no secret is in the database file, the audit log or the server log", async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    // Also the random part inside each long-term key (after "<user>-at-<account>:").
    const needles = secrets.flatMap((s) =>
      s.startsWith("ABSK") ? [s, Buffer.from(s.slice(4), "base64").toString("utf8").split(":")[1]!] : [s, s.slice(-40)],
    );
    log().flush();
    await new Promise((r) => setTimeout(r, 300));
    const dbBytes = await env.dbContents(); // SQLite's files, or every PostgreSQL row
    expect(dbBytes.length).toBeGreaterThan(1000); // the database is not trivially empty
    const audit = JSON.stringify(await env.db.auditEntry.findMany());
    const logText = readFileSync(path.join(logDir, "server.log"), "utf8");
    expect(logText).toContain("action failed"); // the log is not trivially empty
    expect(audit.length).toBeGreaterThan(1000);
    for (const needle of needles) {
      expect(dbBytes.includes(Buffer.from(needle, "utf8")), "database file").toBe(false);
      expect(audit.includes(needle), "audit log").toBe(false);
      expect(logText.includes(needle), "server log").toBe(false);
    }
  });
});
