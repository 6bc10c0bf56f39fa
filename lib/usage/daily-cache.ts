import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { groupCounts, groupSums, where as sqlWhere, type Condition } from "@/lib/db/read";

/**
 * Day-by-day results of the dashboards' grouped chart reads (/usage's calls and cost charts), kept
 * in this process between page views (issue 15).
 *
 * Why: a chart narrowed to some keys or people (a lead's scope, a team, one key) reads the
 * full-grain rollups (UsageDaily, UsageDailyApi, CostDaily), whose rows barely shrink under
 * grouping when each key calls a few times a day — a lead of 500 keys reads ~100,000 rows for 90
 * days and SQLite spends most of the page's time sorting them; an admin's charts read tens of
 * thousands of subject-less rows for 90 days. But a past day's rows hardly ever change: only
 * today's, and a day a late or backfilled record lands in. So each chart's grouped rows are kept
 * per UTC day, and a view recomputes only the days that changed since — usually today alone.
 *
 * How a changed day is known: every writer of these rollups only ever adds (the ingests' upserts
 * add calls, tokens and cost to a row or insert one with at least one call; nothing rewrites or
 * deletes them), and it adds to the subject-less rollup of the same family (UsageDailyModel,
 * CostDailyModel) in the same transaction. So a day's sums in that small table — a few hundred rows
 * a day whatever the number of keys — are its version: when they are unchanged, no row of that day
 * changed in any rollup of the family. Each view reads the versions of its range first (one grouped
 * read of the small table), then uses the kept days whose version matches and recomputes the others
 * in one read over the span they cover. The versions are read before the rows, so rows kept under a
 * version are never older than it (a write between the two reads only makes that day recomputed
 * once more on the next view). Nothing is shared between processes: each instance checks against
 * the database it reads.
 *
 * Bounded: at most MAX_ROWS rows in all, the least recently used views dropped first; one cache
 * per database client (a test's or benchmark's second database never sees the first one's rows).
 */
export const MAX_ROWS = 200_000;

/** A rollup family: its subject-less table, whose per-day sums version every table of the family. */
export type Family = "usage" | "cost";

const VERSION_TABLES: Record<Family, { table: string; sums: readonly string[] }> = {
  usage: { table: "UsageDailyModel", sums: ["calls"] },
  cost: { table: "CostDailyModel", sums: ["calls", "costUsd", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens"] },
};

/** Day → version; a day with no rows has none (and its version is ""). */
export type DayVersions = Map<string, string>;

export async function dayVersions(db: PrismaClient, family: Family, fromDay: string, toDay: string): Promise<DayVersions> {
  const { table, sums } = VERSION_TABLES[family];
  const rows = await groupSums(db, table, ["day"], sums, [sqlWhere.between("day", fromDay, toDay)]);
  return new Map(rows.map((r) => [r.day, sums.map((s) => r[s]).join(":")]));
}

type Row = Readonly<Record<string, string | number>>;

interface View {
  days: Map<string, { version: string; rows: readonly Row[] }>;
  rows: number;
}

export class DailyCache {
  /** Insertion order is recency: a view read is moved to the end. */
  private readonly views = new Map<string, View>();
  private rows = 0;

  constructor(private readonly maxRows: number) {}

  get(key: string): View | undefined {
    const view = this.views.get(key);
    if (view) {
      this.views.delete(key);
      this.views.set(key, view);
    }
    return view;
  }

  put(key: string, day: string, version: string, rows: readonly Row[]) {
    const view = this.views.get(key) ?? this.views.set(key, { days: new Map(), rows: 0 }).get(key)!;
    const old = view.days.get(day);
    const delta = rows.length - (old?.rows.length ?? 0);
    view.days.set(day, { version, rows });
    view.rows += delta;
    this.rows += delta;
    for (const [k, v] of this.views) {
      if (this.rows <= this.maxRows || k === key) break;
      this.views.delete(k);
      this.rows -= v.rows;
    }
  }

  get size() {
    return { views: this.views.size, rows: this.rows };
  }
}

const CACHES = Symbol.for("bedrock-key-console.daily-caches");
// On globalThis, like the read pools (lib/db/read.ts): the built app may hold this module twice.
const registry = globalThis as unknown as { [CACHES]?: WeakMap<object, DailyCache> };
const caches = (registry[CACHES] ??= new WeakMap<object, DailyCache>());

const cacheOf = (db: object) => caches.get(db) ?? caches.set(db, new DailyCache(MAX_ROWS)).get(db)!;

/** How many views and rows this client's cache holds (tests). */
export const cacheSize = (db: object) => cacheOf(db).size;

/**
 * groupSums (lib/db/read.ts) grouped by day and `by` over the range's days, through the cache: the
 * same rows as `groupSums(db, table, ["day", ...by], sums, [range, ...conditions])`, with the days
 * whose version is unchanged since an earlier call taken from this process's memory. `conditions`
 * must not restrict the day (the range does) and every table read must belong to `family`. The rows
 * returned are shared with the cache and frozen.
 */
export async function dailyGroupSums<B extends string, S extends string>(
  db: PrismaClient,
  family: Family,
  versions: Promise<DayVersions>,
  table: string,
  by: readonly B[],
  sums: readonly S[],
  conditions: readonly Condition[],
  days: readonly string[],
): Promise<(Record<"day" | B, string> & Record<S, number>)[]> {
  return daily(db, [family, table, by, sums], versions, conditions, days, (span) => groupSums(db, table, ["day", ...by], sums, [sqlWhere.between("day", span.first, span.last), ...conditions]));
}

/**
 * The events themselves (UsageEvent) counted per day and `by`, through the cache, as `calls`: for
 * the charts whose filter or grouping no rollup has (a door, or the doors under a model or region
 * filter). Versioned by the usage family: the ingest stores a day's new events in the transaction
 * that adds them to UsageDailyModel, and nothing else adds, removes or changes an event's counted
 * columns — except the retention pruning of days older than USAGE_RETENTION_DAYS, whose kept
 * counts then stay as the rollups of those days do. A stale span is read by the events' time
 * (their eventTime indexes), not their day column, which has none.
 */
export async function dailyEventCounts<B extends string>(
  db: PrismaClient,
  versions: Promise<DayVersions>,
  by: readonly B[],
  conditions: readonly Condition[],
  days: readonly string[],
): Promise<(Record<"day" | B, string> & Record<"calls", number>)[]> {
  return daily(db, ["usage", "UsageEvent", by, "count"], versions, conditions, days, (span) =>
    groupCounts(db, "UsageEvent", ["day", ...by], "calls", [eventsOnDays(span.first, span.last), ...conditions]),
  );
}

/** The events of UTC days `first` to `last` (inclusive), by their time: the eventTime indexes serve it, the day column has none. */
export const eventsOnDays = (first: string, last: string): Condition =>
  sqlWhere.during("eventTime", new Date(`${first}T00:00:00Z`), new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000));

/**
 * Sums over the whole range, grouped by `keys` without the day — the "top" lists' rows per subject
 * under a filter, which kept day by day would be a row per subject and day (450,000 for an admin's
 * 90 days at 5,000 keys) — through the cache in two parts: the range but its last day, kept as one
 * whole under the versions of all its days, and the last day (today in the presets, which every
 * sync moves) kept on its own; the two are added up here. After a sync only the last day is read
 * again; a late record in an earlier day, or the range moving on at midnight, reads the rest whole
 * once. `read(first, last)` must answer for those days, inclusive, under the given conditions.
 */
export async function rangeGroupSums<K extends string, S extends string>(
  db: PrismaClient,
  what: unknown[],
  versions: Promise<DayVersions>,
  conditions: readonly Condition[],
  days: readonly string[],
  keys: readonly K[],
  sums: readonly S[],
  read: (first: string, last: string) => Promise<(Record<K, string> & Record<S, number>)[]>,
): Promise<(Record<K, string> & Record<S, number>)[]> {
  type Out = Record<K, string> & Record<S, number>;
  if (days.length === 0) return [];
  const version = await versions;
  const last = days.at(-1)!;
  const past = days.slice(0, -1);
  const parts: { label: string; version: string; first: string; last: string }[] = [{ label: last, version: version.get(last) ?? "", first: last, last }];
  if (past.length > 0) {
    const [first, end] = [past[0]!, past.at(-1)!];
    const joined = createHash("sha256").update(past.map((d) => version.get(d) ?? "").join(",")).digest("base64");
    parts.push({ label: `${first}..${end}`, version: joined, first, last: end });
  }
  const cache = cacheOf(db);
  const key = keyOf([...what, "range", keys, sums], conditions);
  const kept = cache.get(key);
  await Promise.all(
    parts
      .filter((p) => kept?.days.get(p.label)?.version !== p.version)
      .map(async (p) => cache.put(key, p.label, p.version, (await read(p.first, p.last)).map((r) => Object.freeze(r)))),
  );
  const view = cache.get(key)!;
  const merged = new Map<string, Out>();
  for (const p of parts)
    for (const r of (view.days.get(p.label)?.rows ?? []) as Out[]) {
      const k = keys.map((c) => r[c]).join("\u0000");
      const into = merged.get(k);
      if (!into) merged.set(k, { ...r });
      else for (const s of sums) (into as Record<string, number>)[s] = (into[s] as number) + (r[s] as number);
    }
  return [...merged.values()];
}

const keyOf = (what: unknown[], conditions: readonly Condition[]) =>
  createHash("sha256")
    .update(JSON.stringify([...what, conditions.filter((c) => !!c).map((c) => [c.sql, c.values])]))
    .digest("base64");

async function daily<T extends Record<string, string | number> & { day: string }>(
  db: PrismaClient,
  what: unknown[],
  versions: Promise<DayVersions>,
  conditions: readonly Condition[],
  days: readonly string[],
  read: (span: { first: string; last: string }) => Promise<T[]>,
): Promise<T[]> {
  const key = keyOf(what, conditions);
  const cache = cacheOf(db);
  const version = await versions;
  const kept = cache.get(key);
  const stale = days.filter((d) => kept?.days.get(d)?.version !== (version.get(d) ?? ""));
  if (stale.length > 0) {
    // One read over the span of the stale days (usually today alone; all of them on a first view).
    const [first, last] = [stale.reduce((a, b) => (a < b ? a : b)), stale.reduce((a, b) => (a > b ? a : b))];
    const rows = await read({ first, last });
    const byDay = new Map<string, Row[]>();
    for (const r of rows) (byDay.get(r.day) ?? byDay.set(r.day, []).get(r.day)!).push(Object.freeze(r));
    for (const d of days) if (d >= first && d <= last) cache.put(key, d, version.get(d) ?? "", byDay.get(d) ?? []);
  }
  const view = cache.get(key)!;
  return days.flatMap((d) => (view.days.get(d)?.rows ?? []) as T[]);
}
