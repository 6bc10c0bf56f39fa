import { TZDate } from "@date-fns/tz";
import { format, formatDistanceStrict, type Locale as DateFnsLocale } from "date-fns";
import { enUS, ja, ko, zhCN } from "date-fns/locale";
import type { Locale } from "@/lib/i18n/locales";
import { DEFAULT_TIME_ZONE, isTimeZone } from "./zone";

/**
 * Every date and time the console shows is formatted here, with date-fns and its locale data
 * (plain JavaScript, the same bytes on the server and in the browser). Intl's date formatting
 * depends on the ICU data of the runtime: Node and Chromium disagree ("2026. 12. 3. PM 9:14" vs
 * "오후 9:13"), which broke hydration on the Korean pages (React error #418).
 */

const DATE_FNS_LOCALES: Record<Locale, DateFnsLocale> = { en: enUS, ja, ko, "zh-CN": zhCN };

export type TimeStyle = "dateTime" | "dateTimeSeconds" | "date" | "longDate" | "time" | "dayMonth";

// date-fns' localized long formats: P = date, p = time (each locale orders and words them itself).
const PATTERNS: Record<TimeStyle, string> = {
  dateTime: "PPp",
  dateTimeSeconds: "PPpp",
  date: "PP",
  longDate: "PPP",
  time: "p",
  dayMonth: "MMM d",
};

// date-fns has no localized "day and month" format: spelled out for the three CJK locales.
const DAY_MONTH: Partial<Record<Locale, string>> = { ja: "M月d日", ko: "M월 d일", "zh-CN": "M月d日" };

export interface TimeContext {
  locale: Locale;
  /** IANA zone of the viewer. */
  timeZone: string;
}

function zoneOf(ctx: TimeContext): string {
  return isTimeZone(ctx.timeZone) ? ctx.timeZone : DEFAULT_TIME_ZONE;
}

function localeOf(locale: Locale): DateFnsLocale {
  return DATE_FNS_LOCALES[locale] ?? enUS;
}

const asDate = (value: Date | string | number) => (value instanceof Date ? value : new Date(value));

/** The date (and time) in the viewer's zone, without the zone's name. */
export function formatTime(value: Date | string | number, ctx: TimeContext, style: TimeStyle = "dateTime"): string {
  const date = asDate(value);
  if (Number.isNaN(date.getTime())) return "—";
  const pattern = (style === "dayMonth" ? DAY_MONTH[ctx.locale] : undefined) ?? PATTERNS[style];
  return format(new TZDate(date, zoneOf(ctx)), pattern, { locale: localeOf(ctx.locale) });
}

/** The zone's offset at that instant, as a short name: "UTC", "UTC+9", "UTC−3:30". */
export function zoneLabel(value: Date | string | number, timeZone: string): string {
  const date = asDate(value);
  const zone = isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  // TZDate's offset is minutes *behind* UTC, like Date's (UTC+9 → -540).
  const offset = Number.isNaN(date.getTime()) ? 0 : -new TZDate(date, zone).getTimezoneOffset();
  if (offset === 0) return "UTC";
  const sign = offset > 0 ? "+" : "\u2212";
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `UTC${sign}${hours}${minutes ? `:${String(minutes).padStart(2, "0")}` : ""}`;
}

/** Date, time and zone: "Dec 3, 2026, 9:04 PM UTC+9". */
export function formatTimeWithZone(value: Date | string | number, ctx: TimeContext, style: TimeStyle = "dateTime"): string {
  return `${formatTime(value, ctx, style)} ${zoneLabel(value, ctx.timeZone)}`;
}

/** The instant in UTC, unambiguous and locale-free, for hover titles and exports: "2026-12-03 12:04:51 UTC". */
export function formatUtc(value: Date | string | number): string {
  const date = asDate(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "3 hours ago" / "in 5 days", against a `now` both server and browser were given. */
export function formatRelative(value: Date | string | number, now: Date | string | number, locale: Locale): string {
  const date = asDate(value);
  if (Number.isNaN(date.getTime())) return "—";
  return formatDistanceStrict(date, asDate(now), { addSuffix: true, locale: localeOf(locale) });
}

/** A calendar day ("2026-12-03", no time and so no zone), e.g. a chart's axis or a not-after date. */
export function formatDay(day: string, locale: Locale, style: "date" | "longDate" | "dayMonth" = "date"): string {
  return formatTime(new Date(`${day}T12:00:00Z`), { locale, timeZone: DEFAULT_TIME_ZONE }, style);
}
