import { describe, expect, it } from "vitest";
import { dayRange, parseUsageFilters, usageQuery } from "./filters";

const NOW = new Date("2026-11-20T15:30:00Z");

describe("usage filters", () => {
  it("defaults to the last 30 days", () => {
    const { ok, filters } = parseUsageFilters({});
    expect(ok).toBe(true);
    const r = dayRange(filters, NOW);
    expect([r.fromDay, r.toDay, r.days.length]).toEqual(["2026-10-22", "2026-11-20", 30]);
    expect(r.from.toISOString()).toBe("2026-10-22T00:00:00.000Z");
    expect(r.toExclusive.toISOString()).toBe("2026-11-21T00:00:00.000Z");
  });

  it("takes presets and custom ranges, and drops what is invalid by name", () => {
    expect(dayRange(parseUsageFilters({ range: "7" }).filters, NOW).days).toHaveLength(7);
    const custom = parseUsageFilters(new URLSearchParams("range=custom&from=2026-09-01&to=2026-09-03&identity=short-term"));
    expect(custom.ok).toBe(true);
    expect(dayRange(custom.filters, NOW).days).toEqual(["2026-09-01", "2026-09-02", "2026-09-03"]);
    const bad = parseUsageFilters({ range: "custom", from: "2026-09-05", to: "2026-09-01", region: "Mars", result: "error" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.invalid.sort()).toEqual(["from", "region", "to"]);
    expect(bad.filters).toMatchObject({ range: "30", result: "error" });
    expect(bad.filters.region).toBeUndefined();
    expect(parseUsageFilters({ range: "custom", from: "2024-01-01", to: "2026-01-01" }).ok).toBe(false);
  });

  it("takes the drill-down's event as a row id; anything else (a CloudTrail eventID from an old link) is dropped by name", () => {
    expect(parseUsageFilters({ event: "4711" })).toMatchObject({ ok: true, filters: { event: 4711 } });
    for (const event of ["3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a11", "0", "-1", "1.5", "12345678901234567"]) {
      const parsed = parseUsageFilters({ event, result: "error" });
      expect(parsed).toMatchObject({ ok: false, invalid: ["event"], filters: { result: "error" } });
      expect(parsed.filters.event).toBeUndefined();
    }
  });

  it("writes filters back as a query string without defaults", () => {
    const { filters } = parseUsageFilters({ range: "7", model: "amazon.nova-lite-v1:0", page: "3", from: "2026-01-01" });
    expect(usageQuery(filters)).toBe("?range=7&model=amazon.nova-lite-v1%3A0&page=3");
    expect(usageQuery(filters, { page: undefined, event: 42 })).toBe("?range=7&model=amazon.nova-lite-v1%3A0&event=42");
    expect(usageQuery(parseUsageFilters({}).filters)).toBe("");
  });
});
