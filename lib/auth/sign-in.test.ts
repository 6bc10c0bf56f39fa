import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { hashPassword } from "./password";
import { verifySignIn } from "./sign-in";
import { pruneThrottle } from "./throttle";

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
  it("with local sign-in off, refuses every email but break-glass ones before looking at the password", async () => {
    const breakGlassOnly = (email: string) => email === "ann@example.test";
    await t.db.user.create({ data: { email: "bob@example.test", name: "Bob", role: "admin", passwordHash: await hashPassword("right password 2") } });
    const refused = await verifySignIn(t.db, { email: "bob@example.test", password: "right password 2" }, meta, policy, new Date(), (e) => breakGlassOnly(e));
    expect(refused).toEqual({ ok: false, reason: "sso_only" });
    const allowed = await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy, new Date(), (e) => breakGlassOnly(e));
    expect(allowed.ok).toBe(true);
    const rows = await auditRows();
    expect(rows[0]).toMatchObject({ action: "auth.sign_in", result: "failure", actorEmail: "bob@example.test" });
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ reason: "local_signin_off" });
  });

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

  describe("a flood of failed sign-ins adds a bounded number of rows", () => {
    const rows = async () => (await t.db.auditEntry.count()) + (await t.db.signInThrottle.count());
    const start = new Date("2026-11-21T10:00:00Z");

    it("1,000 wrong passwords for one account", async () => {
      for (let i = 0; i < 1000; i++) await verifySignIn(t.db, { email: "ann@example.test", password: `guess ${i}` }, meta, policy, start);
      // Before aggregation: 1,000 audit entries. Now: the first failure, the one that locked, and
      // two counters (account and IP).
      expect(await rows()).toBeLessThanOrEqual(4);
      // Nothing was lost: the right password after the lock reports the attempts counted meanwhile.
      const later = new Date(start.getTime() + 16 * 60_000);
      expect(await verifySignIn(t.db, { email: "ann@example.test", password: "right password 1" }, meta, policy, later)).toMatchObject({ ok: true });
      const success = await t.db.auditEntry.findFirstOrThrow({ where: { result: "success" }, orderBy: { id: "desc" } });
      // 1,000 attempts: the first and the locking one (the third) have entries, 998 were counted.
      expect(JSON.parse(success.details)).toEqual({ earlierUnaudited: 998 });
    });

    it("1,000 malformed requests and 1,000 made-up accounts from one address", async () => {
      for (let i = 0; i < 1000; i++) await verifySignIn(t.db, { email: `not an email ${i}`, password: "x" }, meta, policy, start);
      for (let i = 0; i < 1000; i++) await verifySignIn(t.db, { email: `spray${i}@example.test`, password: "x" }, meta, policy, start);
      // The IP locks after 12 failures; what follows is only counted.
      expect(await rows()).toBeLessThanOrEqual(4);
    });

    it("prunes expired counters, keeping their count in one summary entry", async () => {
      for (let i = 0; i < 5; i++) await verifySignIn(t.db, { email: `someone${i}@example.test`, password: "x" }, { ...meta, ip: `203.0.113.${i}` }, policy, start);
      await verifySignIn(t.db, { email: "someone0@example.test", password: "y" }, { ...meta, ip: "203.0.113.0" }, policy, start);
      expect(await t.db.signInThrottle.count()).toBe(10);
      const later = new Date(start.getTime() + 20 * 60_000);
      expect(await pruneThrottle(t.db, later, policy, true)).toBe(10);
      expect(await t.db.signInThrottle.count()).toBe(0);
      const summary = await t.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign_in_failures" } });
      expect(JSON.parse(summary.details)).toMatchObject({ reason: "aggregated", attempts: 1 });
    });
  });

  it("never records an invalid email verbatim — it may be a pasted secret", async () => {
    const secretish = "ABSK" + "QmVkcm9ja0FQSUtleS1leGFtcGxlLWF0LTEyMzQ1Njc4OTAxMjpmYWtlZmFrZWZha2U=";
    expect(await verifySignIn(t.db, { email: secretish, password: "x" }, meta, policy)).toEqual({ ok: false, reason: "invalid" });
    const entries = await t.db.auditEntry.findMany();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.details)).toEqual({ reason: "invalid_email", fields: ["email"] });
    expect(JSON.stringify(entries)).not.toContain(secretish.slice(4, 30));
    expect(entries[0]!.actorEmail).toBeNull();
    expect(entries[0]!.targetLabel).toBeNull();
  });
});
