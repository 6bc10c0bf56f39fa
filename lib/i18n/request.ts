import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_TIME_ZONE, isTimeZone, TIME_ZONE_COOKIE } from "@/lib/time/zone";
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from "./locales";

// No locale in the URL: the language is a per-user setting (stored on the user, mirrored in a
// cookie at sign-in and when changed), falling back to the browser's Accept-Language.
// The time zone likewise: the browser's, remembered on the user and in a cookie (lib/time/zone.ts).
export default getRequestConfig(async () => {
  const jar = await cookies();
  const cookie = jar.get(LOCALE_COOKIE)?.value;
  const locale: Locale = isLocale(cookie) ? cookie : localeFromAcceptLanguage((await headers()).get("accept-language"));
  const messages = (await import(`./messages/${locale}.json`)).default;
  const zone = jar.get(TIME_ZONE_COOKIE)?.value;
  return { locale, messages, timeZone: isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE };
});
