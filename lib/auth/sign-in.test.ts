import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { hashPassword } from "./password";
import { verifySignIn } from "./sign-in";

const policy = { maxFailures: 3, lockMinutes: 15 };
const meta = { ip: "198.51.100.7", userAgent: "vitest" };
let t: Awaited<ReturnType<typeof createTestDb>>;

beforeEach(async () => {
  t = await createTestDb();
  await t.db.user.create({
    data: { email: "ann@example.test", name: "Ann", role: "admin", passwordHash: await hashPassword("right password 1") },
  });
});
afterEach(() => t.cleanup());

async function auditRows() {
  return t.db.auditEntry.findMany({ orderBy: { id: "asc" }, select: { action: true, result: true, details: true, actorEmail: true } });
}

describe("verifySignIn", () => {
  it("accepts the right password (email case-insensitive) and audits success", async () => {
    const outcome = await verifySignIn(t.db, { email: " Ann@Example.TEST ", password: "right password 1" }, meta, policy);
    expect(outcome).toMatchObject({ ok: true, user: { email: "ann@example.test", role: "admin" } });
    expect(await auditRows()).toEqual([expect.objectContaining({ action: "auth.sign_in", result: "success" })]);
  });

  it("refuses a wrong password with the same answer as an unknown account, and audits both", async () => {
    const wrong = await verifySignIn(t.db, { email: "ann@example.test", password: "nope" }, meta, policy);
    const unknown = await verifySignIn(t.db, { email: "bob@example.test", password: "nope" }, meta, policy);
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
    const rows = await auditRows();
    expect(rows.map((r) => [r.result, JSON.parse(r.details).reason])).toEqual([
      ["failure", "wrong_password"],
      ["failure", "unknown_account"],
    ]);
    expect(rows.map((r) => r.details).join()).not.toContain("nope");
  });

  it("locks the account after repeated failures, even for the right password, then unlocks after the window", async () => {
    const start = new Date("2026-11-21T10:00:00Z");
    for (let i = 0; i < 2; i++) {
      expect(await verifySignIn(t.db, { email: "ann@example.test", password: "bad" }, meta, policy, start)).toMatchObject({ reason: "invalid" });
    }
    expect(await verifySignIn(t.db, { email: "ann@example.test", password: "bad" }, meta, policy, start)).toMatchObject({
      reason: "locked",
      retryAfterMinutes: 15,
    });
    expect(await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy, start)).toMatchObject({
      ok: false,
      reason: "locked",
    });
    const later = new Date(start.getTime() + 16 * 60_000);
    expect(await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy, later)).toMatchObject({ ok: true });
  });

  it("locks an IP that tries many accounts", async () => {
    const now = new Date("2026-11-21T10:00:00Z");
    // per-IP limit is 4× the per-account limit: 12 failures spread over 12 accounts
    for (let i = 0; i < 12; i++) {
      await verifySignIn(t.db, { email: `user${i}@example.test`, password: "x" }, meta, policy, now);
    }
    expect(await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy, now)).toMatchObject({
      reason: "locked",
    });
    // the same account from another IP is not locked
    expect(
      await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, { ...meta, ip: "203.0.113.9" }, policy, now),
    ).toMatchObject({ ok: true });
  });

  it("refuses a deactivated user", async () => {
    await t.db.user.update({ where: { email: "ann@example.test" }, data: { active: false } });
    expect(await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy)).toEqual({
      ok: false,
      reason: "inactive",
    });
  });

  it("treats malformed input as a failed attempt without throwing", async () => {
    for (const input of [null, {}, { email: "x".repeat(500), password: "p" }, { email: "a@b.c", password: 42 }, { email: "'; DROP TABLE User;--", password: "x" }]) {
      expect(await verifySignIn(t.db, input, meta, policy)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await t.db.user.count()).toBe(1);
  });
});
