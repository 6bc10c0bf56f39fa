import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit } from "@/lib/audit/service";

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
  return (await activeLock(db, keys, now)).minutes;
}

/** The lock that holds longest among the keys (its key, to count attempts on), or minutes 0. */
export async function activeLock(db: PrismaClient, keys: string[], now: Date): Promise<{ minutes: number; key: string | null }> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } }, orderBy: { lockedUntil: "desc" }, take: 1 });
  const row = rows[0];
  if (!row) return { minutes: 0, key: null };
  return { minutes: Math.max(1, Math.ceil((row.lockedUntil!.getTime() - now.getTime()) / 60_000)), key: row.key };
}

export interface FailureCount {
  key: string;
  /** failures in the current window, this one included */
  failures: number;
  /** this failure locked the key */
  lockedNow: boolean;
  /** attempts counted but not audited one by one in the key's previous window (carried into this entry) */
  carriedUnaudited: number;
}

/**
 * Count a failure for each key; lock a key once it reaches its limit within the window.
 *
 * Several console instances count into the same rows at once, so every write is one conditional
 * statement that the database applies atomically (on PostgreSQL the row lock makes a concurrent
 * update re-check its condition): a read-then-write would lose counts, and with them the lock.
 */
export async function recordFailure(db: PrismaClient, keys: string[], now: Date, policy: ThrottlePolicy): Promise<FailureCount[]> {
  const windowMs = policy.lockMinutes * 60_000;
  const windowOpenSince = new Date(now.getTime() - windowMs);
  const counts: FailureCount[] = [];
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxFailures * IP_FACTOR : policy.maxFailures;
    const carriedUnaudited = await countFailure(db, key, now, windowOpenSince);
    const row = await db.signInThrottle.findUnique({ where: { key }, select: { failures: true, lockedUntil: true } });
    const failures = row?.failures ?? 1;
    const wasLocked = !!row?.lockedUntil && row.lockedUntil > now;
    if (failures >= limit) {
      // At or over the limit: (re)lock for a full window from this failure.
      await db.signInThrottle.updateMany({
        where: { key, failures: { gte: limit }, windowStart: { gte: windowOpenSince } },
        data: { lockedUntil: new Date(now.getTime() + windowMs) },
      });
    }
    counts.push({ key, failures, lockedNow: failures >= limit && !wasLocked, carriedUnaudited });
  }
  return counts;
}

/**
 * One more failure on the key's row, atomically. Returns the previous window's unaudited count when
 * this failure starts a new window (it is carried into the audit entry written now), else 0.
 */
async function countFailure(db: PrismaClient, key: string, now: Date, windowOpenSince: Date): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Within the window: one more.
    const counted = await db.signInThrottle.updateMany({ where: { key, windowStart: { gte: windowOpenSince } }, data: { failures: { increment: 1 } } });
    if (counted.count === 1) return 0;
    // The window has passed: this failure starts a new one. The update is conditional on the row
    // as read, so only one concurrent caller restarts it (and carries its unaudited count); the
    // others then count into the new window above.
    const old = await db.signInThrottle.findUnique({ where: { key }, select: { windowStart: true, unaudited: true } });
    if (old) {
      if (old.windowStart >= windowOpenSince) continue; // a new window started meanwhile: count into it
      const restarted = await db.signInThrottle.updateMany({
        where: { key, windowStart: { equals: old.windowStart, lt: windowOpenSince }, unaudited: old.unaudited },
        data: { failures: 1, windowStart: now, lockedUntil: null, unaudited: 0 },
      });
      if (restarted.count === 1) return old.unaudited;
      continue;
    }
    try {
      await db.signInThrottle.create({ data: { key, failures: 1, windowStart: now, lockedUntil: null } });
      return 0;
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

/** An attempt counted on the key's (existing) row instead of getting an audit entry of its own. */
export async function countUnaudited(db: PrismaClient, key: string): Promise<void> {
  await db.signInThrottle.updateMany({ where: { key }, data: { unaudited: { increment: 1 } } });
}

/**
 * A successful sign-in clears the account's counter (not the IP's: others may be guessing from it).
 * Returns how many failed attempts were counted on it without an audit entry of their own.
 */
export async function clearFailures(db: PrismaClient, key: string): Promise<number> {
  const row = await db.signInThrottle.findUnique({ where: { key }, select: { unaudited: true } });
  await db.signInThrottle.deleteMany({ where: { key } });
  return row?.unaudited ?? 0;
}

let lastPrune = 0;
const PRUNE_EVERY_MS = 60_000;

/**
 * Deletes counters whose window has ended and that hold no lock, so a spray of made-up accounts
 * leaves no rows behind. The attempts they counted without an audit entry of their own go into one
 * summary entry per prune. Runs at most once a minute per process (or always with `force`).
 */
export async function pruneThrottle(db: PrismaClient, now: Date, policy: ThrottlePolicy, force = false): Promise<number> {
  if (!force && now.getTime() - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now.getTime();
  const cutoff = new Date(now.getTime() - policy.lockMinutes * 60_000);
  const stale = { windowStart: { lt: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] };
  const { _sum, _count } = await db.signInThrottle.aggregate({ where: { ...stale, unaudited: { gt: 0 } }, _sum: { unaudited: true }, _count: true });
  const { count } = await db.signInThrottle.deleteMany({ where: stale });
  const unaudited = _sum.unaudited ?? 0;
  if (unaudited > 0) {
    await appendAudit(db, { action: "auth.sign_in_failures", result: "failure", details: { reason: "aggregated", attempts: unaudited, counters: _count } }, now);
  }
  return count;
}
