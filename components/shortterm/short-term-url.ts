/** /short-term-keys?userId=&activeOnly=1&page= with defaults left out. */
export function shortTermHref(f: { userId?: string; activeOnly?: boolean; page?: number }): string {
  const params = new URLSearchParams();
  if (f.userId) params.set("userId", f.userId);
  if (f.activeOnly) params.set("activeOnly", "1");
  if (f.page && f.page > 1) params.set("page", String(f.page));
  const query = params.toString();
  return `/short-term-keys${query ? `?${query}` : ""}`;
}
