/**
 * Summing a range of UTC days per subject from the monthly rollup (CostMonthlySubject) plus or
 * minus a few days of the daily one (CostDailySubject), instead of every day of the range.
 *
 * With thousands of keys calling most days, "top keys by cost" over 90 days grouped ~340,000 daily
 * rows at 1,000,000 records; the rows one subject has in a month are summed once by the ingest
 * instead. For each month the range touches, the plan takes the cheaper of
 *  - the days of the month inside the range, from the daily rollup (`plusDays`), or
 *  - the whole month from the monthly rollup (`months`) minus its days outside the range
 *    (`minusDays`),
 * so no month costs more than about half its days. Both give the same sums: a month row is by
 * construction the sum of that month's day rows (the ingest adds each record to both in one
 * transaction). Which is cheaper is judged by counting days that can hold rows — days after
 * `today` normally have none — and never changes the result, only the work.
 */

export interface MonthPlan {
  /** YYYY-MM: whole months read from the monthly rollup */
  months: string[];
  /** YYYY-MM-DD: days added from the daily rollup */
  plusDays: string[];
  /** YYYY-MM-DD: days of `months` outside the range, subtracted */
  minusDays: string[];
}

const DAY_MS = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function monthPlan(fromDay: string, toDay: string, today: string): MonthPlan {
  const plan: MonthPlan = { months: [], plusDays: [], minusDays: [] };
  if (toDay < fromDay) return plan;
  const from = dayMs(fromDay);
  const to = dayMs(toDay);
  let first = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1);
  while (first <= to) {
    const d = new Date(first);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const inside: string[] = [];
    const outside: string[] = [];
    for (let t = first; t < next; t += DAY_MS) (t >= from && t <= to ? inside : outside).push(iso(t));
    if (outside.length === 0) plan.months.push(iso(first).slice(0, 7));
    else if (outside.filter((day) => day <= today).length < inside.length) {
      plan.months.push(iso(first).slice(0, 7));
      plan.minusDays.push(...outside);
    } else plan.plusDays.push(...inside);
    first = next;
  }
  return plan;
}
