import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface RollupRow {
  day: string;
  subject: string;
  identityType: string;
  modelId: string;
  region: string;
  inferenceRegion: string;
  result: string;
  calls: number;
}

/**
 * The daily rollups as a recount from the raw events would give them, sorted. The sync maintains
 * UsageDaily incrementally; this is the reference it must always equal (tests, and a check an
 * operator can run after restoring a backup).
 */
export async function recountRollups(db: PrismaClient): Promise<RollupRow[]> {
  const groups = await db.usageEvent.groupBy({
    by: ["day", "subject", "identityType", "modelId", "region", "inferenceRegion", "result"],
    _count: { _all: true },
  });
  return sortRollups(groups.map(({ _count, ...key }) => ({ ...key, calls: _count._all })));
}

export async function storedRollups(db: PrismaClient): Promise<RollupRow[]> {
  const rows = await db.usageDaily.findMany();
  return sortRollups(rows);
}

function sortRollups(rows: RollupRow[]): RollupRow[] {
  const key = (r: RollupRow) => [r.day, r.subject, r.modelId, r.region, r.inferenceRegion, r.result].join("\u0000");
  return rows.map((r) => ({ ...r })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Rebuilds UsageDaily from the events in one transaction (for an operator after a restore, and
 * for the dashboard benchmark that loads events in bulk). The sync never needs it.
 */
export async function rebuildRollups(db: PrismaClient): Promise<number> {
  const rows = await recountRollups(db);
  await db.$transaction(async (tx) => {
    await tx.usageDaily.deleteMany({});
    for (let i = 0; i < rows.length; i += 1000) await tx.usageDaily.createMany({ data: rows.slice(i, i + 1000) });
  });
  return rows.length;
}
