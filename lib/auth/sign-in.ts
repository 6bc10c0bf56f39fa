import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit } from "@/lib/audit/service";
import { dummyPasswordHash, PASSWORD_MAX, verifyPassword } from "./password";
import { accountKey, clearFailures, ipKey, lockedForMinutes, recordFailure, type ThrottlePolicy } from "./throttle";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254).email(),
  password: z.string().min(1).max(PASSWORD_MAX),
});

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string; role: string; sessionVersion: number; locale: string } }
  | { ok: false; reason: "invalid" | "locked" | "inactive"; retryAfterMinutes?: number };

/**
 * Verify credentials with per-account and per-IP lockout, and audit the attempt either way.
 * Never logs or audits the password; an unknown email costs the same time as a wrong password.
 */
export async function verifySignIn(
  db: PrismaClient,
  input: unknown,
  meta: { ip: string | null; userAgent: string | null },
  policy: ThrottlePolicy,
  now: Date = new Date(),
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

  const lockedMinutes = await lockedForMinutes(db, keys, now);
  if (lockedMinutes > 0) {
    await audit("failure", { reason: "locked" });
    return { ok: false, reason: "locked", retryAfterMinutes: lockedMinutes };
  }
  if (!parsed.success || !email) {
    await recordFailure(db, keys, now, policy);
    await audit("failure", { reason: "invalid_input" });
    return { ok: false, reason: "invalid" };
  }

  const user = await db.user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk) {
    await recordFailure(db, keys, now, policy);
    const after = await lockedForMinutes(db, keys, now);
    await audit("failure", { reason: user ? "wrong_password" : "unknown_account", lockedNow: after > 0 }, user?.id ?? null);
    return after > 0 ? { ok: false, reason: "locked", retryAfterMinutes: after } : { ok: false, reason: "invalid" };
  }
  if (!user.active) {
    await audit("failure", { reason: "deactivated" }, user.id);
    return { ok: false, reason: "inactive" };
  }

  await clearFailures(db, accountKey(email));
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  await audit("success", {}, user.id);
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion, locale: user.locale },
  };
}
