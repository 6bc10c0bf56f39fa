/**
 * Issue 16: editing an issued key and rotating it with overlap, through the real action chain
 * (validate → authenticate → authorize → act → audit) against the sandbox and a test database.
 * Secrets are used for real Bedrock runtime calls through the sandbox; the console's clock is
 * moved to end an overlap (the sandbox only sees the deactivation and deletion). Ends with the
 * leak test: no secret in the database, the audit log or the server log.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateServiceSpecificCredentialCommand, GetUserPolicyCommand, ListUserTagsCommand } from "@aws-sdk/client-iam";
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { listBedrockCredentials } from "@/lib/aws/iam";
import messages from "@/lib/i18n/messages/en.json";
import { updatePolicy } from "@/lib/policy/service";
import { refreshInventory } from "./inventory";
import { issueLongTermKey } from "./issue";
import { RESTRICTION_POLICY_NAME } from "./restriction-policy";
import { runRotationJob } from "./rotation";
import { remindRotationDue } from "./rotation-policy";
import { createKeysTestEnv, issueInput, KEY_PATH, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";

const ctx = vi.hoisted(() => ({ user: null as SessionUser | null, db: undefined as unknown, keyDeps: undefined as unknown }));

vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));
vi.mock("@/lib/keys/deps", () => ({ keyDeps: () => ctx.keyDeps }));
vi.mock("@/lib/requests/deps", () => ({ notifyDeps: () => ({ db: ctx.db, now: () => new Date() }) }));

const { editKey, finishRotation, pickUpRotatedKey, removeOtherKeyCredential, rotateKey } = await import("./actions");
const { log } = await import("@/lib/log");

const NOVA = "amazon.nova-micro-v1:0";
const US_HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const HOUR = 3_600_000;

let env: KeysTestEnv;
let logDir: string;
const secrets: string[] = [];

async function as(who: keyof KeysTestEnv["users"]) {
  const a = await env.actor(env.users[who]);
  ctx.user = { ...a, name: who, locale: "en", viaSso: false, mfaEnrolmentDue: false };
}
const lastAudit = () => env.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
const credentialsOf = async (user: string) => (await listBedrockCredentials(env.aws.iam, new Date(), user)).items;
const refresh = () => refreshInventory({ db: env.db, iam: env.aws.iam, now: env.deps.now, keyIamPath: KEY_PATH });

async function issue(overrides: Record<string, unknown> = {}) {
  const reveal = await issueLongTermKey(env.deps, await env.actor(env.users.admin), issueInput(env, overrides), recordingAudit());
  secrets.push(reveal.secret);
  return reveal;
}

function must<T>(r: { ok: true; data: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.data;
}

beforeAll(async () => {
  logDir = mkdtempSync(path.join(tmpdir(), "bkc-log-"));
  vi.stubEnv("AUTH_SECRET", "x".repeat(40));
  vi.stubEnv("LOG_LEVEL", "debug");
  vi.stubEnv("LOG_FILE", path.join(logDir, "server.log"));
  env = await createKeysTestEnv();
  ctx.db = env.db;
  ctx.keyDeps = env.deps;
});
afterAll(async () => env?.close());

describe("editing an issued key", () => {
  it("rewrites the inline policy: model X allowed after the edit, Y denied; owner, team and tags follow; audited before and after", async () => {
    const key = await issue({ restrictions: { models: [NOVA], cidrs: [], notAfter: null } });
    expect((await env.converse(key.secret, NOVA)).status).toBe(200);
    expect((await env.converse(key.secret, US_HAIKU)).status).toBe(403);

    await as("admin");
    const edited = await editKey({ keyId: key.keyId, name: "Edited key", purpose: "New purpose", ownerId: env.users.devA2.id, teamId: env.teams.A.id, models: [US_HAIKU], cidrs: "", notAfter: "" });
    expect(must(edited).changed).toEqual(expect.arrayContaining(["name", "purpose", "ownerEmail", "models"]));
    expect((await env.converse(key.secret, US_HAIKU)).status).toBe(200);
    expect((await env.converse(key.secret, NOVA)).status).toBe(403);

    const row = await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } });
    expect(row).toMatchObject({ name: "Edited key", purpose: "New purpose", ownerId: env.users.devA2.id });
    expect(JSON.parse(row.settings)).toMatchObject({ models: [US_HAIKU] });
    const tags = await env.aws.iam.send(new ListUserTagsCommand({ UserName: key.iamUserName }));
    expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: "owner", Value: "dev-a2@example.com" }, { Key: "name", Value: "Edited key" }]));
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "keys.edit", result: "success", targetId: key.keyId });
    expect(JSON.parse(entry.details)).toMatchObject({ before: { models: [NOVA], ownerEmail: "dev-a@example.com" }, after: { models: [US_HAIKU], ownerEmail: "dev-a2@example.com" } });

    // Removing every restriction deletes the inline policy.
    must(await editKey({ keyId: key.keyId, name: "Edited key", purpose: "New purpose", ownerId: env.users.devA2.id, teamId: env.teams.A.id, models: [], cidrs: "", notAfter: "" }));
    await expect(env.aws.iam.send(new GetUserPolicyCommand({ UserName: key.iamUserName, PolicyName: RESTRICTION_POLICY_NAME }))).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
    expect((await env.converse(key.secret, NOVA)).status).toBe(200);
  });

  it("is authorized on the server: leads within their teams only, developers not at all", async () => {
    const key = await issue();
    const base = { keyId: key.keyId, name: "Lead edit", purpose: "p", ownerId: env.users.devA.id, teamId: env.teams.A.id, models: [], cidrs: "", notAfter: "" };
    await as("devA");
    expect(await editKey(base)).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("leadB");
    expect(await editKey(base)).toEqual({ ok: false, error: messages.errors.notFound });
    await as("leadA");
    const moved = await editKey({ ...base, ownerId: env.users.devB.id, teamId: env.teams.B.id });
    expect(moved).toMatchObject({ ok: false, fieldErrors: { teamId: messages.errors.keyEdit.teamNotLed } });
    expect(must(await editKey(base)).changed).toContain("name");
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).name).toBe("Lead edit");
  });

  it("is checked against the organisation's policy as issuance is", async () => {
    const key = await issue({ restrictions: { models: [NOVA], cidrs: [], notAfter: null } });
    const admin = await env.actor(env.users.admin);
    await updatePolicy(
      env.db,
      admin,
      { version: 0, maxKeyAgeDays: null, defaultExpiryDays: 30, allowedModels: [NOVA], allowedExtraPolicies: [], longTermRequiresApproval: true, shortTermSelfService: true, shortTermMaxMinutes: 60, pickupWindowHours: 24 },
      { configuredExtraPolicies: ["AmazonBedrockMarketplaceAccess"], shortTermCeilingMinutes: 720 },
      recordingAudit(),
    );
    try {
      await as("admin");
      const refused = await editKey({ keyId: key.keyId, name: "Policy key", purpose: "", ownerId: env.users.devA.id, teamId: env.teams.A.id, models: [US_HAIKU], cidrs: "", notAfter: "" });
      expect(refused).toMatchObject({ ok: false, error: messages.errors.policy.refused, fieldErrors: { models: expect.stringContaining("Claude") } });
      expect((await env.converse(key.secret, NOVA)).status).toBe(200);
      expect(JSON.parse((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).settings)).toMatchObject({ models: [NOVA] });
    } finally {
      await env.db.orgPolicy.deleteMany();
    }
  });

  it("a key deleted meanwhile in AWS: clear message, state updated, the policy left as it was", async () => {
    const key = await issue({ restrictions: { models: [NOVA], cidrs: [], notAfter: null } });
    const before = await env.aws.iam.send(new GetUserPolicyCommand({ UserName: key.iamUserName, PolicyName: RESTRICTION_POLICY_NAME }));
    const { deleteCredential } = await import("@/lib/aws/iam");
    await deleteCredential(env.aws.iam, key.iamUserName, key.credentialId);
    await as("admin");
    const result = await editKey({ keyId: key.keyId, name: key.name, purpose: "", ownerId: env.users.devA.id, teamId: env.teams.A.id, models: [US_HAIKU], cidrs: "", notAfter: "" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining(key.name) });
    expect(result.ok === false && result.error).toBe(createTranslator({ locale: "en", messages, namespace: "errors" })("keys.goneOutside", { name: key.name }));
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).state).toBe("gone");
    const after = await env.aws.iam.send(new GetUserPolicyCommand({ UserName: key.iamUserName, PolicyName: RESTRICTION_POLICY_NAME }));
    expect(after.PolicyDocument).toBe(before.PolicyDocument);
  });
});

describe("rotating a key with overlap", () => {
  it("both secrets work during the overlap, only the new one after it ends; nothing is left behind", async () => {
    const key = await issue({ ageDays: 30 });
    const rowsBefore = await env.db.apiKey.count();
    await as("admin");
    const started = must(await rotateKey({ keyId: key.keyId, graceHours: "2", deliver: "me" }));
    if (started.state !== "overlap") throw new Error("expected the overlap");
    const fresh = started.reveal.secret;
    secrets.push(fresh);
    expect(fresh).toMatch(/^ABSK/);
    expect(fresh).not.toBe(key.secret);
    expect(started.reveal.credentialId).not.toBe(key.credentialId);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "keys.rotate", result: "success", targetId: key.keyId });
    expect(audit.details).not.toContain(fresh);
    // The new credential has the key's age (30 days).
    const expires = new Date(started.reveal.expiresAt!).getTime() - new Date(started.reveal.createdAt).getTime();
    expect(Math.round(expires / (24 * HOUR))).toBe(30);

    expect((await env.converse(key.secret)).status).toBe(200);
    expect((await env.converse(fresh)).status).toBe(200);
    expect(await credentialsOf(key.iamUserName)).toHaveLength(2);
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).credentialId).toBe(started.reveal.credentialId);

    // An inventory refresh during the overlap sees two credentials for one user: no unmanaged row, nothing gone.
    const during = await refresh();
    expect(during.created).toBe(0);
    expect(during.gone).toEqual([]);
    expect(await env.db.apiKey.count()).toBe(rowsBefore);
    expect(await env.db.apiKey.count({ where: { credentialId: key.credentialId } })).toBe(0);

    // Not due yet.
    expect(await runRotationJob(env.deps, "test")).toMatchObject({ finished: 0, failed: 0 });
    expect((await env.converse(key.secret)).status).toBe(200);

    env.setNow(new Date(Date.now() + 2 * HOUR + 60_000));
    try {
      expect(await runRotationJob(env.deps, "test")).toMatchObject({ status: "done", finished: 1, failed: 0 });
    } finally {
      env.tick();
    }
    expect((await lastAudit())).toMatchObject({ action: "keys.rotation_finish", result: "success", actorEmail: "system", targetId: key.keyId });
    expect((await env.converse(key.secret)).status).not.toBe(200);
    expect((await env.converse(fresh)).status).toBe(200);

    const left = await credentialsOf(key.iamUserName);
    expect(left.map((c) => c.credentialId)).toEqual([started.reveal.credentialId]);
    expect(left[0]!.status).toBe("Active");
    expect(await env.db.apiKey.count({ where: { iamUserName: key.iamUserName } })).toBe(1);
    expect(await env.db.keyRotation.findFirstOrThrow({ where: { apiKeyId: key.keyId } })).toMatchObject({ state: "done", attempts: 0 });
    const after = await refresh();
    expect(after).toMatchObject({ created: 0, gone: [] });
    expect(await env.db.apiKey.count()).toBe(rowsBefore);
  });

  it("a grace period that ends while AWS is unreachable is retried, never dropped", async () => {
    const key = await issue();
    await as("admin");
    const started = must(await rotateKey({ keyId: key.keyId, graceHours: 1, deliver: "me" }));
    if (started.state === "overlap") secrets.push(started.reveal.secret);
    env.setNow(new Date(Date.now() + HOUR + 60_000));
    try {
      await env.fault("UpdateServiceSpecificCredential", { code: "ServiceUnavailable", status: 503, message: "injected" }, 20);
      expect(await runRotationJob(env.deps, "test")).toMatchObject({ finished: 0, failed: 1 });
      await env.clearFaults();
      const open = await env.db.keyRotation.findFirstOrThrow({ where: { apiKeyId: key.keyId } });
      expect(open).toMatchObject({ state: "overlap", attempts: 1 });
      expect(open.lastError).toContain("ServiceUnavailable");
      expect(await lastAudit()).toMatchObject({ action: "keys.rotation_finish", result: "failure", actorEmail: "system" });
      expect((await env.converse(key.secret)).status).toBe(200); // the old one still works: nothing half-done
      expect(await runRotationJob(env.deps, "test")).toMatchObject({ finished: 1, failed: 0 });
    } finally {
      await env.clearFaults();
      env.tick();
    }
    expect(await credentialsOf(key.iamUserName)).toHaveLength(1);
    expect((await env.converse(key.secret)).status).not.toBe(200);
  });

  it("a user that already holds two credentials: a clear message, nothing made, and a way out", async () => {
    const key = await issue();
    const other = await env.aws.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: key.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
    secrets.push(other.ServiceSpecificCredential!.ServiceCredentialSecret!);
    const otherId = other.ServiceSpecificCredential!.ServiceSpecificCredentialId!;
    // The sandbox enforces IAM's quota with AWS's own error, as the rotation's fallback expects.
    await expect(env.aws.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: key.iamUserName, ServiceName: "bedrock.amazonaws.com" }))).rejects.toMatchObject({
      name: expect.stringMatching(/^LimitExceeded/),
    });
    await as("admin");
    const refused = await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "me" });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining(otherId) });
    expect(refused.ok === false && refused.error).toContain("already holds two");
    expect(await credentialsOf(key.iamUserName)).toHaveLength(2);
    expect(await env.db.keyRotation.count({ where: { apiKeyId: key.keyId, state: { in: ["creating", "overlap", "pickup"] } } })).toBe(0);
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).credentialId).toBe(key.credentialId);

    await as("leadA");
    expect(await removeOtherKeyCredential({ keyId: key.keyId, credentialId: otherId })).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    expect(await removeOtherKeyCredential({ keyId: key.keyId, credentialId: key.credentialId })).toMatchObject({ ok: false });
    expect(await removeOtherKeyCredential({ keyId: key.keyId, credentialId: otherId })).toMatchObject({ ok: true });
    expect((await credentialsOf(key.iamUserName)).map((c) => c.credentialId)).toEqual([key.credentialId]);
    const again = must(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "me" }));
    if (again.state === "overlap") secrets.push(again.reveal.secret);
    expect(again.state).toBe("overlap");
    expect(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "me" })).toMatchObject({ ok: false, error: expect.stringContaining("already being rotated") });
  });

  it("refuses a grace period outside 1 hour to 30 days", async () => {
    const key = await issue();
    await as("admin");
    for (const graceHours of [0, 721]) {
      expect(await rotateKey({ keyId: key.keyId, graceHours, deliver: "me" })).toMatchObject({ ok: false, fieldErrors: { graceHours: messages.errors.field.graceHours } });
    }
    expect(await credentialsOf(key.iamUserName)).toHaveLength(1);
  });

  it("sent to the owner: notified, picked up once by them alone, finished early on demand", async () => {
    const key = await issue();
    await as("leadB");
    expect(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "owner" })).toEqual({ ok: false, error: messages.errors.notFound });
    await as("leadA");
    expect(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "me" })).toMatchObject({ ok: false, error: messages.errors.rotation.revealOwnerOnly });
    const waiting = must(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "owner" }));
    expect(waiting.state).toBe("pickup");
    expect(await credentialsOf(key.iamUserName)).toHaveLength(1); // made only when picked up
    const note = await env.db.notification.findFirstOrThrow({ where: { userId: env.users.devA.id, kind: "key.rotationReady" } });
    expect(note.href).toBe(`/keys/${key.keyId}`);

    await as("devA2");
    expect(await pickUpRotatedKey({ keyId: key.keyId })).toEqual({ ok: false, error: messages.errors.notFound });
    await as("devA");
    const picked = must(await pickUpRotatedKey({ keyId: key.keyId }));
    if (picked.state !== "overlap") throw new Error("expected the overlap");
    secrets.push(picked.reveal.secret);
    expect(await pickUpRotatedKey({ keyId: key.keyId })).toEqual({ ok: false, error: messages.errors.notFound });
    expect((await env.converse(key.secret)).status).toBe(200);
    expect((await env.converse(picked.reveal.secret)).status).toBe(200);

    expect(must(await finishRotation({ keyId: key.keyId }))).toMatchObject({ oldCredentialId: key.credentialId });
    expect(await lastAudit()).toMatchObject({ action: "keys.rotation_finish", result: "success", actorEmail: "dev-a@example.com" });
    expect((await env.converse(key.secret)).status).not.toBe(200);
    expect((await env.converse(picked.reveal.secret)).status).toBe(200);
    expect(await finishRotation({ keyId: key.keyId })).toMatchObject({ ok: false, error: messages.errors.rotation.notInOverlap });
  });

  it("a pick-up nobody came for is closed by the job, nothing made", async () => {
    const key = await issue();
    await as("admin");
    must(await rotateKey({ keyId: key.keyId, graceHours: 24, deliver: "owner" }));
    env.setNow(new Date(Date.now() + 73 * HOUR));
    try {
      expect(await runRotationJob(env.deps, "test")).toMatchObject({ pickupsExpired: 1 });
    } finally {
      env.tick();
    }
    expect(await env.db.keyRotation.findFirstOrThrow({ where: { apiKeyId: key.keyId } })).toMatchObject({ state: "cancelled" });
    await as("devA");
    expect(await pickUpRotatedKey({ keyId: key.keyId })).toEqual({ ok: false, error: messages.errors.notFound });
    expect(await credentialsOf(key.iamUserName)).toHaveLength(1);
  });

  it("a rotation interrupted mid-way (process died) is closed by the job, and the key can be rotated again", async () => {
    const key = await issue();
    await env.db.keyRotation.create({ data: { apiKeyId: key.keyId, iamUserName: key.iamUserName, state: "creating", oldCredentialId: key.credentialId, graceHours: 1 } });
    await as("admin");
    expect(await rotateKey({ keyId: key.keyId, graceHours: 1, deliver: "me" })).toMatchObject({ ok: false, error: expect.stringContaining("already being rotated") });
    env.setNow(new Date(Date.now() + 11 * 60_000));
    try {
      await runRotationJob(env.deps, "test");
    } finally {
      env.tick();
    }
    expect(await env.db.keyRotation.findFirstOrThrow({ where: { apiKeyId: key.keyId } })).toMatchObject({ state: "cancelled", lastError: "interrupted" });
    const again = must(await rotateKey({ keyId: key.keyId, graceHours: 1, deliver: "me" }));
    if (again.state === "overlap") secrets.push(again.reveal.secret);
    expect(again.state).toBe("overlap");
  });

  it("the rotation policy reminds the owner and the team's lead before the age is reached, once per credential", async () => {
    const key = await issue();
    const notify = { db: env.db, now: env.deps.now };
    const reminders = () => env.db.notification.findMany({ where: { kind: "key.rotationDue", href: `/keys/${key.keyId}` }, orderBy: { userId: "asc" } });
    env.setNow(new Date(Date.now() + 20 * 24 * HOUR));
    try {
      expect(await remindRotationDue(notify, null)).toBe(0); // no rotation policy
      expect(await remindRotationDue(notify, 30)).toBe(0); // 10 days to go: not yet
      expect(await reminders()).toHaveLength(0);
      env.setNow(new Date(Date.now() + 24 * 24 * HOUR));
      expect(await remindRotationDue(notify, 30)).toBeGreaterThanOrEqual(1);
      const sent = await reminders();
      expect(sent.map((n) => n.userId).sort()).toEqual([env.users.devA.id, env.users.leadA.id].sort());
      expect(JSON.parse(sent[0]!.params)).toMatchObject({ keyName: key.name });
      await remindRotationDue(notify, 30);
      expect(await reminders()).toHaveLength(2); // not repeated
    } finally {
      env.tick();
    }
    // Rotated: a new credential, so the key is young again and nothing is due.
    await as("admin");
    const rotated = must(await rotateKey({ keyId: key.keyId, graceHours: 1, deliver: "me" }));
    if (rotated.state === "overlap") secrets.push(rotated.reveal.secret);
    must(await finishRotation({ keyId: key.keyId }));
    env.setNow(new Date(Date.now() + 10 * 24 * HOUR));
    try {
      await remindRotationDue(notify, 30);
    } finally {
      env.tick();
    }
    expect(await reminders()).toHaveLength(2);
  });

  it("no secret is in the database, the audit log or the server log", async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const needles = secrets.flatMap((s) => [s, Buffer.from(s.slice(4), "base64").toString("utf8").split(":")[1]!]);
    log().flush();
    await new Promise((r) => setTimeout(r, 300));
    const dbBytes = await env.dbContents();
    expect(dbBytes.length).toBeGreaterThan(1000);
    const audit = JSON.stringify(await env.db.auditEntry.findMany());
    expect(audit).toContain("keys.rotate");
    const logFile = path.join(logDir, "server.log");
    let logText = "";
    try {
      logText = readFileSync(logFile, "utf8");
    } catch {
      logText = "";
    }
    for (const needle of needles) {
      expect(needle.length).toBeGreaterThan(10);
      expect(dbBytes.includes(Buffer.from(needle, "utf8")), "database").toBe(false);
      expect(audit.includes(needle), "audit log").toBe(false);
      expect(logText.includes(needle), "server log").toBe(false);
    }
  });
});
