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

/**
 * Count a failure for each key; lock a key once it reaches its limit within the window.
 *
 * Several console instances count into the same rows at once, so every step is one conditional
 * statement that the database applies atomically (on PostgreSQL the row lock makes a concurrent
 * update re-check its condition): a read-then-write would lose counts, and with them the lock.
 */
export async function recordFailure(db: PrismaClient, keys: string[], now: Date, policy: ThrottlePolicy) {
  const windowMs = policy.lockMinutes * 60_000;
  const windowOpenSince = new Date(now.getTime() - windowMs);
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxFailures * IP_FACTOR : policy.maxFailures;
    await countFailure(db, key, now, windowOpenSince);
    // At or over the limit: (re)lock for a full window from this failure.
    await db.signInThrottle.updateMany({
      where: { key, failures: { gte: limit }, windowStart: { gte: windowOpenSince } },
      data: { lockedUntil: new Date(now.getTime() + windowMs) },
    });
  }
}

async function countFailure(db: PrismaClient, key: string, now: Date, windowOpenSince: Date): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Within the window: one more.
    const counted = await db.signInThrottle.updateMany({ where: { key, windowStart: { gte: windowOpenSince } }, data: { failures: { increment: 1 } } });
    if (counted.count === 1) return;
    // The window has passed: this failure starts a new one (only one concurrent caller can
    // match the old windowStart; the others then count into the new window above).
    const restarted = await db.signInThrottle.updateMany({ where: { key, windowStart: { lt: windowOpenSince } }, data: { failures: 1, windowStart: now, lockedUntil: null } });
    if (restarted.count === 1) return;
    try {
      await db.signInThrottle.create({ data: { key, failures: 1, windowStart: now, lockedUntil: null } });
      return;
    } catch (error) {
      // Another instance created the row a moment ago: count into it.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error(`sign-in throttle: could not count a failure for ${key}`);
}

function isUniqueViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** A successful sign-in clears the account's counter (not the IP's: others may be guessing from it). */
export async function clearFailures(db: PrismaClient, key: string) {
  await db.signInThrottle.deleteMany({ where: { key } });
}
