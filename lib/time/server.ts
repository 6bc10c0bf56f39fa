import "server-only";
import { getLocale, getTimeZone } from "next-intl/server";
import type { Locale } from "@/lib/i18n/locales";
import { timeFormatter, type TimeFormatter } from "./use-time";

/** useTimeFormat for async server components and route handlers. */
export async function getTimeFormat(): Promise<TimeFormatter> {
  return timeFormatter({ locale: (await getLocale()) as Locale, timeZone: await getTimeZone() });
}
