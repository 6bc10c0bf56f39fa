/**
 * The request, policy, webhook and notification server actions through the real action chain
 * (validate → authenticate → authorize → act → audit), against the sandbox and a test database.
 * Only Next's request context is stood in for: the signed-in user, request headers, translations.
 */
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import messages from "@/lib/i18n/messages/en.json";
import { createRequestsTestEnv, type RequestsTestEnv } from "@/tests/support/requests-env";

const ctx = vi.hoisted(() => ({ user: null as SessionUser | null, db: undefined as unknown, deps: undefined as unknown }));

vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.7", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));
vi.mock("@/lib/requests/deps", () => ({ requestDeps: () => ctx.deps }));
vi.mock("@/lib/webhooks/worker", () => ({ kickWebhookWorker: () => undefined }));

const { approveRequestAction, cancelRequestAction, createRequest, denyRequestAction, pickUpRequestAction } = await import("./actions");
const { updatePolicyAction } = await import("@/lib/policy/actions");
const { configureWebhook } = await import("@/lib/webhooks/actions");
const { markNotificationsRead } = await import("@/lib/notifications/actions");

let env: RequestsTestEnv;
const HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

async function as(who: keyof RequestsTestEnv["users"]) {
  const a = await env.actor(env.users[who]);
  ctx.user = { ...a, name: who, locale: "en", viaSso: false, mfaEnrolmentDue: false };
}

function form(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) fd.append(k, item);
  return fd;
}

const lastAudit = async (action?: string) => {
  const row = await env.db.auditEntry.findFirstOrThrow({ where: action ? { action } : {}, orderBy: { id: "desc" } });
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
};

beforeAll(async () => {
  vi.stubEnv("AUTH_SECRET", "x".repeat(40));
  vi.stubEnv("ALLOWED_EXTRA_POLICIES", "AmazonBedrockMarketplaceAccess");
  env = await createRequestsTestEnv();
  ctx.db = env.db;
  ctx.deps = env.deps;
});
afterAll(async () => {
  await env?.close();
  vi.unstubAllEnvs();
});

async function submit(keyName: string) {
  await as("devA");
  const result = await createRequest(
    form({ kind: "long-term", teamId: env.teams.A.id, keyName, purpose: "Checkout bot", justification: "Pilot", durationDays: "30", "models[]": ["", HAIKU, NOVA] }),
  );
  if (!result.ok) throw new Error(result.error);
  return result.data.requestId;
}

describe("request actions", () => {
  it("a request from the form is audited as requests.submit; bad input changes nothing and is explained per field", async () => {
    const requestId = await submit("Form request");
    expect(await lastAudit()).toMatchObject({ action: "requests.submit", result: "success", targetType: "keyRequest", targetId: requestId, teamId: env.teams.A.id, actorEmail: "dev-a@example.com" });

    const before = await env.db.keyRequest.count();
    const bad = await createRequest(form({ kind: "long-term", teamId: env.teams.B.id, keyName: "", purpose: "", justification: "x", durationDays: "0", "models[]": ["", "gpt-4"] }));
    expect(bad).toMatchObject({
      ok: false,
      error: messages.errors.invalidInput,
      fieldErrors: { purpose: messages.errors.field.required, durationDays: "Must be at least 1.", models: messages.errors.field.unknownModel, keyName: messages.errors.field.required },
    });
    const notMine = await createRequest(form({ kind: "short-term", teamId: env.teams.B.id, purpose: "x", justification: "y", durationMinutes: "30" }));
    expect(notMine).toMatchObject({ ok: false, fieldErrors: { teamId: messages.errors.requests.notYourTeam } });
    expect(await env.db.keyRequest.count()).toBe(before);
  });

  it("developers cannot decide; approve and deny are audited under their own names, with what was narrowed", async () => {
    const requestId = await submit("Decided by form");
    await as("devA2");
    expect(await approveRequestAction(form({ requestId }))).toEqual({ ok: false, error: messages.errors.forbidden });
    expect(await lastAudit()).toMatchObject({ action: "requests.approve", result: "failure", details: { reason: "forbidden" } });

    await as("leadA");
    const denyWithout = await denyRequestAction(form({ requestId, comment: "" }));
    expect(denyWithout).toMatchObject({ ok: false, fieldErrors: { comment: messages.errors.field.denyReason } });

    // As the decide form sends it: the hidden empty entry plus the ticked models.
    const approved = await approveRequestAction(form({ requestId, approvedDuration: "7", "approvedModels[]": ["", HAIKU], comment: "A week", decision: "deny" }));
    expect(approved).toEqual({ ok: true, data: { requestId, status: "approved" } });
    const audit = await lastAudit("requests.approve");
    expect(audit).toMatchObject({ result: "success", targetId: requestId, details: { decision: "approved", narrowed: { duration: [30, 7], modelsRemoved: [NOVA] }, comment: "A week" } });

    await as("admin");
    const late = await denyRequestAction(form({ requestId, comment: "too late" }));
    expect(late).toEqual({ ok: false, error: "Someone else decided first: lead-a already approved this request. Your decision was not saved." });
    expect(await lastAudit()).toMatchObject({ action: "requests.deny", result: "failure", details: { reason: "requests.alreadyApproved" } });
  });

  it("pick-up shows the secret once: audited for the request and the key, never with the secret", async () => {
    const requestId = await submit("Picked up by action");
    await as("leadA");
    await approveRequestAction(form({ requestId, approvedDuration: "7", "approvedModels[]": ["", HAIKU] }));
    expect(await pickUpRequestAction({ requestId })).toEqual({ ok: false, error: messages.errors.requests.notRequester });

    await as("devA");
    const result = await pickUpRequestAction({ requestId });
    if (!result.ok || result.data.kind !== "long-term") throw new Error("pick-up failed");
    const secret = result.data.key.secret;
    expect(result.data).not.toHaveProperty("keyAudit");
    expect((await env.converse(secret, HAIKU)).status).toBe(200);

    const pickup = await lastAudit("requests.pickup");
    expect(pickup).toMatchObject({ result: "success", targetId: requestId, details: { keyId: result.data.key.keyId } });
    const issued = await lastAudit("keys.issue");
    expect(issued).toMatchObject({ actorEmail: "dev-a@example.com", targetType: "apiKey", targetId: result.data.key.keyId, ip: "203.0.113.7", details: { via: "request", requestId } });
    const everything = JSON.stringify(await env.db.auditEntry.findMany());
    expect(everything).not.toContain(secret);
    expect((await env.dbContents()).includes(Buffer.from(secret))).toBe(false);

    expect(await pickUpRequestAction({ requestId })).toEqual({ ok: false, error: messages.errors.requests.alreadyPickedUp });
    expect(await cancelRequestAction({ requestId })).toEqual({ ok: false, error: messages.errors.requests.notCancellable });
  });
});

describe("settings actions", () => {
  it("only admins change the policy; the change is audited with before and after", async () => {
    const fields = { version: "0", maxKeyAgeDays: "90", defaultExpiryDays: "30", "allowedModels[]": [""], "allowedExtraPolicies[]": ["", "AmazonBedrockMarketplaceAccess"], longTermRequiresApproval: "on", shortTermMaxMinutes: "120", pickupWindowHours: "48" };
    await as("leadA");
    expect(await updatePolicyAction(form(fields))).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    expect(await updatePolicyAction(form(fields))).toEqual({ ok: true, data: { version: 1 } });
    expect(await lastAudit()).toMatchObject({
      action: "policy.update",
      result: "success",
      details: { before: { maxKeyAgeDays: null, shortTermSelfService: true }, after: { maxKeyAgeDays: 90, shortTermSelfService: false, shortTermMaxMinutes: 120 } },
    });
    // A second save from the same (now stale) form.
    expect(await updatePolicyAction(form(fields))).toEqual({ ok: false, error: messages.errors.conflict });

    await as("devA");
    const direct = await createRequest(form({ kind: "long-term", teamId: env.teams.A.id, keyName: "Too long", purpose: "x", justification: "y", durationDays: "365" }));
    expect(direct).toEqual({ ok: false, error: messages.errors.policy.refused, fieldErrors: { durationDays: "The organisation's policy allows keys for at most 90 days." } });
  });

  it("the webhook is configured by admins; the secret never reaches the audit log", async () => {
    await as("leadA");
    expect(await configureWebhook(form({ version: "0", url: "https://hooks.example.com/x" }))).toEqual({ ok: false, error: messages.errors.forbidden });
    await as("admin");
    const secret = "a-very-secret-signing-key";
    expect(await configureWebhook(form({ version: "0", url: "https://hooks.example.com/services/TOKEN", secret }))).toEqual({ ok: true, data: { version: 1, enabled: true, hasSecret: true } });
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "webhook.configure", details: { after: { host: "hooks.example.com", signed: true } } });
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain("TOKEN");
  });

  it("notifications are marked read for the signed-in person only", async () => {
    await as("leadA");
    const result = await markNotificationsRead({ all: true });
    expect(result.ok && result.data.marked).toBeGreaterThan(0);
    expect(await env.db.notification.count({ where: { userId: env.users.leadA.id, readAt: null } })).toBe(0);
    expect(await env.db.notification.count({ where: { userId: env.users.admin.id, readAt: null } })).toBeGreaterThan(0);
  });
});
