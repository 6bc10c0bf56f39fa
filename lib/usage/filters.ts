import { z } from "zod";

/**
 * The dashboard's filters, kept in the URL (bookmarkable, shareable, the CSV export takes the
 * same). Pure and client-safe: the filter form and the server both use it.
 */

export const RANGE_PRESETS = ["7", "30", "90"] as const;
export const IDENTITY_TYPES = ["long-term", "short-term"] as const;
export const RESULTS = ["success", "error"] as const;
/** The doors a key opens (issue 19), as lib/usage/normalize.ts names them. */
export const USAGE_APIS = ["converse", "invoke_model", "chat_completions", "responses", "messages", "models", "other"] as const;
/** Longest custom range: stored usage can outlive CloudTrail's 90 days, but not by years on one chart. */
export const MAX_RANGE_DAYS = 366;
export const EVENTS_PAGE_SIZE = 50;

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

export const usageFilterSchema = z.object({
  range: z.enum([...RANGE_PRESETS, "custom"]).default("30"),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  team: optionalText(64),
  /** A subject (key:…, identity:…): one key or one person. */
  who: optionalText(600),
  model: optionalText(512),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/).optional(),
  identity: z.enum(IDENTITY_TYPES).optional(),
  result: z.enum(RESULTS).optional(),
  /** The door: Converse, InvokeModel, Chat Completions, Responses, Messages, model listings, other. */
  api: z.enum(USAGE_APIS).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  /**
   * Drill-down: the event shown in the detail panel, by its row id (UsageEvent.id): the CloudTrail
   * eventID alone has no index of its own (the ingest keeps it unique with the event's time).
   * Parsed to the number the query takes.
   */
  event: z.string().trim().regex(/^[1-9]\d{0,14}$/).transform(Number).optional(),
});

export type UsageFilters = z.output<typeof usageFilterSchema>;

const FIELDS = ["range", "from", "to", "team", "who", "model", "region", "identity", "result", "api", "page", "event"] as const;
type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

export type ParsedUsageFilters = { ok: true; filters: UsageFilters } | { ok: false; filters: UsageFilters; invalid: string[] };

/**
 * Filters from a URL. Empty values mean "not set" (a GET form submits every field). Invalid
 * parameters are dropped one by one (the rest still apply) and named, never a 500.
 */
export function parseUsageFilters(params: RawParams): ParsedUsageFilters {
  const raw: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = params instanceof URLSearchParams ? params.get(field) : first(params[field]);
    if (value !== null && value !== undefined && value.trim() !== "") raw[field] = value;
  }
  const invalid: string[] = [];
  for (;;) {
    const parsed = usageFilterSchema.safeParse(raw);
    if (parsed.success) {
      const f = parsed.data;
      if (f.range === "custom" && !customRangeValid(f.from, f.to)) {
        invalid.push("from", "to");
        return { ok: false, filters: { ...f, range: "30", from: undefined, to: undefined }, invalid };
      }
      return invalid.length === 0 ? { ok: true, filters: f } : { ok: false, filters: f, invalid };
    }
    const bad = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")))].filter((k) => k in raw);
    if (bad.length === 0) return { ok: false, filters: usageFilterSchema.parse({}), invalid: ["filters"] };
    for (const k of bad) {
      invalid.push(k);
      delete raw[k];
    }
  }
}

function customRangeValid(from: string | undefined, to: string | undefined): boolean {
  if (!from || !to || from > to) return false;
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 < MAX_RANGE_DAYS;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface DayRange {
  /** First and last UTC day, YYYY-MM-DD, inclusive. */
  fromDay: string;
  toDay: string;
  /** [from, toExclusive) as instants, for event queries. */
  from: Date;
  toExclusive: Date;
  /** Every day in the range, for charts that show empty days as zero. */
  days: string[];
}

const DAY_MS = 86_400_000;

/** The days a filter covers: the last 7/30/90 days up to today (UTC), or the custom dates. */
export function dayRange(f: Pick<UsageFilters, "range" | "from" | "to">, now: Date): DayRange {
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  let start: number;
  let end: number;
  if (f.range === "custom" && f.from && f.to) {
    start = Date.parse(`${f.from}T00:00:00Z`);
    end = Date.parse(`${f.to}T00:00:00Z`);
  } else {
    end = today;
    start = today - (Number(f.range === "custom" ? "30" : f.range) - 1) * DAY_MS;
  }
  const days: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return { fromDay: days[0]!, toDay: days[days.length - 1]!, from: new Date(start), toExclusive: new Date(end + DAY_MS), days };
}

/** The filters as a query string, for links (paging, drill-down, export). Defaults are left out. */
export function usageQuery(f: Partial<UsageFilters>, overrides: Partial<Record<keyof UsageFilters, string | number | undefined>> = {}): string {
  const merged: Record<string, unknown> = { ...f, ...overrides };
  const q = new URLSearchParams();
  for (const field of FIELDS) {
    const v = merged[field];
    if (v === undefined || v === null || v === "") continue;
    if (field === "range" && v === "30") continue;
    if (field === "page" && Number(v) <= 1) continue;
    if ((field === "from" || field === "to") && merged.range !== "custom") continue;
    q.set(field, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
