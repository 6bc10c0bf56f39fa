import QRCode from "qrcode";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import { accountKey, activeLock, clearFailures, countUnaudited, ipKey, lockedForMinutes, recordFailure, type ThrottlePolicy } from "@/lib/auth/throttle";
import { mfaRequiredFor, type MfaRequirement } from "./policy";
import {
  decryptSecret,
  encryptSecret,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  type MfaKeys,
  newRecoveryCodes,
  newTotpSecret,
  readTicket,
  totpUri,
  verifyTotp,
} from "./crypto";

/**
 * Two-step sign-in for local passwords (issue 13): TOTP enrolment with a QR code, one-time
 * recovery codes (stored hashed), the second step of a password sign-in (throttled and audited
 * like passwords), and an admin's reset. People who sign in through the identity provider get
 * their second factor there.
 */

export const TOTP_ISSUER = "Bedrock Key Console";

export interface MfaStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function mfaStatus(db: PrismaClient, userId: string): Promise<MfaStatus> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { mfaEnabledAt: true } });
  const left = user?.mfaEnabledAt ? await db.mfaRecoveryCode.count({ where: { userId, usedAt: null } }) : 0;
  return { enabled: !!user?.mfaEnabledAt, enabledAt: user?.mfaEnabledAt ?? null, recoveryCodesLeft: left };
}

type Sink = { target(t: { type: string; id?: string | null; label?: string | null }): void; detail(d: Record<string, unknown>): void };

/**
 * Step one of enrolment: a new secret, kept encrypted until a code from it is confirmed. The
 * secret goes to this person's browser only (as a QR code and as text for manual entry); starting
 * again replaces it.
 */
export async function startEnrolment(db: PrismaClient, user: { id: string; email: string }, keys: MfaKeys, sink: Sink) {
  sink.target({ type: "user", id: user.id, label: user.email });
  const row = await db.user.findUnique({ where: { id: user.id }, select: { mfaEnabledAt: true } });
  if (row?.mfaEnabledAt) throw new ActionError("mfaAlreadyOn");
  const secret = newTotpSecret();
  await db.user.update({ where: { id: user.id }, data: { mfaSecret: encryptSecret(keys.secret, secret), mfaLastStep: null } });
  const uri = totpUri(secret, user.email, TOTP_ISSUER);
  return { secret, uri, qr: await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 220 }) };
}

async function replaceRecoveryCodes(db: PrismaClient, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.$transaction([
    db.mfaRecoveryCode.deleteMany({ where: { userId } }),
    db.mfaRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) }),
  ]);
  return codes;
}

const wrongCode = () => new ActionError("mfaWrongCode", {}, { code: { code: "mfaWrongCode" } });

/** Step two: a code from the app proves it holds the secret; two-step sign-in is on, and the recovery codes are shown once. */
export async function confirmEnrolment(db: PrismaClient, user: { id: string; email: string }, code: string, keys: MfaKeys, sink: Sink, now = new Date()) {
  sink.target({ type: "user", id: user.id, label: user.email });
  const row = await db.user.findUnique({ where: { id: user.id }, select: { mfaSecret: true, mfaEnabledAt: true } });
  if (row?.mfaEnabledAt) throw new ActionError("mfaAlreadyOn");
  const secret = row?.mfaSecret ? decryptSecret(keys.secret, row.mfaSecret) : null;
  if (!secret) throw new ActionError("mfaNoEnrolment");
  const step = verifyTotp(secret, code, null, now);
  if (step === null) throw wrongCode();
  // Conditional on still not being enabled: two tabs confirming at once enable it once.
  const { count } = await db.user.updateMany({ where: { id: user.id, mfaEnabledAt: null }, data: { mfaEnabledAt: now, mfaLastStep: step } });
  if (count !== 1) throw new ActionError("mfaAlreadyOn");
  const codes = await replaceRecoveryCodes(db, user.id);
  sink.detail({ recoveryCodes: codes.length });
  return { recoveryCodes: codes };
}

/** Checks a TOTP code (or, where allowed, an unused recovery code) of a signed-in person; consumes it. */
async function checkOwnCode(db: PrismaClient, userId: string, code: string, keys: MfaKeys, allowRecovery: boolean, now: Date): Promise<"totp" | "recovery_code"> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { mfaSecret: true, mfaEnabledAt: true, mfaLastStep: true } });
  if (!row?.mfaEnabledAt) throw new ActionError("mfaNotOn");
  const secret = row.mfaSecret ? decryptSecret(keys.secret, row.mfaSecret) : null;
  if (secret) {
    const step = verifyTotp(secret, code, row.mfaLastStep, now);
    if (step !== null) {
      const { count } = await db.user.updateMany({ where: { id: userId, OR: [{ mfaLastStep: null }, { mfaLastStep: { lt: step } }] }, data: { mfaLastStep: step } });
      if (count === 1) return "totp";
    }
  }
  if (allowRecovery && looksLikeRecoveryCode(code)) {
    const { count } = await db.mfaRecoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code), usedAt: null }, data: { usedAt: now } });
    if (count === 1) return "recovery_code";
  }
  throw wrongCode();
}

/** New recovery codes (the old ones stop working), after a code from the app. */
export async function regenerateRecoveryCodes(db: PrismaClient, user: { id: string; email: string }, code: string, keys: MfaKeys, sink: Sink, now = new Date()) {
  sink.target({ type: "user", id: user.id, label: user.email });
  await checkOwnCode(db, user.id, code, keys, false, now);
  const codes = await replaceRecoveryCodes(db, user.id);
  sink.detail({ recoveryCodes: codes.length });
  return { recoveryCodes: codes };
}

async function clearMfa(db: PrismaClient, userId: string) {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null } }),
    db.mfaRecoveryCode.deleteMany({ where: { userId } }),
  ]);
}

/** Turning it off needs a current code (or a recovery code), and is refused where it is required. */
export async function disableOwnMfa(db: PrismaClient, user: { id: string; email: string; role: string }, code: string, keys: MfaKeys, requirement: MfaRequirement, sink: Sink, now = new Date()) {
  sink.target({ type: "user", id: user.id, label: user.email });
  if (mfaRequiredFor(user.role, requirement)) throw new ActionError("mfaRequired");
  const used = await checkOwnCode(db, user.id, code, keys, true, now);
  await clearMfa(db, user.id);
  sink.detail({ with: used });
}

/**
 * An admin resets someone's two-step sign-in (a lost phone, no recovery codes left). The person
 * signs in with their password alone next time and, where it is required, must enrol again.
 */
export async function resetMfa(db: PrismaClient, actor: { id: string }, targetId: string, sink: Sink) {
  const target = await db.user.findUnique({ where: { id: targetId }, select: { id: true, email: true, mfaEnabledAt: true, mfaSecret: true } });
  if (!target) throw new ActionError("notFound");
  sink.target({ type: "user", id: target.id, label: target.email });
  if (target.id === actor.id) throw new ActionError("mfaResetSelf");
  if (!target.mfaEnabledAt && !target.mfaSecret) throw new ActionError("mfaNotOn");
  await clearMfa(db, target.id);
  sink.detail({ wasEnabled: !!target.mfaEnabledAt });
}

export type SecondStepOutcome =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number }; method: "totp" | "recovery_code" }
  | { ok: false; reason: "expired" | "invalid" | "locked" | "inactive"; retryAfterMinutes?: number };

/**
 * The second step of a password sign-in: the ticket (issued after the password was verified, five
 * minutes, bound to the session version) and a code from the app or a recovery code. Wrong codes
 * count towards the same lockout as wrong passwords (per account and per IP), so a stolen
 * password does not give unlimited guesses; every outcome is audited as auth.sign_in.
 */
export async function verifySecondStep(
  db: PrismaClient,
  input: { ticket?: unknown; code?: unknown },
  keys: MfaKeys,
  meta: { ip: string | null; userAgent: string | null },
  policy: ThrottlePolicy,
  now = new Date(),
): Promise<SecondStepOutcome> {
  const ticket = readTicket(keys.ticket, typeof input.ticket === "string" ? input.ticket : null, now);
  if (!ticket) return { ok: false, reason: "expired" };
  const user = await db.user.findUnique({ where: { id: ticket.u } });
  if (!user || user.sessionVersion !== ticket.v || !user.mfaEnabledAt) return { ok: false, reason: "expired" };
  const keysToCount = [accountKey(user.email), ...(meta.ip ? [ipKey(meta.ip)] : [])];
  const audit = (result: "success" | "failure", details: Record<string, unknown>) =>
    appendAudit(db, { action: "auth.sign_in", result, actorId: user.id, actorEmail: user.email, targetType: "user", targetId: user.id, targetLabel: user.email, ...meta, details: { method: "password", ...details } }, now);

  const lock = await activeLock(db, keysToCount, now);
  if (lock.key) {
    await countUnaudited(db, lock.key);
    return { ok: false, reason: "locked", retryAfterMinutes: lock.minutes };
  }
  if (!user.active) {
    await audit("failure", { reason: "deactivated" });
    return { ok: false, reason: "inactive" };
  }
  const code = typeof input.code === "string" ? input.code.slice(0, 64) : "";
  let method: "totp" | "recovery_code" | null = null;
  try {
    method = await checkOwnCode(db, user.id, code, keys, true, now);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
  }
  if (!method) {
    const counts = await recordFailure(db, keysToCount, now, policy);
    const after = await lockedForMinutes(db, keysToCount, now);
    await audit("failure", { reason: "wrong_mfa_code", lockedNow: counts.some((c) => c.lockedNow) });
    return after > 0 ? { ok: false, reason: "locked", retryAfterMinutes: after } : { ok: false, reason: "invalid" };
  }
  const unaudited = await clearFailures(db, accountKey(user.email));
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  const left = method === "recovery_code" ? await db.mfaRecoveryCode.count({ where: { userId: user.id, usedAt: null } }) : undefined;
  await audit("success", { mfa: method, ...(left !== undefined ? { recoveryCodesLeft: left } : {}), ...(unaudited > 0 ? { earlierUnaudited: unaudited } : {}) });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion }, method };
}
