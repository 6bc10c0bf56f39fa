/**
 * The viewer's time zone: detected in the browser, remembered on the user (like the language) and
 * mirrored in a cookie so the server renders the same text the browser would. UTC until known.
 */
export const TIME_ZONE_COOKIE = "NEXT_TZ";
export const DEFAULT_TIME_ZONE = "UTC";

/**
 * Zones already checked. Every formatted time asks (lib/time/format.ts), and building an
 * Intl.DateTimeFormat to ask costs ~50 µs: 20 ms of each /usage page with its hundreds of times.
 * Only names the runtime accepts are kept, and at most KNOWN_ZONES_MAX of them: Intl also accepts
 * other spellings of a name ("asia/SEOUL"), which a cookie could vary without end.
 */
const KNOWN_ZONES_MAX = 1000;
const knownZones = new Set<string>([DEFAULT_TIME_ZONE]);

/** An IANA zone name this runtime knows ("Asia/Seoul", "UTC"); anything else is refused. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (knownZones.has(value)) return true;
  if (value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
  } catch {
    return false;
  }
  if (knownZones.size < KNOWN_ZONES_MAX) knownZones.add(value);
  return true;
}
