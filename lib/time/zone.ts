/**
 * The viewer's time zone: detected in the browser, remembered on the user (like the language) and
 * mirrored in a cookie so the server renders the same text the browser would. UTC until known.
 */
export const TIME_ZONE_COOKIE = "NEXT_TZ";
export const DEFAULT_TIME_ZONE = "UTC";

/** An IANA zone name this runtime knows ("Asia/Seoul", "UTC"); anything else is refused. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
