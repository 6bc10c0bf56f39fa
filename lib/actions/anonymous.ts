import "server-only";
import { log } from "@/lib/log";

/**
 * Server actions called without a session are refused before anything is written: an attacker
 * must not be able to grow the audit log (or any table) by calling actions anonymously. They are
 * counted here instead — in memory, one counter per action name (a fixed set, so the map is
 * bounded) — and reported in one log line at most once a minute.
 */
const counts = new Map<string, number>();
let windowStart = Date.now();
const REPORT_EVERY_MS = 60_000;

export function countAnonymousCall(action: string, now = Date.now()): void {
  counts.set(action, (counts.get(action) ?? 0) + 1);
  if (now - windowStart < REPORT_EVERY_MS) return;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  log().warn({ refused: Object.fromEntries(counts), total, sinceMs: now - windowStart }, "unauthenticated action calls refused");
  counts.clear();
  windowStart = now;
}

/** For tests: the calls counted since the last report. */
export function anonymousCallCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}
