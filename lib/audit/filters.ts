import { auditFilterSchema, type AuditFilters } from "./queries";

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

const FIELDS = ["actor", "action", "result", "from", "to", "page"] as const;

export type ParsedAuditFilters =
  | { ok: true; filters: AuditFilters }
  /** `invalid` names the offending URL parameters; `filters` is the default (unfiltered) list. */
  | { ok: false; filters: AuditFilters; invalid: string[] };

/**
 * Filters from a URL, shared by the audit page and the CSV export so both see the same entries.
 * Empty values mean "not set" (a GET form submits every field); a repeated parameter uses its
 * first value. Anything invalid, including a date range that ends before it starts, gives the
 * default filters plus the names of the bad parameters: never an exception, never a 500.
 */
export function parseAuditFilters(params: RawParams): ParsedAuditFilters {
  const raw: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = params instanceof URLSearchParams ? params.get(field) : first(params[field]);
    if (value !== null && value !== undefined && value.trim() !== "") raw[field] = value;
  }
  const parsed = auditFilterSchema.safeParse(raw);
  const defaults = auditFilterSchema.parse({});
  if (!parsed.success) {
    const invalid = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "filters")))];
    return { ok: false, filters: defaults, invalid };
  }
  const f = parsed.data;
  if (f.from && f.to && f.from > f.to) return { ok: false, filters: defaults, invalid: ["from", "to"] };
  return { ok: true, filters: f };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The filters as a query string (without page unless asked), for paging and export links. */
export function auditFilterQuery(f: Partial<AuditFilters>, page?: number): string {
  const q = new URLSearchParams();
  if (f.actor) q.set("actor", f.actor);
  if (f.action) q.set("action", f.action);
  if (f.result) q.set("result", f.result);
  if (f.from) q.set("from", f.from);
  if (f.to) q.set("to", f.to);
  if (page && page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `?${s}` : "";
}
