import type { KeyFilters } from "@/lib/keys/schemas";

/** The inventory's defaults (keyFilterSchema's), left out of URLs so links stay short and shareable. */
const DEFAULTS: Partial<Record<keyof KeyFilters, string>> = { presence: "present", sort: "createdAt", dir: "desc", page: "1", pageSize: "50" };

const ORDER: (keyof KeyFilters)[] = ["q", "status", "teamId", "ownerId", "accountId", "expiringWithinDays", "unusedForDays", "managed", "presence", "sort", "dir", "page", "pageSize"];

export type KeyFilterValues = Partial<Record<keyof KeyFilters, string | number | undefined>>;

/** `?status=Active&page=2` for the given filters, `""` when everything is at its default. */
export function keysQuery(filters: KeyFilterValues, overrides: KeyFilterValues = {}): string {
  const merged: KeyFilterValues = { ...filters, ...overrides };
  const params = new URLSearchParams();
  for (const key of ORDER) {
    const value = merged[key];
    if (value === undefined || value === "" || String(value) === DEFAULTS[key]) continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function keysHref(filters: KeyFilterValues, overrides: KeyFilterValues = {}): string {
  return `/keys${keysQuery(filters, overrides)}`;
}

/** Whether anything narrows the list (paging and sorting do not). */
export function isFiltered(f: KeyFilterValues): boolean {
  return Boolean(f.q || f.status || f.teamId || f.ownerId || f.accountId || f.expiringWithinDays !== undefined || f.unusedForDays !== undefined || f.managed || (f.presence && f.presence !== "present"));
}
