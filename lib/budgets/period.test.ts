import { describe, expect, it } from "vitest";
import { periodDays, periodEnd, periodOf } from "./period";

describe("budget periods (calendar months in UTC)", () => {
  it("uses the UTC month, not the server's or the viewer's zone", () => {
    // 23:30 on Jan 31 in New York is already Feb 1 in UTC: February's budget.
    expect(periodOf(new Date("2026-01-31T23:30:00-05:00"))).toBe("2026-02");
    // 08:00 on Mar 1 in Tokyo is still Feb 28 in UTC: February's budget.
    expect(periodOf(new Date("2026-03-01T08:00:00+09:00"))).toBe("2026-02");
  });

  it("knows each month's last day, leap years included, and when the period ends", () => {
    expect(periodDays("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(periodDays("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodDays("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(periodEnd("2026-12").toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
