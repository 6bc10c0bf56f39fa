/**
 * The bulk and offboarding server actions through the real action chain (authenticate → validate
 * → authorize → act → audit) against the sandbox and a test database: the role gate per
 * operation, a lead's batch naming another team's keys refused with nothing changed, anonymous
 * calls writing nothing, and the results translated. Only Next's request context is stood in for.
 */
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import messages from "@/lib/i18n/messages/en.json";
import { issueLongTermKey } from "./issue";
import { createKeysTestEnv, issueInput, type KeysTestEnv } from "@/tests/support/keys-env";

const ctx = vi.hoisted(() => ({ user: null as SessionUser | null, db: undefined as unknown, keyDeps: undefined as unknown }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));
vi.mock("@/lib/keys/deps", () => ({ keyDeps: () => ctx.keyDeps }));

const { bulkKeys, matchingKeyIds } = await import("./bulk-actions");

let env: KeysTestEnv;
async function as(who: keyof KeysTestEnv["users"] | null) {
  if (!who) return void (ctx.user = null);
  const a = await env.actor(env.users[who]);
  ctx.user = { ...a, name: who, locale: "en", viaSso: false, mfaEnrolmentDue: false };
}

beforeAll(async () => {
  vi.stubEnv("AUTH_SECRET", "x".repeat(40));
  env = await createKeysTestEnv();
  ctx.db = env.db;
  ctx.keyDeps = env.deps;
});
afterAll(async () => env?.close());

const statuses = async (ids: string[]) => (await env.db.apiKey.findMany({ where: { id: { in: ids } }, select: { status: true } })).map((k) => k.status);

describe("bulk server actions", () => {
  it("a lead disables their team's keys; another team's keys are refused as not found and nothing changes", async () => {
    const admin = await env.actor(env.users.admin);
    const a = [];
    for (let i = 0; i < 2; i++) a.push((await issueLongTermKey(env.deps, admin, issueInput(env))).keyId);
    const b = (await issueLongTermKey(env.deps, admin, issueInput(env, { ownerId: env.users.devB.id, teamId: env.teams.B.id }))).keyId;

    await as("leadA");
    const refused = await bulkKeys({ op: "disable", keyIds: [...a, b] });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/1 of the selected keys was not found.*Nothing was changed/) });
    expect(await statuses([...a, b])).toEqual(["Active", "Active", "Active"]);
    const entry = await env.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ action: "keys.bulk", result: "failure", actorEmail: "lead-a@example.com" });
    expect(JSON.parse(entry.details)).toMatchObject({ reason: "bulk.unknownKeys", op: "disable", requested: 3 });

    const done = await bulkKeys({ op: "disable", keyIds: a });
    expect(done).toMatchObject({ ok: true, data: { done: 2, failed: 0, skipped: 0 } });
    expect(await statuses(a)).toEqual(["Inactive", "Inactive"]);

    // Delete is an admin's: the lead is refused before any key is looked at.
    const del = await bulkKeys({ op: "delete", keyIds: a, confirmCount: 2 });
    expect(del).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    expect(await env.db.apiKey.count({ where: { id: { in: a }, state: "present" } })).toBe(2);

    // "Select all matching": only the lead's scope.
    const matching = await matchingKeyIds({ teamId: env.teams.B.id });
    expect(matching).toMatchObject({ ok: true, data: { total: 0, ids: [] } });
  });

  it("a developer is refused; an anonymous call writes nothing; results carry translated reasons", async () => {
    const admin = await env.actor(env.users.admin);
    const k = (await issueLongTermKey(env.deps, admin, issueInput(env))).keyId;
    await as("devA");
    expect(await bulkKeys({ op: "disable", keyIds: [k] })).toMatchObject({ ok: false, error: "You do not have permission to do that." });

    await as(null);
    const before = await env.db.auditEntry.count();
    expect(await bulkKeys({ op: "disable", keyIds: [k] })).toMatchObject({ ok: false });
    expect(await env.db.auditEntry.count()).toBe(before);
    expect(await statuses([k])).toEqual(["Active"]);

    await as("admin");
    expect(await bulkKeys({ op: "disable", keyIds: [] })).toMatchObject({ ok: false, error: "Select at least one key." });
    expect(await bulkKeys({ op: "disable", keyIds: Array.from({ length: 501 }, (_, i) => `id${i}`) })).toMatchObject({ ok: false, error: "At most 500 keys at once: this request named 501." });
    const del = await bulkKeys({ op: "delete", keyIds: [k], confirmCount: 1 });
    expect(del).toMatchObject({ ok: true, data: { failed: 1, items: [{ keyId: k, outcome: "failed", reason: expect.stringMatching(/disable/i) }] } });
    expect(await statuses([k])).toEqual(["Active"]);
  });
});
