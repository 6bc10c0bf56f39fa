/**
 * The action chain against a real (test) database: anonymous calls are refused without a single
 * row written, whatever they send; a signed-in caller's refusals are still audited.
 */
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/session";
import messages from "@/lib/i18n/messages/en.json";
import { createTestDb } from "@/lib/testing/test-db";

const ctx = vi.hoisted(() => ({ user: null as SessionUser | null, db: undefined as unknown }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));

const { defineAction } = await import("./safe-action");
const { anonymousCallCounts } = await import("./anonymous");

let t: Awaited<ReturnType<typeof createTestDb>>;
let ran = 0;
const action = defineAction({
  name: "test.rename",
  permission: "users.manage",
  schema: z.object({ name: z.string().min(1).max(10) }),
  run: async ({ name }) => {
    ran++;
    return { name };
  },
});

beforeAll(async () => {
  t = await createTestDb();
  ctx.db = t.db;
});
afterAll(() => t.cleanup());

async function rowCount(): Promise<number> {
  const tables = ["auditEntry", "user", "signInThrottle", "notification", "apiKey"] as const;
  let n = 0;
  for (const table of tables) n += await (t.db[table] as unknown as { count(): Promise<number> }).count();
  return n;
}

describe("defineAction", () => {
  it("refuses 1,000 anonymous calls — valid, invalid, huge — without writing a row", async () => {
    ctx.user = null;
    const before = await rowCount();
    const inputs: unknown[] = [{ name: "ok" }, { name: "" }, { name: "x".repeat(100_000) }, null, "garbage", { name: { deep: [1, 2, 3] } }];
    for (let i = 0; i < 1000; i++) {
      const result = await action(inputs[i % inputs.length]);
      expect(result).toMatchObject({ ok: false, error: "Your session has ended. Please sign in again." });
      expect(result).not.toHaveProperty("fieldErrors"); // no validation feedback before authentication
    }
    expect(await rowCount()).toBe(before);
    expect(ran).toBe(0);
    expect(anonymousCallCounts()["test.rename"]).toBe(1000);
  });

  it("still audits a signed-in caller's invalid input and refusals", async () => {
    const admin = await t.db.user.create({ data: { email: "a@example.test", name: "A", role: "admin", passwordHash: "x" } });
    const dev = await t.db.user.create({ data: { email: "d@example.test", name: "D", role: "developer", passwordHash: "x" } });
    ctx.user = { id: admin.id, email: admin.email, name: "A", role: "admin", locale: "en", teamIds: [], ledTeamIds: [], viaSso: false, mfaEnrolmentDue: false };
    expect(await action({ name: "" })).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String) } });
    expect(await action({ name: "fine" })).toEqual({ ok: true, data: { name: "fine" } });
    ctx.user = { id: dev.id, email: dev.email, name: "D", role: "developer", locale: "en", teamIds: [], ledTeamIds: [], viaSso: false, mfaEnrolmentDue: false };
    expect(await action({ name: "fine" })).toMatchObject({ ok: false, error: expect.stringMatching(/permission/i) });
    const entries = await t.db.auditEntry.findMany({ where: { action: "test.rename" }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.actorEmail, e.result, JSON.parse(e.details).reason ?? null])).toEqual([
      ["a@example.test", "failure", "invalid_input"],
      ["a@example.test", "success", null],
      ["d@example.test", "failure", "forbidden"],
    ]);
  });
});
