import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface ThrottlePolicy {
  /** failures per account within the window before the account is locked */
  maxFailures: number;
  lockMinutes: number;
}

// One IP may try several accounts (a shared office NAT), so it gets more room than one account.
const IP_FACTOR = 4;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Minutes until the later of the account/IP locks ends, or 0 when neither is locked. */
export async function lockedForMinutes(db: PrismaClient, keys: string[], now: Date): Promise<number> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } } });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()));
  return until > 0 ? Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) : 0;
}

/** Count a failure for each key; lock a key once it reaches its limit within the window. */
export async function recordFailure(db: PrismaClient, keys: string[], now: Date, policy: ThrottlePolicy) {
  const windowMs = policy.lockMinutes * 60_000;
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxFailures * IP_FACTOR : policy.maxFailures;
    await db.$transaction(async (tx) => {
      const row = await tx.signInThrottle.findUnique({ where: { key } });
      const fresh = !row || now.getTime() - row.windowStart.getTime() > windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= limit ? new Date(now.getTime() + windowMs) : fresh ? null : row.lockedUntil;
      await tx.signInThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart: now, lockedUntil },
        update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil },
      });
    });
  }
}

/** A successful sign-in clears the account's counter (not the IP's: others may be guessing from it). */
export async function clearFailures(db: PrismaClient, key: string) {
  await db.signInThrottle.deleteMany({ where: { key } });
}
