import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { monthPlan } from "@/lib/cost/ranges";
import { groupCounts, groupSums, readRows, where as sqlWhere } from "@/lib/db/read";
import { dailyEventCounts, dailyGroupSums, dayVersions, type DayVersions, eventsOnDays, rangeGroupSums } from "./daily-cache";
import { describeSubjects, type SubjectInfo } from "./directory";
import { dayRange, type DayRange, EVENTS_PAGE_SIZE, type UsageFilters } from "./filters";
import { effectiveSubjects, type Viewer } from "./scope";
import { describeSelected } from "./subject-search";

/**
 * The /usage page's data. Charts read the daily rollups (a few rows per key, model and day, so
 * 90 days stay fast at millions of events); the events table and drill-down read events. Every
 * query carries the viewer's scope as a subject filter (scope.ts).
 */

/** Models shown as their own series in "calls per day"; the rest are summed as "other". */
export const MAX_MODEL_SERIES = 8;
export const OTHER_SERIES = "__other";
const TOP_SUBJECTS = 10;

export interface UsageOverview {
  range: DayRange;
  totals: { calls: number; errors: number; subjects: number; models: number };
  /** Every model with calls in the range (under the other filters), for the filter's choices. */
  models: string[];
  /** Models in the order of their series (largest first), OTHER_SERIES last if present. */
  series: string[];
  /** One row per day: `calls`, `errors` and one count per series. */
  days: ({ day: string; calls: number; errors: number } & Record<string, number | string>)[];
  top: (SubjectInfo & { calls: number; errors: number })[];
  regions: { region: string; calls: number; errors: number }[];
  inferenceRegions: { region: string; calls: number }[];
  /** Calls by the door they came through (issue 19), largest first. */
  apis: { api: string; endpoint: string; calls: number; errors: number }[];
}

type Where = { subjects: string[] | null; range: DayRange; filters: UsageFilters };

export async function resolveWhere(db: PrismaClient, viewer: Viewer, filters: UsageFilters, now: Date): Promise<Where> {
  return { subjects: await effectiveSubjects(db, viewer, filters), range: dayRange(filters, now), filters };
}

export function eventWhere({ subjects, range, filters: f }: Where): Prisma.UsageEventWhereInput {
  return {
    eventTime: { gte: range.from, lt: range.toExclusive },
    ...(subjects ? { subject: { in: subjects } } : {}),
    ...(f.model ? { modelId: f.model } : {}),
    ...(f.region ? { region: f.region } : {}),
    ...(f.identity ? { identityType: f.identity } : {}),
    ...(f.result ? { result: f.result } : {}),
    ...(f.api ? { api: f.api } : {}),
  };
}

/**
 * Each chart reads the smallest rollup that has every dimension it groups by and filters on:
 * without a subject restriction (an admin, no team or key filter) the per-model rollup has no
 * subject dimension at all; without a model or region filter, "top keys" reads the per-subject
 * rollup. Otherwise the full-grain rollup, narrowed by its (subject, day) index.
 */
export async function usageOverview(
  db: PrismaClient,
  where: Where,
  // The charts read the rollups day by day through this process's cache (./daily-cache.ts): only
  // the days changed since an earlier view are read again. The page reads the versions once.
  versions: Promise<DayVersions> = dayVersions(db, "usage", where.range.fromDay, where.range.toDay),
): Promise<UsageOverview> {
  // The door is not a dimension of the model and subject rollups: filtered by it, the charts count
  // the events themselves (narrowed by their eventTime indexes), day by day through the same cache.
  if (where.filters.api) return overviewFromEvents(db, where, versions);
  const bySubjectOnly = !where.filters.model && !where.filters.region;
  // Started together: on PostgreSQL they run side by side on the pool's connections, on SQLite on
  // the reader connections of lib/db/read.ts (off the event loop).
  const [byDayModel, bySubject, byRegion, byApi] = await Promise.all([
    rollupGroups(db, where, versions, ["day", "modelId", "result"]),
    bySubjectOnly ? callsBySubject(db, where) : rollupGroups(db, where, versions, ["subject", "result"], "UsageDaily").then(subjectCalls),
    rollupGroups(db, where, versions, ["region", "inferenceRegion", "result"]),
    apiBreakdown(db, where, versions),
  ]);
  return assemble(db, where, byDayModel, bySubject, byRegion, byApi);
}

type Sum = { _sum: { calls: number | null } };

/**
 * Calls grouped by some columns from the smallest rollup that has them: UsageDailyModel (no
 * subject dimension) when the view is not narrowed to subjects, UsageDaily (narrowed by its
 * covering (subject, day, …) indexes) otherwise — every filter but the door (a dimension of
 * neither). Day by day through the cache, unless grouped by subject.
 */
async function rollupGroups<B extends "day" | "modelId" | "result" | "region" | "inferenceRegion" | "subject">(
  db: PrismaClient,
  { subjects, range, filters: f }: Where,
  versions: Promise<DayVersions>,
  by: B[],
  table: "UsageDaily" | "UsageDailyModel" = subjects === null ? "UsageDailyModel" : "UsageDaily",
): Promise<(Record<B, string> & Sum)[]> {
  const conditions = [
    subjects !== null && sqlWhere.in("subject", subjects),
    !!f.model && sqlWhere.eq("modelId", f.model),
    !!f.region && sqlWhere.eq("region", f.region),
    !!f.identity && sqlWhere.eq("identityType", f.identity),
    !!f.result && sqlWhere.eq("result", f.result),
  ];
  // Per subject (the "top" list under a model or region filter) a day-by-day copy would be a row per
  // subject and day — 450,000 for an admin's 90 days at 5,000 keys — instead of one per subject:
  // that grouping is kept as the range but its last day, plus its last day (rangeGroupSums).
  const rows = by.includes("subject" as B)
    ? await rangeGroupSums(db, ["usage", table, by], versions, conditions, range.days, by, ["calls"], (first, last) =>
        groupSums(db, table, by, ["calls"], [sqlWhere.between("day", first, last), ...conditions]),
      )
    : await dailyGroupSums(db, "usage", versions, table, by.filter((b) => b !== "day"), ["calls"], conditions, range.days);
  return rows.map(({ calls, ...keys }) => ({ ...(keys as unknown as Record<B, string>), _sum: { calls } }));
}

/** Calls and errors per subject, for "top keys and people": the largest (ties at the cut included) and how many subjects had calls. */
type SubjectCalls = { rows: { subject: string; calls: number; errors: number }[]; count: number };

/**
 * "Top keys and people" over the range, from UsageMonthlySubject plus or minus the range's edge
 * days from UsageDailySubject (lib/cost/ranges.ts): the same counts as grouping every day of the
 * range, from a fraction of the rows (at 5,000 keys calling most days, 90 days are ~340,000 daily
 * rows). One statement, the same SQL on SQLite and PostgreSQL; subtracted days enter negated.
 * The database sums per subject and returns only the subjects with at least the 10th largest
 * count (so ties at the cut are all there for assemble's own ordering) and how many subjects had
 * calls: a dozen rows instead of one per subject and result (10,000 for an admin at 5,000 keys,
 * each turned into an object and sorted in the process).
 */
async function callsBySubject(db: PrismaClient, where: Where): Promise<SubjectCalls> {
  const { subjects, range, filters: f } = where;
  if (subjects && subjects.length === 0) return { rows: [], count: 0 };
  const plan = monthPlan(range.fromDay, range.toDay, new Date().toISOString().slice(0, 10));
  const narrow = Prisma.sql`${f.identity ? Prisma.sql` AND "identityType" = ${f.identity}` : Prisma.empty}${f.result ? Prisma.sql` AND "result" = ${f.result}` : Prisma.empty}${
    subjects ? Prisma.sql` AND "subject" IN (${Prisma.join(subjects)})` : Prisma.empty
  }`;
  const parts = [
    ...(plan.months.length ? [Prisma.sql`SELECT "subject", "result", "calls" FROM "UsageMonthlySubject" WHERE "month" IN (${Prisma.join(plan.months)})${narrow}`] : []),
    ...(plan.plusDays.length ? [Prisma.sql`SELECT "subject", "result", "calls" FROM "UsageDailySubject" WHERE "day" IN (${Prisma.join(plan.plusDays)})${narrow}`] : []),
    ...(plan.minusDays.length ? [Prisma.sql`SELECT "subject", "result", -"calls" FROM "UsageDailySubject" WHERE "day" IN (${Prisma.join(plan.minusDays)})${narrow}`] : []),
  ];
  if (parts.length === 0) return { rows: [], count: 0 };
  const rows = await readRows<{ subject: string; calls: unknown; errors: unknown; n: unknown }>(db, Prisma.sql`
    WITH "bySubject" AS MATERIALIZED (
      SELECT "subject", SUM("calls") AS "calls", SUM(CASE WHEN "result" = 'error' THEN "calls" ELSE 0 END) AS "errors"
      FROM (${Prisma.join(parts, " UNION ALL ")}) AS "ranged"
      GROUP BY "subject" HAVING SUM("calls") > 0
    )
    SELECT "subject", "calls", "errors", (SELECT COUNT(*) FROM "bySubject") AS "n" FROM "bySubject"
    WHERE "calls" >= COALESCE((SELECT "calls" FROM "bySubject" ORDER BY "calls" DESC LIMIT 1 OFFSET ${TOP_SUBJECTS - 1}), 0)`);
  // PostgreSQL's SUM and COUNT of integers are bigints.
  return { rows: rows.map((r) => ({ subject: r.subject, calls: Number(r.calls), errors: Number(r.errors) })), count: Number(rows[0]?.n ?? 0) };
}

/** Per-subject counts from rows per subject and result (the full-grain rollup or the events), every subject. */
function subjectCalls(rows: ({ subject: string; result: string } & Sum)[]): SubjectCalls {
  const bySubject = new Map<string, { subject: string; calls: number; errors: number }>();
  for (const g of rows) {
    const s = bySubject.get(g.subject) ?? bySubject.set(g.subject, { subject: g.subject, calls: 0, errors: 0 }).get(g.subject)!;
    s.calls += g._sum.calls ?? 0;
    if (g.result === "error") s.errors += g._sum.calls ?? 0;
  }
  return { rows: [...bySubject.values()], count: bySubject.size };
}

/** Calls by door: the door rollups unless a model or region filter needs the events' own columns. */
async function apiBreakdown(db: PrismaClient, where: Where, versions: Promise<DayVersions>) {
  const { range, subjects, filters: f } = where;
  const by = ["api", "endpoint", "result"] as const;
  if (f.model || f.region) {
    const rows = await dailyEventCounts(db, versions, by, eventConditions(where), range.days);
    return rows.map(({ calls, api, endpoint, result }) => ({ api, endpoint, result, _sum: { calls } }));
  }
  const conditions = [subjects !== null && sqlWhere.in("subject", subjects), !!f.identity && sqlWhere.eq("identityType", f.identity), !!f.result && sqlWhere.eq("result", f.result)];
  const rows = await dailyGroupSums(db, "usage", versions, subjects === null ? "UsageDailyApiAll" : "UsageDailyApi", by, ["calls"], conditions, range.days);
  return rows.map(({ calls, api, endpoint, result }) => ({ api, endpoint, result, _sum: { calls } }));
}

/** eventWhere's conditions but the time range, for the events counted day by day (dailyEventCounts). */
function eventConditions({ subjects, filters: f }: Where) {
  return [
    subjects !== null && sqlWhere.in("subject", subjects),
    !!f.model && sqlWhere.eq("modelId", f.model),
    !!f.region && sqlWhere.eq("region", f.region),
    !!f.identity && sqlWhere.eq("identityType", f.identity),
    !!f.result && sqlWhere.eq("result", f.result),
    !!f.api && sqlWhere.eq("api", f.api),
  ];
}

/**
 * The overview for one door: every chart from the events of that door, day by day through the
 * cache — but the per-subject counts, kept as rollupGroups keeps them (the range but its last day,
 * and its last day). Off the event loop on SQLite, like the rollups' reads.
 */
async function overviewFromEvents(db: PrismaClient, where: Where, versions: Promise<DayVersions>): Promise<UsageOverview> {
  const conditions = eventConditions(where);
  const sum = <T extends { calls: number }>(rows: T[]) => rows.map(({ calls, ...rest }) => ({ ...rest, _sum: { calls } }));
  const [byDayModel, bySubject, byRegion, byApi] = await Promise.all([
    dailyEventCounts(db, versions, ["modelId", "result"], conditions, where.range.days).then(sum),
    rangeGroupSums(db, ["usage", "UsageEvent", "count"], versions, conditions, where.range.days, ["subject", "result"], ["calls"], (first, last) =>
      groupCounts(db, "UsageEvent", ["subject", "result"], "calls", [eventsOnDays(first, last), ...conditions]),
    ).then((rows) => subjectCalls(sum(rows))),
    dailyEventCounts(db, versions, ["region", "inferenceRegion", "result"], conditions, where.range.days).then(sum),
    dailyEventCounts(db, versions, ["api", "endpoint", "result"], conditions, where.range.days).then(sum),
  ]);
  return assemble(db, where, byDayModel, bySubject, byRegion, byApi);
}

async function assemble(
  db: PrismaClient,
  where: Where,
  byDayModel: ({ day: string; modelId: string; result: string } & Sum)[],
  bySubject: SubjectCalls,
  byRegion: ({ region: string; inferenceRegion: string; result: string } & Sum)[],
  byApi: ({ api: string; endpoint: string; result: string } & Sum)[],
): Promise<UsageOverview> {

  const modelTotals = new Map<string, number>();
  for (const g of byDayModel) modelTotals.set(g.modelId, (modelTotals.get(g.modelId) ?? 0) + (g._sum.calls ?? 0));
  const ranked = [...modelTotals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
  const shown = new Set(ranked.slice(0, ranked.length > MAX_MODEL_SERIES ? MAX_MODEL_SERIES - 1 : MAX_MODEL_SERIES));
  const series = [...shown, ...(ranked.length > shown.size ? [OTHER_SERIES] : [])];

  const days = new Map(where.range.days.map((day) => [day, { day, calls: 0, errors: 0, ...Object.fromEntries(series.map((s) => [s, 0])) } as UsageOverview["days"][number]]));
  let calls = 0;
  let errors = 0;
  for (const g of byDayModel) {
    const row = days.get(g.day);
    const n = g._sum.calls ?? 0;
    calls += n;
    if (g.result === "error") errors += n;
    if (!row) continue;
    const s = shown.has(g.modelId) ? g.modelId : OTHER_SERIES;
    row[s] = (row[s] as number) + n;
    row.calls += n;
    if (g.result === "error") row.errors += n;
  }

  const topList = [...bySubject.rows].sort((a, b) => b.calls - a.calls || (a.subject < b.subject ? -1 : 1)).slice(0, TOP_SUBJECTS);
  const info = await describeSubjects(db, topList.map((s) => s.subject));

  const regions = new Map<string, { region: string; calls: number; errors: number }>();
  const inference = new Map<string, number>();
  for (const g of byRegion) {
    const n = g._sum.calls ?? 0;
    const r = regions.get(g.region) ?? { region: g.region, calls: 0, errors: 0 };
    r.calls += n;
    if (g.result === "error") r.errors += n;
    regions.set(g.region, r);
    if (g.inferenceRegion) inference.set(g.inferenceRegion, (inference.get(g.inferenceRegion) ?? 0) + n);
  }

  const apis = new Map<string, { api: string; endpoint: string; calls: number; errors: number }>();
  for (const g of byApi) {
    const id = `${g.endpoint}\u0000${g.api}`;
    const a = apis.get(id) ?? { api: g.api, endpoint: g.endpoint, calls: 0, errors: 0 };
    a.calls += g._sum.calls ?? 0;
    if (g.result === "error") a.errors += g._sum.calls ?? 0;
    apis.set(id, a);
  }

  return {
    range: where.range,
    apis: [...apis.values()].sort((a, b) => b.calls - a.calls || (a.api < b.api ? -1 : 1)),
    totals: { calls, errors, subjects: bySubject.count, models: modelTotals.size },
    models: [...modelTotals.keys()].sort(),
    series,
    days: [...days.values()],
    top: topList.map(({ subject, calls, errors }) => ({ ...info.get(subject)!, calls, errors })),
    regions: [...regions.values()].sort((a, b) => b.calls - a.calls),
    inferenceRegions: [...inference.entries()].map(([region, n]) => ({ region, calls: n })).sort((a, b) => b.calls - a.calls),
  };
}

export const eventListSelect = {
  id: true,
  eventId: true,
  eventTime: true,
  region: true,
  inferenceRegion: true,
  eventName: true,
  modelId: true,
  identityType: true,
  principalName: true,
  subject: true,
  sourceIp: true,
  userAgent: true,
  errorCode: true,
  result: true,
  api: true,
  endpoint: true,
  project: true,
} as const satisfies Prisma.UsageEventSelect;

export interface EventListItem {
  /** The row id: the drill-down's ?event=. */
  ref: number;
  eventId: string;
  eventTime: string;
  region: string;
  inferenceRegion: string;
  eventName: string;
  modelId: string;
  identityType: string;
  who: SubjectInfo;
  sourceIp: string;
  userAgent: string;
  errorCode: string | null;
  api: string;
  endpoint: string;
  project: string;
}

/**
 * One page of events, newest first. `total` is the overview's count for the same filters (every
 * filter is a rollup dimension), so paging never counts millions of rows.
 */
export async function listEvents(db: PrismaClient, where: Where, page: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / EVENTS_PAGE_SIZE));
  const rows = await db.usageEvent.findMany({
    where: eventWhere(where),
    // The unique (eventTime, eventId) index's own order, read backwards: no sort, however deep the page.
    orderBy: [{ eventTime: "desc" }, { eventId: "desc" }],
    skip: (Math.min(page, pages) - 1) * EVENTS_PAGE_SIZE,
    take: EVENTS_PAGE_SIZE,
    select: eventListSelect,
  });
  const info = await describeSubjects(db, rows.map((r) => r.subject));
  const items: EventListItem[] = rows.map((r) => ({
    ref: r.id,
    eventId: r.eventId,
    eventTime: r.eventTime.toISOString(),
    region: r.region,
    inferenceRegion: r.inferenceRegion,
    eventName: r.eventName,
    modelId: r.modelId,
    identityType: r.identityType,
    who: info.get(r.subject)!,
    sourceIp: r.sourceIp,
    userAgent: r.userAgent,
    errorCode: r.errorCode,
    api: r.api,
    endpoint: r.endpoint,
    project: r.project,
  }));
  return { total, page: Math.min(page, pages), pages, rows: items };
}

export interface EventDetail extends EventListItem {
  principalArn: string;
  principalName: string;
  sourceIdentity: string | null;
  accessKeyId: string | null;
  errorMessage: string | null;
  /** The CloudTrail record, pretty-printed. */
  raw: string | null;
}

/** One event for the drill-down, or null when it does not exist or is outside the viewer's scope. */
export async function getEvent(db: PrismaClient, viewer: Viewer, ref: number): Promise<EventDetail | null> {
  const subjects = await effectiveSubjects(db, viewer, {});
  const row = await db.usageEvent.findFirst({
    where: { id: ref, ...(subjects ? { subject: { in: subjects } } : {}) },
    select: { ...eventListSelect, principalArn: true, sourceIdentity: true, accessKeyId: true, errorMessage: true },
  });
  if (!row) return null;
  const [raw, info] = await Promise.all([db.usageEventRaw.findUnique({ where: { id: row.id } }), describeSubjects(db, [row.subject])]);
  let pretty: string | null = null;
  if (raw) {
    try {
      pretty = JSON.stringify(JSON.parse(raw.json), null, 2);
    } catch {
      pretty = raw.json;
    }
  }
  return {
    ref: row.id,
    eventId: row.eventId,
    eventTime: row.eventTime.toISOString(),
    region: row.region,
    inferenceRegion: row.inferenceRegion,
    eventName: row.eventName,
    modelId: row.modelId,
    identityType: row.identityType,
    who: info.get(row.subject)!,
    sourceIp: row.sourceIp,
    userAgent: row.userAgent,
    errorCode: row.errorCode,
    api: row.api,
    endpoint: row.endpoint,
    project: row.project,
    principalArn: row.principalArn,
    principalName: row.principalName,
    sourceIdentity: row.sourceIdentity,
    accessKeyId: row.accessKeyId,
    errorMessage: row.errorMessage,
    raw: pretty,
  };
}

/**
 * What the filter form offers: only teams, keys, people, models and regions within the viewer's
 * scope. Models come from the overview just computed; only with a model filter set (the
 * overview then knows just that one) are they read again, day by day through the cache.
 */
export async function filterOptions(
  db: PrismaClient,
  viewer: Viewer,
  where: Where,
  overviewModels: string[],
  regions: readonly string[],
  /** The days' versions the overview read (usageOverview's), for the model list under a model filter. */
  versions: Promise<DayVersions>,
) {
  const { subjects, range } = where;
  const [teams, selected, models] = await Promise.all([
    viewer.role === "developer"
      ? Promise.resolve([])
      : db.team.findMany({ where: viewer.role === "admin" ? {} : { id: { in: viewer.ledTeamIds } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    // The keys and people are not listed here: the filter searches them (/usage/subjects) as one
    // types. Only the one filtered on is named, for the filter to show.
    describeSelected(db, viewer, where.filters.who),
    !where.filters.model
      ? Promise.resolve(overviewModels)
      : dailyGroupSums(db, "usage", versions, subjects === null ? "UsageDailyModel" : "UsageDaily", ["modelId"], ["calls"], [subjects !== null && sqlWhere.in("subject", subjects)], range.days).then(
          (rows) => new Set(rows.map((r) => r.modelId)),
        ),
  ]);
  return { teams, selected, models: [...models].filter(Boolean).sort(), regions: [...regions] };
}
