import { realNowMs } from "../clock.js";
import type { SandboxState } from "../state.js";

/**
 * LookupEvents is limited to N requests per second per account per region (AWS: 2). A token
 * bucket holding at most N tokens, refilled continuously on real time — not the sandbox clock,
 * which tests move by days at once. With refill paused (a control-API switch for tests), the buckets
 * only drain: "three rapid calls at 2/s → one throttled" then holds however slow the machine is.
 */
export function takeLookupToken(state: SandboxState, region: string, nowMs = realNowMs()): boolean {
  const rate = state.lookupEventsPerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) return true;
  const bucket = state.throttleBuckets.get(region) ?? { tokens: rate, lastMs: nowMs };
  if (!state.lookupRefillPaused) bucket.tokens = Math.min(rate, bucket.tokens + ((nowMs - bucket.lastMs) / 1000) * rate);
  bucket.lastMs = nowMs;
  state.throttleBuckets.set(region, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** Changes the rate; 0 (or less) disables throttling. Buckets restart full. */
export function setLookupRate(state: SandboxState, perSecond: number, refill = true): void {
  state.lookupEventsPerSecond = perSecond;
  state.lookupRefillPaused = !refill;
  state.throttleBuckets.clear();
}
