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

/** Count a failure for each key; lock a key once it reaches its limit within the window. */
export async function recordFailure(db: PrismaClient, keys: string[], now: Date, policy: ThrottlePolicy): Promise<FailureCount[]> {
  const windowMs = policy.lockMinutes * 60_000;
  const counts: FailureCount[] = [];
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxFailures * IP_FACTOR : policy.maxFailures;
    counts.push(
      await db.$transaction(async (tx) => {
        const row = await tx.signInThrottle.findUnique({ where: { key } });
        const fresh = !row || now.getTime() - row.windowStart.getTime() > windowMs;
        const failures = fresh ? 1 : row.failures + 1;
        const wasLocked = !fresh && !!row.lockedUntil && row.lockedUntil > now;
        const lockedUntil = failures >= limit ? new Date(now.getTime() + windowMs) : fresh ? null : row.lockedUntil;
        // A new window hands the previous window's unaudited count to the entry written now.
        const carriedUnaudited = fresh && row ? row.unaudited : 0;
        await tx.signInThrottle.upsert({
          where: { key },
          create: { key, failures, windowStart: now, lockedUntil },
          update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil, ...(fresh ? { unaudited: 0 } : {}) },
        });
        return { key, failures, lockedNow: failures >= limit && !wasLocked, carriedUnaudited };
      }),
    );
  }
  return counts;
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
