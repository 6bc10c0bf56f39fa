import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { keyReadScope, VISIBLE_STATES } from "@/lib/keys/scope";
import { type Condition, groupSums, readRows, where as sqlWhere } from "@/lib/db/read";
import { dailyGroupSums, type DayVersions, dayVersions, rangeGroupSums } from "@/lib/usage/daily-cache";
import { describeSubjects, type SubjectInfo } from "@/lib/usage/directory";
import { monthPlan } from "./ranges";
import { dayRange, type DayRange, type UsageFilters } from "@/lib/usage/filters";
import { teamSubjectsSql, usageScope, type Viewer } from "@/lib/usage/scope";

/**
 * Tokens and cost for the pages people look at (/usage, the key page, the inventory, the CSV
 * export), read from the cost rollups the invocation-log ingest keeps (CostDailyModel without a
 * subject, CostDailySubject without a model or region, CostDaily with both). Days and months are UTC, like the usage rollups: a call at
 * 23:30 in Tokyo on the 1st belongs to the UTC day (and month) it happened in.
 *
 * Unpriced calls (unknown model, no price in the region, provisioned, batch, marketplace) are
 * counted apart and never turned into $0: every cost comes with the number of calls it leaves out.
 */

/** Models shown as their own series in "cost per day"; the rest are summed as "other". */
export const MAX_COST_SERIES = 8;
export const OTHER_COST_SERIES = "__other";
export const TOP_COST = 10;

export interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface CostFigure {
  calls: number;
  /** USD over the priced calls only */
  costUsd: number;
  /** Calls whose cost could not be computed: their tokens are in `tokens`, their cost is not in `costUsd` */
  unpricedCalls: number;
  tokens: Tokens;
}

/** When the figures were last brought up to date: the oldest read position over every log cursor. */
export interface CostAsOf {
  /** ISO instant: every invocation-log record before it is counted; null = never synced */
  syncedThrough: string | null;
  lastRunAt: string | null;
}

type SumRow = {
  _sum: {
    calls: number | null;
    costUsd: number | null;
    unpricedCalls: number | null;
    inputTokens: number | null;
    outputTokens: number | null;
    cacheReadTokens: number | null;
    cacheWriteTokens: number | null;
  };
};

/** The summed columns of every cost rollup: each statement below spells them from this list. */
const SUM_FIELDS = ["calls", "costUsd", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens"] as const;
const SUMS = Object.fromEntries(SUM_FIELDS.map((c) => [c, true])) as Record<(typeof SUM_FIELDS)[number], true>;
/** `"calls", "costUsd", …` with an optional prefix for each (`-` negates, `SUM(` … `)` sums). */
const columns = (each: (c: string) => string) => Prisma.raw(SUM_FIELDS.map(each).join(", "));

export function emptyFigure(): CostFigure {
  return { calls: 0, costUsd: 0, unpricedCalls: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } };
}

function add(into: CostFigure, row: SumRow): CostFigure {
  const s = row._sum;
  into.calls += s.calls ?? 0;
  into.costUsd += s.costUsd ?? 0;
  into.unpricedCalls += s.unpricedCalls ?? 0;
  into.tokens.input += s.inputTokens ?? 0;
  into.tokens.output += s.outputTokens ?? 0;
  into.tokens.cacheRead += s.cacheReadTokens ?? 0;
  into.tokens.cacheWrite += s.cacheWriteTokens ?? 0;
  return into;
}

/**
 * Sums of floats in different orders differ in the last bits: figures are rounded to a micro-dollar
 * (`+ 0` turns the -0 a month minus its days can leave into 0).
 */
function settle(f: CostFigure): CostFigure {
  f.costUsd = Math.round(f.costUsd * 1e6) / 1e6 + 0;
  return f;
}

export async function costAsOf(db: PrismaClient): Promise<CostAsOf> {
  const agg = await db.invocationLogCursor.aggregate({ _min: { syncedThrough: true }, _max: { lastRunAt: true } });
  return { syncedThrough: agg._min.syncedThrough?.toISOString() ?? null, lastRunAt: agg._max.lastRunAt?.toISOString() ?? null };
}

/**
 * The cost rollups name a model by its base model id (the id it is priced under) while usage
 * filters may carry an inference profile id ("us.anthropic…", "global.anthropic…"): a model filter
 * matches both spellings.
 */
export function modelFilterIds(model: string): string[] {
  const base = model.replace(/^(us|eu|apac|jp|au|ca|us-gov|global)\./, "");
  return base === model ? [model] : [model, base];
}

/** The /usage filters that are dimensions of the cost rollups. `result` and `api` are not (see costOverview). */
type CostWhere = { subjects: string[] | null; range: DayRange; filters: Pick<UsageFilters, "model" | "region" | "identity"> };

/**
 * What the reads through the day cache share within one view: CostDaily's conditions for the
 * scope and filters, and the days' versions (read once per view, for every grouping).
 */
type CachedReads = { conditions: Condition[]; versions: Promise<DayVersions> };

function cachedReads(db: PrismaClient, { subjects, range, filters: f }: CostWhere): CachedReads {
  return {
    conditions: [
      subjects !== null && sqlWhere.in("subject", subjects),
      !!f.model && sqlWhere.in("modelId", modelFilterIds(f.model)),
      !!f.region && sqlWhere.eq("region", f.region),
      !!f.identity && sqlWhere.eq("identityType", f.identity),
    ],
    versions: dayVersions(db, "cost", range.fromDay, range.toDay),
  };
}

/**
 * Tokens and cost per subject over a range of UTC days, from the monthly rollup plus or minus the
 * days at the range's edges (ranges.ts): the same sums as grouping CostDailySubject over every day
 * of the range, from a fraction of the rows. Only subjects with calls in the range are returned.
 *
 * One statement (the same SQL on SQLite and PostgreSQL): the subtracted days enter the sum
 * negated, so the database returns one row per subject. Three grouped Prisma queries returned
 * three times as many rows, and turning thousands of grouped rows into objects cost more than the
 * database's own work (at 5,000 keys ~25 ms a query).
 */
export async function subjectSums(
  db: PrismaClient,
  q: { fromDay: string; toDay: string; subjects?: string[] | null; identityType?: string; today?: string },
): Promise<Map<string, CostFigure>> {
  const out = new Map<string, CostFigure>();
  const sums = monthlySumsSql(q);
  if (!sums) return out;
  const rows = await db.$queryRaw<SubjectSumRow[]>`${sums}`;
  // Every stored row has at least one call: a subject whose calls cancel out had none in the range (HAVING).
  for (const r of rows) out.set(r.subject, figureOf(r));
  return out;
}

type SubjectSumRow = { subject: string; calls: unknown; costUsd: unknown; unpricedCalls: unknown; inputTokens: unknown; outputTokens: unknown; cacheReadTokens: unknown; cacheWriteTokens: unknown };

/** PostgreSQL's SUM of integers is a bigint: every figure goes through Number. */
function figureOf(r: Omit<SubjectSumRow, "subject">): CostFigure {
  return {
    calls: Number(r.calls),
    costUsd: Number(r.costUsd),
    unpricedCalls: Number(r.unpricedCalls),
    tokens: { input: Number(r.inputTokens), output: Number(r.outputTokens), cacheRead: Number(r.cacheReadTokens), cacheWrite: Number(r.cacheWriteTokens) },
  };
}

const SUM_COLUMNS = columns((c) => `SUM("${c}") AS "${c}"`);

/** subjectSums as a statement (one row per subject with calls), or null when nothing can match. */
function monthlySumsSql(q: { fromDay: string; toDay: string; subjects?: string[] | null; identityType?: string; today?: string }): Prisma.Sql | null {
  if (q.subjects && q.subjects.length === 0) return null;
  const plan = monthPlan(q.fromDay, q.toDay, q.today ?? new Date().toISOString().slice(0, 10));
  const narrow = Prisma.sql`${q.identityType ? Prisma.sql` AND "identityType" = ${q.identityType}` : Prisma.empty}${q.subjects ? Prisma.sql` AND "subject" IN (${Prisma.join(q.subjects)})` : Prisma.empty}`;
  const COLS = Prisma.sql`"subject", ${columns((c) => `"${c}"`)}`;
  const NEG = Prisma.sql`"subject", ${columns((c) => `-"${c}"`)}`;
  const parts = [
    ...(plan.months.length ? [Prisma.sql`SELECT ${COLS} FROM "CostMonthlySubject" WHERE "month" IN (${Prisma.join(plan.months)})${narrow}`] : []),
    ...(plan.plusDays.length ? [Prisma.sql`SELECT ${COLS} FROM "CostDailySubject" WHERE "day" IN (${Prisma.join(plan.plusDays)})${narrow}`] : []),
    ...(plan.minusDays.length ? [Prisma.sql`SELECT ${NEG} FROM "CostDailySubject" WHERE "day" IN (${Prisma.join(plan.minusDays)})${narrow}`] : []),
  ];
  if (parts.length === 0) return null;
  return Prisma.sql`SELECT "subject", ${SUM_COLUMNS} FROM (${Prisma.join(parts, " UNION ALL ")}) AS "ranged" GROUP BY "subject" HAVING SUM("calls") > 0`;
}

export interface CostRanked extends SubjectInfo, CostFigure {}

export interface CostOverview {
  asOf: CostAsOf;
  totals: CostFigure;
  /** Models in the order of their series (largest cost first), OTHER_COST_SERIES last if present. */
  series: string[];
  /** One row per day: `costUsd`, `unpricedCalls` and one cost per series. */
  days: ({ day: string; costUsd: number; unpricedCalls: number } & Record<string, number | string>)[];
  /** Every model with calls in the range, with its figures, largest cost first. */
  models: ({ modelId: string } & CostFigure)[];
  topKeys: CostRanked[];
  /** People (short-term keys) and callers the console cannot attribute, largest cost first. */
  topPeople: CostRanked[];
  /** Every team in the viewer's view (admin: all; lead: led teams), largest cost first. */
  teams: ({ id: string; name: string } & CostFigure)[];
}

/**
 * /usage's cost section. `subjects` is the scope the page already resolved (lib/usage/scope.ts:
 * null = everything, otherwise the viewer's keys and people narrowed by team and who). Like the
 * usage charts, it reads the smallest rollup that has what it groups by: for cost per day by
 * model, CostDailyModel when the view is not narrowed to subjects, CostDaily otherwise; for the
 * "top" lists and teams (grouped by subject), CostMonthlySubject ± CostDailySubject (subjectSums)
 * unless a model or region filter needs CostDaily.
 */
export async function costOverview(db: PrismaClient, viewer: Viewer, where: CostWhere): Promise<CostOverview> {
  // Independent reads, started together: on PostgreSQL they run side by side on the pool's
  // connections (SQLite serves them one after another, as before).
  const cached = cachedReads(db, where);
  const [asOf, byDayModel, ranking] = await Promise.all([
    costAsOf(db),
    costByDayModel(db, where, cached),
    costRanking(db, viewer, where, cached),
  ]);

  const totals = emptyFigure();
  const models = new Map<string, CostFigure>();
  for (const g of byDayModel) {
    add(totals, g);
    add(models.get(g.modelId) ?? models.set(g.modelId, emptyFigure()).get(g.modelId)!, g);
  }
  const byCost = <T extends CostFigure>(a: [string, T], b: [string, T]) => b[1].costUsd - a[1].costUsd || b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1);
  const rankedModels = [...models.entries()].sort(byCost);
  const shown = new Set(rankedModels.slice(0, rankedModels.length > MAX_COST_SERIES ? MAX_COST_SERIES - 1 : MAX_COST_SERIES).map(([m]) => m));
  const series = [...shown, ...(rankedModels.length > shown.size ? [OTHER_COST_SERIES] : [])];
  const days = new Map(where.range.days.map((day) => [day, { day, costUsd: 0, unpricedCalls: 0, ...Object.fromEntries(series.map((s) => [s, 0])) } as CostOverview["days"][number]]));
  for (const g of byDayModel) {
    const row = days.get(g.day);
    if (!row) continue;
    const s = shown.has(g.modelId) ? g.modelId : OTHER_COST_SERIES;
    row[s] = (row[s] as number) + (g._sum.costUsd ?? 0);
    row.costUsd += g._sum.costUsd ?? 0;
    row.unpricedCalls += g._sum.unpricedCalls ?? 0;
  }
  for (const row of days.values()) for (const k of ["costUsd", ...series]) row[k] = Math.round((row[k] as number) * 1e6) / 1e6;

  const keys = ranking.keys.sort(byCost).slice(0, TOP_COST);
  const people = ranking.people.sort(byCost).slice(0, TOP_COST);
  const info = await describeSubjects(db, [...keys, ...people].map(([s]) => s));
  const describe = (list: [string, CostFigure][]) => list.map(([s, f]) => ({ ...info.get(s)!, ...f }));

  return {
    asOf,
    totals: settle(totals),
    series,
    days: [...days.values()],
    models: rankedModels.map(([modelId, f]) => ({ modelId, ...settle(f) })),
    topKeys: describe(keys),
    topPeople: describe(people),
    teams: ranking.teams,
  };
}

/**
 * Cost per day by model: from CostDailyModel when the view is not narrowed to subjects, otherwise
 * from CostDaily; day by day through this process's cache (lib/usage/daily-cache.ts: only the days
 * changed since an earlier view are read again).
 */
async function costByDayModel(db: PrismaClient, { subjects, range }: CostWhere, { conditions, versions }: CachedReads) {
  const table = subjects === null ? "CostDailyModel" : "CostDaily";
  const rows = await dailyGroupSums(db, "cost", versions, table, ["modelId"], SUM_FIELDS, conditions, range.days);
  return rows.map(({ day, modelId, ...sums }) => ({ day, modelId, _sum: sums }));
}

/**
 * "Top keys", "top people" and the teams' cost, summed and cut in the database in one statement:
 * the per-subject sums (subjectSums; under a model or region filter see filteredRanking) are computed once;
 * of them only the keys and the people at or above the tenth largest cost come back (ties at the
 * cut included, so the final order by cost, calls and subject is the process's, as before), and
 * one row per team, joined to its subjects (teamSubjectsSql: the rule usage and budgets use).
 * Before, every subject's sums (5,000 rows for an admin at 5,000 keys) and every team's subjects
 * were read into the process to be sorted and added up there.
 */
async function costRanking(db: PrismaClient, viewer: Viewer, where: CostWhere, cached: CachedReads) {
  const teamsSeen = viewer.role === "admin" || (viewer.role === "lead" && viewer.ledTeamIds.length > 0);
  const teamsRead = teamsSeen ? db.team.findMany({ where: viewer.role === "admin" ? {} : { id: { in: viewer.ledTeamIds } }, select: { id: true, name: true } }) : Promise.resolve([]);
  if (where.filters.model || where.filters.region) return filteredRanking(db, where, cached, teamsRead);
  const sums = monthlySumsSql({ fromDay: where.range.fromDay, toDay: where.range.toDay, subjects: where.subjects, identityType: where.filters.identity });
  const out: Ranking = { keys: [], people: [], teams: [] };
  const teams = await teamsRead;
  if (!sums) return out;
  const COLS = columns((c) => `"${c}"`);
  // Costs are compared a micro-dollar wide of the cut: the figures are rounded to micro-dollars before they are ranked.
  const top = (kind: "key" | "person", test: Prisma.Sql) => Prisma.sql`
    SELECT ${Prisma.raw(`'${kind}'`)} AS "kind", "subject" AS "id", ${COLS} FROM "sums" WHERE ${test}
      AND "costUsd" >= COALESCE((SELECT "costUsd" FROM "sums" WHERE ${test} ORDER BY "costUsd" DESC LIMIT 1 OFFSET ${TOP_COST - 1}), -1) - 0.000001`;
  const isKey = Prisma.sql`substr("subject", 1, 4) = 'key:'`;
  const notKey = Prisma.sql`substr("subject", 1, 4) <> 'key:'`;
  const rows = await readRows<{ kind: string; id: string } & Omit<SubjectSumRow, "subject">>(db, Prisma.sql`
    WITH "sums" AS MATERIALIZED (${sums})
    ${top("key", isKey)}
    UNION ALL ${top("person", notKey)}
    ${
      teams.length
        ? Prisma.sql`UNION ALL SELECT 'team' AS "kind", "pairs"."teamId" AS "id", ${columns((c) => `SUM("sums"."${c}") AS "${c}"`)}
          FROM (${teamSubjectsSql(teams.map((t) => t.id))}) AS "pairs" JOIN "sums" ON "sums"."subject" = "pairs"."subject"
          GROUP BY "pairs"."teamId"`
        : Prisma.empty
    }`);
  const names = new Map(teams.map((t) => [t.id, t.name]));
  for (const r of rows) {
    const figure = settle(figureOf(r));
    if (r.kind === "key") out.keys.push([r.id, figure]);
    else if (r.kind === "person") out.people.push([r.id, figure]);
    else if (figure.calls > 0) out.teams.push({ id: r.id, name: names.get(r.id) ?? r.id, ...figure });
  }
  out.teams.sort(byTeamCost);
  return out;
}

type Ranking = { keys: [string, CostFigure][]; people: [string, CostFigure][]; teams: ({ id: string; name: string } & CostFigure)[] };

const byTeamCost = (a: { costUsd: number; calls: number; name: string }, b: { costUsd: number; calls: number; name: string }) =>
  b.costUsd - a.costUsd || b.calls - a.calls || a.name.localeCompare(b.name);

/**
 * costRanking under a model or region filter, which no per-month rollup has: every subject's sums
 * from CostDaily, through this process's cache (lib/usage/daily-cache.ts, rangeGroupSums: the
 * range but its last day kept as one whole, its last day on its own — after a sync only that day
 * is read), ranked and added up per team here. Every key and person comes back, each figure
 * settled: costOverview sorts them and keeps the first TOP_COST, as for the statement above.
 */
async function filteredRanking(
  db: PrismaClient,
  { range, subjects }: CostWhere,
  { conditions, versions }: CachedReads,
  teamsRead: Promise<{ id: string; name: string }[]>,
): Promise<Ranking> {
  const out: Ranking = { keys: [], people: [], teams: [] };
  if (subjects && subjects.length === 0) {
    await teamsRead;
    return out;
  }
  let teams: { id: string; name: string }[] = [];
  const [rows, pairs] = await Promise.all([
    rangeGroupSums(db, ["cost", "CostDaily", ["subject"]], versions, conditions, range.days, ["subject"], SUM_FIELDS, (first, last) =>
      groupSums(db, "CostDaily", ["subject"], SUM_FIELDS, [sqlWhere.between("day", first, last), ...conditions]),
    ),
    // Each team's subjects, by the rule usage and budgets use; off the event loop on SQLite.
    teamsRead.then((read) => {
      teams = read;
      return teams.length ? readRows<{ teamId: string; subject: string }>(db, Prisma.sql`SELECT "teamId", "subject" FROM (${teamSubjectsSql(teams.map((t) => t.id))}) AS "pairs"`) : [];
    }),
  ]);
  const bySubject = new Map(rows.filter((r) => r.calls > 0).map((r) => [r.subject, r]));
  for (const [subject, r] of bySubject) (subject.startsWith("key:") ? out.keys : out.people).push([subject, settle(figureOf(r))]);
  const perTeam = new Map(teams.map((t) => [t.id, { ...t, ...emptyFigure() }]));
  for (const { teamId, subject } of pairs) {
    const r = bySubject.get(subject);
    if (r) add(perTeam.get(teamId)!, { _sum: r });
  }
  for (const team of perTeam.values()) if (team.calls > 0) out.teams.push(settle(team) as typeof team);
  out.teams.sort(byTeamCost);
  return out;
}

/** First and last UTC day of the month `offset` months from `now`'s (0 = this month, -1 = last). */
export function utcMonth(now: Date, offset: number): { month: string; fromDay: string; toDay: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { month: iso(first).slice(0, 7), fromDay: iso(first), toDay: iso(last) };
}

/** Tokens and cost of some subjects over UTC months (this month so far, and the one before): two month rows each. */
export async function monthlyCost(db: PrismaClient, subjects: string[], now: Date) {
  const thisMonth = utcMonth(now, 0);
  const lastMonth = utcMonth(now, -1);
  const [rows, asOf] = await Promise.all([
    subjects.length === 0
      ? []
      : db.costMonthlySubject.groupBy({ by: ["month"], where: { subject: { in: subjects }, month: { in: [lastMonth.month, thisMonth.month] } }, _sum: SUMS }),
    costAsOf(db),
  ]);
  const current = emptyFigure();
  const previous = emptyFigure();
  for (const g of rows) add(g.month === thisMonth.month ? current : previous, g);
  return {
    thisMonth: { month: thisMonth.month, ...settle(current) },
    lastMonth: { month: lastMonth.month, ...settle(previous) },
    asOf,
  };
}

/** This month's and last month's tokens and cost of one long-term key; null outside the viewer's scope. */
export async function keyMonthlyCost(db: PrismaClient, viewer: Viewer, keyId: string, now: Date) {
  const key = await db.apiKey.findFirst({ where: { AND: [{ id: keyId }, { state: { in: VISIBLE_STATES } }, keyReadScope(viewer)] }, select: { iamUserName: true } });
  if (!key) return null;
  return { subject: `key:${key.iamUserName}`, ...(await monthlyCost(db, [`key:${key.iamUserName}`], now)) };
}

/**
 * This month's and last month's tokens and cost of one person's short-term keys (every source
 * identity they were issued under), within the viewer's usage scope; null when none is visible.
 */
export async function personMonthlyCost(db: PrismaClient, viewer: Viewer, userId: string, now: Date) {
  const issued = await db.shortTermIssuance.findMany({ where: { userId }, distinct: ["sourceIdentity"], select: { sourceIdentity: true } });
  const scope = await usageScope(db, viewer);
  const subjects = issued.map((i) => `identity:${i.sourceIdentity}`).filter((s) => scope.all || scope.subjects.includes(s));
  if (subjects.length === 0) return null;
  return monthlyCost(db, subjects, now);
}

export type MonthlyCost = Awaited<ReturnType<typeof monthlyCost>>;

/** The inventory's "cost, 30 days" window: the last 30 UTC days up to today, as on /usage. */
export function inventoryCostRange(now: Date): DayRange {
  return dayRange({ range: "30" }, now);
}

export interface KeyCost30 {
  costUsd: number;
  unpricedCalls: number;
  calls: number;
}

/**
 * Cost over the last 30 days per long-term key, by IAM user name, from the per-subject rollups
 * (subjectSums: whole months ± the window's edge days): for the page's keys, or — `iamUserNames`
 * null — for every key, which is what sorting the inventory by cost needs.
 */
export async function keyCosts30(db: PrismaClient, iamUserNames: string[] | null, now: Date): Promise<Map<string, KeyCost30>> {
  if (iamUserNames !== null && iamUserNames.length === 0) return new Map();
  const range = inventoryCostRange(now);
  const sums = await subjectSums(
    db,
    {
      fromDay: range.fromDay,
      toDay: range.toDay,
      today: now.toISOString().slice(0, 10),
      ...(iamUserNames ? { subjects: iamUserNames.map((n) => `key:${n}`) } : { identityType: "long-term" }),
    },
  );
  return new Map(
    [...sums]
      .filter(([subject]) => subject.startsWith("key:"))
      .map(([subject, f]) => [subject.slice(4), { costUsd: settle(f).costUsd, unpricedCalls: f.unpricedCalls, calls: f.calls }]),
  );
}
