import type { PrismaClient } from "@/lib/generated/prisma/client";

const DAY_MS = 86_400_000;

/**
 * Deletes usage events (and their raw CloudTrail records) older than `retentionDays`, a batch at
 * a time so that no statement holds locks or grows the journal for long, and so that instances
 * serving pages meanwhile are never blocked for more than one batch. The daily rollups, subjects
 * and source addresses are kept: charts of older periods stay as they were; only the per-call
 * drill-down of those days is gone. The audit log is never pruned here or anywhere.
 */
export async function pruneUsageEvents(
  db: PrismaClient,
  now: Date,
  retentionDays: number,
  options: { batchSize?: number; shouldStop?: () => boolean } = {},
): Promise<{ deleted: number; batches: number; cutoff: Date }> {
  const batchSize = options.batchSize ?? 5_000;
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  let batches = 0;
  for (;;) {
    if (options.shouldStop?.()) break;
    const rows = await db.usageEvent.findMany({ where: { eventTime: { lt: cutoff } }, orderBy: { id: "asc" }, take: batchSize, select: { id: true } });
    if (rows.length === 0) break;
    await db.$transaction([
      db.usageEventRaw.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } }),
      db.usageEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } }),
    ]);
    deleted += rows.length;
    batches++;
    if (rows.length < batchSize) break;
  }
  return { deleted, batches, cutoff };
}
