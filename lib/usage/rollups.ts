import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The daily rollups as a recount from the raw events would give them. The sync maintains
 * UsageDaily, UsageDailyModel, UsageDailySubject and UsageMonthlySubject incrementally; these are the reference they
 * must always equal (tests, and a check an operator can run after restoring a backup).
 */
export interface RollupSnapshot {
  full: Record<string, unknown>[];
  model: Record<string, unknown>[];
  subject: Record<string, unknown>[];
  subjectMonth: Record<string, unknown>[];
  api: Record<string, unknown>[];
  apiAll: Record<string, unknown>[];
}

const FULL = ["day", "subject", "identityType", "modelId", "region", "inferenceRegion", "result"] as const;
const MODEL = ["day", "modelId", "result", "identityType", "region", "inferenceRegion"] as const;
const SUBJECT = ["day", "subject", "result", "identityType"] as const;
const SUBJECT_MONTH = ["month", "subject", "result", "identityType"] as const;
const API = ["day", "subject", "identityType", "api", "endpoint", "project", "result"] as const;
const API_ALL = ["day", "api", "endpoint", "identityType", "result"] as const;

export async function recountRollups(db: PrismaClient): Promise<RollupSnapshot> {
  type Column = (typeof FULL)[number] | (typeof API)[number];
  const count = async (by: readonly Column[]) => {
    const groups = await db.usageEvent.groupBy({ by: [...by], _count: { _all: true } });
    return sorted(groups.map(({ _count, ...key }) => ({ ...key, calls: _count._all })), by);
  };
  const subject = await count(SUBJECT);
  // Months from the events' days (the events have no month column): the day counts summed per month.
  const months = new Map<string, Record<string, unknown>>();
  for (const r of subject) {
    const row = { month: String(r.day).slice(0, 7), subject: r.subject, result: r.result, identityType: r.identityType };
    const id = JSON.stringify(row);
    const m = months.get(id) ?? months.set(id, { ...row, calls: 0 }).get(id)!;
    m.calls = (m.calls as number) + (r.calls as number);
  }
  return { full: await count(FULL), model: await count(MODEL), subject, subjectMonth: sorted([...months.values()], SUBJECT_MONTH), api: await count(API), apiAll: await count(API_ALL) };
}

export async function storedRollups(db: PrismaClient): Promise<RollupSnapshot> {
  return {
    full: sorted(await db.usageDaily.findMany(), FULL),
    model: sorted(await db.usageDailyModel.findMany(), MODEL),
    subject: sorted(await db.usageDailySubject.findMany(), SUBJECT),
    subjectMonth: sorted(await db.usageMonthlySubject.findMany(), SUBJECT_MONTH),
    api: sorted(await db.usageDailyApi.findMany(), API),
    apiAll: sorted(await db.usageDailyApiAll.findMany(), API_ALL),
  };
}

function sorted(rows: Record<string, unknown>[], columns: readonly string[]) {
  const key = (r: Record<string, unknown>) => columns.map((c) => String(r[c])).join("\u0000");
  return rows
    .map((r) => Object.fromEntries([...columns, "calls"].map((c) => [c, r[c]])))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
