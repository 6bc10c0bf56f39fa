import { describe, expect, it } from "vitest";
import { monthPlan } from "./ranges";

/** Every day from..to, for checking that a plan covers exactly the range. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The days a plan counts, with multiplicity: months' days plus plusDays minus minusDays. */
function covered(plan: ReturnType<typeof monthPlan>): Map<string, number> {
  const n = new Map<string, number>();
  const bump = (d: string, by: number) => n.set(d, (n.get(d) ?? 0) + by);
  for (const m of plan.months) {
    const [y, mo] = m.split("-").map(Number);
    const last = new Date(Date.UTC(y!, mo!, 0)).toISOString().slice(0, 10);
    for (const d of days(`${m}-01`, last)) bump(d, 1);
  }
  for (const d of plan.plusDays) bump(d, 1);
  for (const d of plan.minusDays) bump(d, -1);
  for (const [d, c] of n) if (c === 0) n.delete(d);
  return n;
}

describe("monthPlan: a day range as months ± edge days", () => {
  it("covers every day of the range exactly once and nothing else, for any range", () => {
    const starts = ["2024-02-10", "2025-12-31", "2026-01-01", "2026-03-15", "2026-11-07"];
    for (const from of starts) {
      for (const length of [1, 7, 15, 30, 31, 45, 90, 400]) {
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + (length - 1) * 86_400_000).toISOString().slice(0, 10);
        for (const today of [to, "2030-01-01", from]) {
          const got = covered(monthPlan(from, to, today));
          expect([...got.entries()].sort(), `${from}..${to}, today ${today}`).toEqual(days(from, to).map((d) => [d, 1]));
        }
      }
    }
  });

  it("reads the last 30 days as two months minus the first month's early days", () => {
    expect(monthPlan("2026-11-07", "2026-12-06", "2026-12-06")).toEqual({
      months: ["2026-11", "2026-12"],
      plusDays: [],
      minusDays: [...days("2026-11-01", "2026-11-06"), ...days("2026-12-07", "2026-12-31")],
    });
  });

  it("adds the days themselves when they are fewer than the rest of their month", () => {
    expect(monthPlan("2026-03-29", "2026-04-02", "2026-06-01")).toEqual({ months: [], plusDays: days("2026-03-29", "2026-04-02"), minusDays: [] });
    // Days after today hold no rows yet: this month is cheaper whole, minus its (empty) future days.
    expect(monthPlan("2026-03-29", "2026-04-02", "2026-04-02")).toEqual({ months: ["2026-04"], plusDays: days("2026-03-29", "2026-03-31"), minusDays: days("2026-04-03", "2026-04-30") });
  });

  it("whole months need no days; an empty range reads nothing", () => {
    expect(monthPlan("2026-01-01", "2026-02-28", "2026-06-01")).toEqual({ months: ["2026-01", "2026-02"], plusDays: [], minusDays: [] });
    expect(monthPlan("2026-02-02", "2026-02-01", "2026-06-01")).toEqual({ months: [], plusDays: [], minusDays: [] });
  });
});
