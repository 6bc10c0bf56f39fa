import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit } from "@/lib/audit/service";
import { dummyPasswordHash, PASSWORD_MAX, verifyPassword } from "./password";
import { accountKey, activeLock, clearFailures, countUnaudited, ipKey, lockedForMinutes, pruneThrottle, recordFailure, type ThrottlePolicy } from "./throttle";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254).email(),
  password: z.string().min(1).max(PASSWORD_MAX),
});

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string; role: string; sessionVersion: number; locale: string } }
  | { ok: false; reason: "invalid" | "locked" | "inactive" | "sso_only"; retryAfterMinutes?: number }
  /** The password is right and the account uses two-step sign-in: lib/mfa's second step decides. */
  | { ok: false; reason: "mfa_required"; user: { id: string; sessionVersion: number } };

/**
 * Verify credentials with per-account and per-IP lockout, and audit the attempt either way.
 * Never logs or audits the password; an unknown email costs the same time as a wrong password.
 *
 * Failures are audited in aggregate, so a client hammering the sign-in cannot grow the audit log
 * (or the throttle table) without bound: the first failure of an account (or, for malformed input,
 * of an IP) in a window gets an entry, and so does the failure that locks it; the others — and
 * every attempt against a lock — are counted on the throttle row and reported in the next entry
 * for that key ("earlierUnaudited"), in the success entry, or in one summary entry when the
 * counter is pruned. An email that is not a valid address is never recorded verbatim.
 */
export async function verifySignIn(
  db: PrismaClient,
  input: unknown,
  meta: { ip: string | null; userAgent: string | null },
  policy: ThrottlePolicy,
  now: Date = new Date(),
  /** LOCAL_SIGNIN=off: only break-glass emails may use a password (lib/auth/auth.ts). */
  localAllowed: (email: string) => boolean = () => true,
): Promise<SignInOutcome> {
  const parsed = signInSchema.safeParse(input);
  const email = parsed.success ? parsed.data.email : null;
  const keys = [...(email ? [accountKey(email)] : []), ...(meta.ip ? [ipKey(meta.ip)] : [])];
  const audit = (result: "success" | "failure", details: Record<string, unknown>, actorId: string | null = null) =>
    appendAudit(
      db,
      { action: "auth.sign_in", result, actorId, actorEmail: email, targetType: "user", targetId: actorId, targetLabel: email, ...meta, details },
      now,
    );

  await pruneThrottle(db, now, policy);
  // The key an attempt is counted on when it gets no entry of its own: the account, or the IP.
  const primaryKey = email ? accountKey(email) : meta.ip ? ipKey(meta.ip) : null;

  // Attempts against a lock are counted on the locking row: never a new row, never an entry.
  const lock = await activeLock(db, keys, now);
  if (lock.key) {
    await countUnaudited(db, lock.key);
    return { ok: false, reason: "locked", retryAfterMinutes: lock.minutes };
  }
  /** Audit a failure if it is the first of its window or the one that locks; else count it. */
  const auditFailure = async (counts: Awaited<ReturnType<typeof recordFailure>>, details: Record<string, unknown>, actorId: string | null = null) => {
    const primary = counts.find((c) => c.key === primaryKey);
    const notable = !primary || primary.failures === 1 || counts.some((c) => c.lockedNow);
    if (!notable) return countUnaudited(db, primaryKey!);
    const carried = primary?.carriedUnaudited ?? 0;
    await audit("failure", { ...details, ...(carried > 0 ? { earlierUnaudited: carried } : {}) }, actorId);
  };
  if (!parsed.success || !email) {
    const counts = await recordFailure(db, keys, now, policy);
    // Which field was wrong, never what was typed: an "email" may be a pasted secret.
    const fields = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "form")))];
    await auditFailure(counts, { reason: fields.includes("email") ? "invalid_email" : "invalid_input", fields });
    return { ok: false, reason: "invalid" };
  }

  if (!localAllowed(email)) {
    // Refused before any password check (the policy is the same for every account, so this
    // reveals nothing), but counted like a failure so it cannot be used to grow the audit log.
    const counts = await recordFailure(db, keys, now, policy);
    await auditFailure(counts, { reason: "local_signin_off" });
    return { ok: false, reason: "sso_only" };
  }
  const user = await db.user.findUnique({ where: { email } });
  // People created by SSO have no password ("" never verifies); the dummy hash keeps the time the same.
  const passwordOk = await verifyPassword(parsed.data.password, user?.passwordHash || (await dummyPasswordHash()));
  if (!user || !passwordOk) {
    const counts = await recordFailure(db, keys, now, policy);
    const after = await lockedForMinutes(db, keys, now);
    await auditFailure(counts, { reason: !user ? "unknown_account" : user.passwordHash ? "wrong_password" : "no_password", lockedNow: after > 0 }, user?.id ?? null);
    return after > 0 ? { ok: false, reason: "locked", retryAfterMinutes: after } : { ok: false, reason: "invalid" };
  }
  if (!user.active) {
    await audit("failure", { reason: "deactivated" }, user.id);
    return { ok: false, reason: "inactive" };
  }

  if (user.mfaEnabledAt) {
    // Not a sign-in yet: the counters stay (a right password must not clear the failures of wrong
    // codes, or a stolen password would give unlimited guesses), and the outcome of the second
    // step is what gets audited.
    return { ok: false, reason: "mfa_required", user: { id: user.id, sessionVersion: user.sessionVersion } };
  }

  const unaudited = await clearFailures(db, accountKey(email));
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  await audit("success", unaudited > 0 ? { earlierUnaudited: unaudited } : {}, user.id);
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion, locale: user.locale },
  };
}
