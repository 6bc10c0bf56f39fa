import { useLocale, useTimeZone } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import { formatDay, formatRelative, formatTime, formatTimeWithZone, formatUtc, type TimeContext, type TimeStyle, zoneLabel } from "./format";
import { DEFAULT_TIME_ZONE } from "./zone";

export type TimeFormatter = ReturnType<typeof timeFormatter>;

/** The formatting functions, bound to one viewer's language and zone. */
export function timeFormatter(ctx: TimeContext) {
  return {
    ...ctx,
    /** "Dec 3, 2026, 9:04 PM UTC+9": for text that goes into a sentence. */
    withZone: (value: Date | string | number, style: TimeStyle = "dateTime") => formatTimeWithZone(value, ctx, style),
    plain: (value: Date | string | number, style: TimeStyle = "dateTime") => formatTime(value, ctx, style),
    relative: (value: Date | string | number, now: Date | string | number) => formatRelative(value, now, ctx.locale),
    day: (day: string, style?: "date" | "longDate" | "dayMonth") => formatDay(day, ctx.locale, style),
    zone: (value: Date | string | number) => zoneLabel(value, ctx.timeZone),
    utc: formatUtc,
  };
}

/**
 * For components on either side (server components that are not async, and client components):
 * next-intl knows the request's language and zone in both, so server and browser print the same.
 */
export function useTimeFormat(): TimeFormatter {
  const locale = useLocale() as Locale;
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  return timeFormatter({ locale, timeZone });
}
