import { randomUUID } from "node:crypto";
import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isDraining, noteLeaseHeld, noteLeaseReleased } from "@/lib/ops/lifecycle";
import { isUniqueViolation } from "./settings";

/**
 * A database lease: at most one holder per job name until it expires. Shared by every app
 * instance using the database, so a scheduled job runs once however many servers are up. An
 * expired lease (a crashed holder) is taken over by the next caller. On PostgreSQL both steps are
 * safe under concurrency: the UPDATE's row lock makes a second taker re-check the condition after
 * the first commits, and the primary key lets only one create the row (lib/db/instances.pg.test.ts).
 *
 * A process that is shutting down (SIGTERM, lib/ops/shutdown.ts) takes and renews nothing, so
 * its jobs wind down and another instance takes over.
 */
export async function acquireLease(db: PrismaClient, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  if (isDraining()) return false;
  const taken = await takeLease(db, name, holder, ttlMs, now);
  if (taken) noteLeaseHeld(name, holder);
  return taken;
}

async function takeLease(db: PrismaClient, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  // Conditional update: only an expired lease, or our own, can be taken.
  const taken = await db.jobLease.updateMany({
    where: { name, OR: [{ expiresAt: { lt: now } }, { holder }] },
    data: { holder, expiresAt },
  });
  if (taken.count === 1) return true;
  try {
    await db.jobLease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // someone else holds it
    throw error;
  }
}

export async function releaseLease(db: PrismaClient, name: string, holder: string): Promise<void> {
  await db.jobLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(0) } });
  noteLeaseReleased(name, holder);
}

/** How long one lifecycle operation may hold its key: longer than any IAM call chain with retries. */
const KEY_LOCK_TTL_MS = 120_000;

/**
 * Serialise lifecycle operations (enable, disable, reset, delete, clean-up) on one key across
 * every app instance: an operation that reads IAM and writes later must not interleave with
 * another on the same key (a delete that read "Inactive" while an enable made it Active left
 * `state=deleted, status=Active`). The loser is refused with "conflict" rather than queued, so
 * the person sees the other change first. A crashed holder's lock expires after the TTL.
 */
export async function withKeyLock<T>(db: PrismaClient, keyId: string, now: Date, run: () => Promise<T>): Promise<T> {
  const name = `key:${keyId}`;
  const holder = randomUUID();
  if (!(await acquireLease(db, name, holder, KEY_LOCK_TTL_MS, now))) throw new ActionError("conflict");
  try {
    return await run();
  } finally {
    // Delete rather than expire: one row per key would otherwise stay behind for good.
    await db.jobLease.deleteMany({ where: { name, holder } });
  }
}
