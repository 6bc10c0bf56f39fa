import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { hashPassword } from "@/lib/auth/password";
import { verifySignIn } from "@/lib/auth/sign-in";
import { ActionError } from "@/lib/actions/errors";
import { decryptSecret, deriveMfaKeys, encryptSecret, readTicket, signTicket, totpCode, verifyTotp, type Ticket } from "./crypto";
import { mustEnrol } from "./policy";
import { confirmEnrolment, disableOwnMfa, regenerateRecoveryCodes, resetMfa, startEnrolment, verifySecondStep } from "./service";

const keys = deriveMfaKeys({ AUTH_SECRET: "x".repeat(40) });
const meta = { ip: "198.51.100.7", userAgent: "vitest" };
const policy = { maxFailures: 5, lockMinutes: 15 };
const PASSWORD = "correct horse battery";
const T0 = new Date("2026-12-05T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function sink() {
  const s = { targets: [] as unknown[], details: {} as Record<string, unknown> };
  return { ...s, target: (t: unknown) => s.targets.push(t), detail: (d: Record<string, unknown>) => Object.assign(s.details, d), get seen() { return s; } };
}

let t: Awaited<ReturnType<typeof createTestDb>>;
let ann: { id: string; email: string; role: string };

beforeEach(async () => {
  t = await createTestDb();
  const row = await t.db.user.create({ data: { email: "ann@example.test", name: "Ann", role: "admin", passwordHash: await hashPassword(PASSWORD) } });
  ann = { id: row.id, email: row.email, role: row.role };
});
afterEach(() => t.cleanup());

/** Enrols Ann at T0; returns her secret and recovery codes. */
async function enrol() {
  const started = await startEnrolment(t.db, ann, keys, sink());
  const { recoveryCodes } = await confirmEnrolment(t.db, ann, totpCode(started.secret, T0), keys, sink(), T0);
  return { secret: started.secret, recoveryCodes };
}

const ticketFor = async (overrides: Partial<Ticket> = {}, now = T0) => {
  const u = await t.db.user.findUniqueOrThrow({ where: { id: ann.id } });
  return signTicket(keys.ticket, { u: u.id, v: u.sessionVersion, e: now.getTime() + 300_000, ...overrides });
};

describe("crypto", () => {
  it("accepts the current code and one step either side, never the same step twice", () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const step = verifyTotp(secret, totpCode(secret, T0), null, T0);
    expect(step).toBe(Math.floor(T0.getTime() / 30_000));
    expect(verifyTotp(secret, totpCode(secret, at(-30)), null, T0)).toBe(step! - 1);
    expect(verifyTotp(secret, totpCode(secret, at(-90)), null, T0)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, T0), step, T0)).toBeNull();
    expect(verifyTotp(secret, "12345", null, T0)).toBeNull();
  });

  it("encrypts secrets so another key (a rotated AUTH_SECRET) or an altered value reads as nothing", () => {
    const sealed = encryptSecret(keys.secret, "JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(decryptSecret(keys.secret, sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(decryptSecret(deriveMfaKeys({ AUTH_SECRET: "y".repeat(40) }).secret, sealed)).toBeNull();
    // Flip one bit of the ciphertext (replacing characters could leave the bytes as they were).
    const [version, iv, tag, data] = sealed.split(".") as [string, string, string, string];
    const altered = Buffer.from(data, "base64url");
    altered[0] = altered[0]! ^ 1;
    expect(decryptSecret(keys.secret, [version, iv, tag, altered.toString("base64url")].join("."))).toBeNull();
    const alteredTag = Buffer.from(tag, "base64url");
    alteredTag[15] = alteredTag[15]! ^ 0x80;
    expect(decryptSecret(keys.secret, [version, iv, alteredTag.toString("base64url"), data].join("."))).toBeNull();
    // MFA_ENCRYPTION_KEY, when set, is what counts (AUTH_SECRET can then rotate).
    const own = deriveMfaKeys({ AUTH_SECRET: "x".repeat(40), MFA_ENCRYPTION_KEY: "k".repeat(40) });
    expect(deriveMfaKeys({ AUTH_SECRET: "z".repeat(40), MFA_ENCRYPTION_KEY: "k".repeat(40) }).secret.equals(own.secret)).toBe(true);
  });

  it("refuses tickets that are forged, altered or expired", () => {
    const value = signTicket(keys.ticket, { u: "u1", v: 0, e: T0.getTime() + 1000 });
    expect(readTicket(keys.ticket, value, T0)).toMatchObject({ u: "u1" });
    expect(readTicket(keys.ticket, value, at(2))).toBeNull();
    const [body, sig] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ u: "admin", v: 0, e: T0.getTime() + 1000 })).toString("base64url");
    expect(readTicket(keys.ticket, `${forged}.${sig}`, T0)).toBeNull();
    expect(readTicket(keys.ticket, `${body}.${sig.slice(1)}`, T0)).toBeNull();
    expect(readTicket(deriveMfaKeys({ AUTH_SECRET: "y".repeat(40) }).ticket, value, T0)).toBeNull();
  });
});

describe("enrolment", () => {
  it("stores the secret encrypted, turns on with a right code, and keeps only hashes of ten recovery codes", async () => {
    const started = await startEnrolment(t.db, ann, keys, sink());
    expect(started.uri).toMatch(/^otpauth:\/\/totp\/Bedrock%20Key%20Console:ann%40example\.test\?/);
    expect(started.qr).toMatch(/^data:image\/png;base64,/);
    let row = await t.db.user.findUniqueOrThrow({ where: { id: ann.id } });
    expect(row.mfaSecret).not.toContain(started.secret);
    expect(row.mfaEnabledAt).toBeNull();

    await expect(confirmEnrolment(t.db, ann, "000000", keys, sink(), T0)).rejects.toMatchObject({ code: "mfaWrongCode" });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: ann.id } })).mfaEnabledAt).toBeNull();

    const s = sink();
    const { recoveryCodes } = await confirmEnrolment(t.db, ann, totpCode(started.secret, T0), keys, s, T0);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(s.seen.details).toEqual({ recoveryCodes: 10 });
    row = await t.db.user.findUniqueOrThrow({ where: { id: ann.id } });
    expect(row.mfaEnabledAt).toEqual(T0);
    const stored = await t.db.mfaRecoveryCode.findMany({ where: { userId: ann.id } });
    expect(stored).toHaveLength(10);
    const everything = JSON.stringify(await t.db.user.findMany()) + JSON.stringify(stored) + JSON.stringify(await t.db.auditEntry.findMany());
    for (const code of [...recoveryCodes, started.secret]) expect(everything).not.toContain(code);

    await expect(startEnrolment(t.db, ann, keys, sink())).rejects.toMatchObject({ code: "mfaAlreadyOn" });
  });

  it("new recovery codes need a current code and void the old ones", async () => {
    const { secret, recoveryCodes } = await enrol();
    await expect(regenerateRecoveryCodes(t.db, ann, recoveryCodes[0]!, keys, sink(), at(60))).rejects.toBeInstanceOf(ActionError);
    const fresh = await regenerateRecoveryCodes(t.db, ann, totpCode(secret, at(60)), keys, sink(), at(60));
    expect(fresh.recoveryCodes).toHaveLength(10);
    const ticket = await ticketFor({}, at(120));
    expect(await verifySecondStep(t.db, { ticket, code: recoveryCodes[1] }, keys, meta, policy, at(120))).toMatchObject({ ok: false, reason: "invalid" });
    expect(await verifySecondStep(t.db, { ticket, code: fresh.recoveryCodes[1] }, keys, meta, policy, at(120))).toMatchObject({ ok: true, method: "recovery_code" });
  });

  it("turning it off needs a code and is refused where it is required", async () => {
    const { secret } = await enrol();
    await expect(disableOwnMfa(t.db, ann, totpCode(secret, at(60)), keys, "admins", sink(), at(60))).rejects.toMatchObject({ code: "mfaRequired" });
    await expect(disableOwnMfa(t.db, ann, "123456", keys, "none", sink(), at(60))).rejects.toMatchObject({ code: "mfaWrongCode" });
    await disableOwnMfa(t.db, ann, totpCode(secret, at(60)), keys, "none", sink(), at(60));
    const row = await t.db.user.findUniqueOrThrow({ where: { id: ann.id } });
    expect(row).toMatchObject({ mfaSecret: null, mfaEnabledAt: null });
    expect(await t.db.mfaRecoveryCode.count()).toBe(0);
  });

  it("an admin resets someone else's, not their own", async () => {
    await enrol();
    const bob = await t.db.user.create({ data: { email: "bob@example.test", name: "Bob", role: "admin", passwordHash: "" } });
    await expect(resetMfa(t.db, ann, ann.id, sink())).rejects.toMatchObject({ code: "mfaResetSelf" });
    await resetMfa(t.db, bob, ann.id, sink());
    expect((await t.db.user.findUniqueOrThrow({ where: { id: ann.id } })).mfaEnabledAt).toBeNull();
    expect(mustEnrol({ role: "admin", mfaEnabledAt: null }, false, "admins")).toBe(true);
    expect(mustEnrol({ role: "admin", mfaEnabledAt: null }, true, "admins")).toBe(false);
    expect(mustEnrol({ role: "lead", mfaEnabledAt: null }, false, "admins")).toBe(false);
    expect(mustEnrol({ role: "lead", mfaEnabledAt: null }, false, "everyone")).toBe(true);
  });
});

describe("sign-in with two steps", () => {
  it("a right password alone is not a sign-in: no success entry, failures are not cleared", async () => {
    await enrol();
    await verifySignIn(t.db, { email: ann.email, password: "wrong password!" }, meta, policy, at(10));
    const out = await verifySignIn(t.db, { email: ann.email, password: PASSWORD }, meta, policy, at(20));
    expect(out).toEqual({ ok: false, reason: "mfa_required", user: { id: ann.id, sessionVersion: 0 } });
    expect(await t.db.auditEntry.count({ where: { action: "auth.sign_in", result: "success" } })).toBe(0);
    expect((await t.db.signInThrottle.findUnique({ where: { key: "account:ann@example.test" } }))?.failures).toBe(1);
  });

  it("a code from the app signs in once; the same code again is refused", async () => {
    const { secret } = await enrol();
    const code = totpCode(secret, at(60));
    const ok = await verifySecondStep(t.db, { ticket: await ticketFor({}, at(60)), code }, keys, meta, policy, at(60));
    expect(ok).toMatchObject({ ok: true, method: "totp", user: { id: ann.id } });
    const entry = await t.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign_in", result: "success" } });
    expect(JSON.parse(entry.details)).toMatchObject({ method: "password", mfa: "totp" });
    expect(JSON.stringify(entry)).not.toContain(code);
    expect(await verifySecondStep(t.db, { ticket: await ticketFor({}, at(61)), code }, keys, meta, policy, at(61))).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("a recovery code works once and the entry says how many are left", async () => {
    const { recoveryCodes } = await enrol();
    const first = await verifySecondStep(t.db, { ticket: await ticketFor(), code: recoveryCodes[3]!.toUpperCase() }, keys, meta, policy, T0);
    expect(first).toMatchObject({ ok: true, method: "recovery_code" });
    const entry = await t.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign_in", result: "success" } });
    expect(JSON.parse(entry.details)).toMatchObject({ mfa: "recovery_code", recoveryCodesLeft: 9 });
    expect(await verifySecondStep(t.db, { ticket: await ticketFor(), code: recoveryCodes[3] }, keys, meta, policy, T0)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("wrong codes lock the account like wrong passwords, and the lock holds for the right code too", async () => {
    const { secret } = await enrol();
    for (let i = 0; i < 4; i++) {
      expect(await verifySecondStep(t.db, { ticket: await ticketFor(), code: "000000" }, keys, meta, policy, at(i))).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(await verifySecondStep(t.db, { ticket: await ticketFor(), code: "000000" }, keys, meta, policy, at(5))).toMatchObject({ ok: false, reason: "locked" });
    expect(await verifySecondStep(t.db, { ticket: await ticketFor(), code: totpCode(secret, at(60)) }, keys, meta, policy, at(60))).toMatchObject({ ok: false, reason: "locked" });
    // …and the password step too: it is the same account's lock.
    expect(await verifySignIn(t.db, { email: ann.email, password: PASSWORD }, meta, policy, at(61))).toMatchObject({ ok: false, reason: "locked" });
    const failures = await t.db.auditEntry.findMany({ where: { action: "auth.sign_in", result: "failure" } });
    expect(failures.map((f) => JSON.parse(f.details).reason)).toContain("wrong_mfa_code");
  });

  it("a ticket from before a password reset, an expired or a forged one is refused before any code is checked", async () => {
    const { secret } = await enrol();
    const old = await ticketFor();
    await t.db.user.update({ where: { id: ann.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await verifySecondStep(t.db, { ticket: old, code: totpCode(secret, T0) }, keys, meta, policy, T0)).toEqual({ ok: false, reason: "expired" });
    expect(await verifySecondStep(t.db, { ticket: await ticketFor({ e: T0.getTime() - 1 }), code: totpCode(secret, T0) }, keys, meta, policy, T0)).toEqual({ ok: false, reason: "expired" });
    expect(await verifySecondStep(t.db, { ticket: "e30.forged", code: totpCode(secret, T0) }, keys, meta, policy, T0)).toEqual({ ok: false, reason: "expired" });
    expect(await t.db.auditEntry.count({ where: { action: "auth.sign_in" } })).toBe(0);
  });

  it("a deactivated person is refused at the second step", async () => {
    const { secret } = await enrol();
    const ticket = await ticketFor();
    await t.db.user.update({ where: { id: ann.id }, data: { active: false } });
    expect(await verifySecondStep(t.db, { ticket, code: totpCode(secret, at(30)) }, keys, meta, policy, at(30))).toMatchObject({ ok: false, reason: "inactive" });
  });
});
