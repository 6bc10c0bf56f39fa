/**
 * Budgets run per calendar month in UTC. Not the viewer's time zone: a budget is shared by an
 * owner, leads and admins who may sit in different zones, and CostDaily's days are UTC days, so a
 * month in one person's zone would split days the data cannot split.
 */

/** "YYYY-MM" of the UTC month `now` falls in. */
export function periodOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** First and last UTC day ("YYYY-MM-DD") of a period, for range queries on CostDaily.day. */
export function periodDays(period: string): { from: string; to: string } {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, "0")}` };
}

/** When the period ends (the next month's first instant, UTC). */
export function periodEnd(period: string): Date {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1));
}
