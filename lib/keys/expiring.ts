/**
 * The window the console calls "expiring soon": amber in the inventory, the home page's count and
 * its link. Client-safe (no server imports), so the badges and the queries share one number.
 */
export const EXPIRING_SOON_DAYS = 7;
