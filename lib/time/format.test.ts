import { describe, expect, it } from "vitest";
import { formatDay, formatRelative, formatTime, formatTimeWithZone, formatUtc, zoneLabel } from "./format";
import { isTimeZone } from "./zone";

const at = new Date("2026-12-03T12:04:51Z");

describe("formatting times", () => {
  it("formats in the viewer's zone, in each language, the same way everywhere (no Intl date formatting)", () => {
    expect(formatTimeWithZone(at, { locale: "en", timeZone: "Asia/Seoul" })).toBe("Dec 3, 2026, 9:04 PM UTC+9");
    expect(formatTimeWithZone(at, { locale: "en", timeZone: "UTC" })).toBe("Dec 3, 2026, 12:04 PM UTC");
    expect(formatTime(at, { locale: "ko", timeZone: "Asia/Seoul" })).toBe("2026.12.03 21:04");
    expect(formatTime(at, { locale: "ja", timeZone: "Asia/Tokyo" })).toBe("2026/12/03 21:04");
    expect(formatTime(at, { locale: "zh-CN", timeZone: "Asia/Shanghai" }, "longDate")).toBe("2026年12月3日");
    expect(formatTime(at, { locale: "en", timeZone: "America/New_York" }, "dateTimeSeconds")).toBe("Dec 3, 2026, 7:04:51 AM");
  });

  it("names the zone by its offset at that instant, daylight saving included", () => {
    expect(zoneLabel(at, "America/New_York")).toBe("UTC\u22125");
    expect(zoneLabel(new Date("2026-07-01T12:00:00Z"), "America/New_York")).toBe("UTC\u22124");
    expect(zoneLabel(at, "Asia/Kolkata")).toBe("UTC+5:30");
    expect(zoneLabel(at, "Not/AZone")).toBe("UTC");
  });

  it("gives UTC for hover titles and exports, relative times against a given now, and calendar days", () => {
    expect(formatUtc(at)).toBe("2026-12-03 12:04:51 UTC");
    expect(formatRelative(new Date("2026-12-03T09:00:00Z"), at, "en")).toBe("3 hours ago");
    expect(formatRelative(new Date("2026-12-08T13:00:00Z"), at, "ja")).toBe("5日後");
    expect(formatDay("2026-12-03", "en", "dayMonth")).toBe("Dec 3");
    expect(formatDay("2026-12-03", "ko", "dayMonth")).toBe("12월 3일");
    expect(formatTime("not a date", { locale: "en", timeZone: "UTC" })).toBe("—");
  });

  it("accepts only zones the runtime knows", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("../../etc")).toBe(false);
    expect(isTimeZone(42)).toBe(false);
    // Asked again (answered from the zones already checked): the same answers.
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("checks a zone once, however often it is asked", () => {
    const real = Intl.DateTimeFormat;
    let built = 0;
    const counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      built += 1;
      return new real(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    Intl.DateTimeFormat = counting;
    try {
      for (let i = 0; i < 100; i++) expect(isTimeZone("America/Argentina/Ushuaia")).toBe(true);
      for (let i = 0; i < 3; i++) expect(isTimeZone("Mars/Phobos")).toBe(false);
    } finally {
      Intl.DateTimeFormat = real;
    }
    // One check for the known zone; an unknown one is checked each time (and never kept).
    expect(built).toBe(1 + 3);
  });
});
