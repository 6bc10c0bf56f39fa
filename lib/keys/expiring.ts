/**
 * The window the console calls "expiring soon": amber in the inventory, the home page's count and
 * its link. Client-safe (no server imports), so the badges and the queries share one number.
 */
export const EXPIRING_SOON_DAYS = 7;

/** Short-term keys (hours at most) count as "expiring soon" in their last quarter hour. */
export const SHORT_TERM_SOON_MS = 15 * 60_000;
