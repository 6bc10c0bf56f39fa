/**
 * CloudWatch Logs request quotas as token buckets per account, region and operation. AWS's
 * defaults (CloudWatch Logs quotas; FilterLogEvents' 5 TPS per account per region is confirmed
 * by AWS's "How do I determine throttling in my CloudWatch logs?" article): beyond them AWS
 * answers ThrottlingException "Rate exceeded". Refilled on real time, not the sandbox clock
 * (as sandbox/src/cloudtrail/throttle.ts does for LookupEvents).
 */
import { realNowMs } from "../clock.js";
import type { SandboxState } from "../state.js";

export const DEFAULT_LOGS_QUOTAS: Readonly<Record<string, number>> = {
  FilterLogEvents: 5,
  GetLogEvents: 25,
  DescribeLogStreams: 25,
  DescribeLogGroups: 10,
  CreateLogGroup: 5,
  DeleteLogGroup: 10,
  CreateLogStream: 50,
  PutLogEvents: 5000,
};

export interface LogsThrottleSettings {
  enabled: boolean;
  /** Tests: buckets only drain, so "six rapid calls at 5/s → one throttled" holds on a slow machine. */
  refill: boolean;
  quotas: Record<string, number>;
}

/** One setting for the whole organisation (keyed by the shared accounts map); buckets per account. */
const settings = new WeakMap<Map<string, SandboxState>, LogsThrottleSettings>();
const buckets = new WeakMap<SandboxState, Map<string, { tokens: number; lastMs: number }>>();

export function logsThrottle(state: SandboxState): LogsThrottleSettings {
  let s = settings.get(state.accounts);
  if (!s) settings.set(state.accounts, (s = { enabled: true, refill: true, quotas: { ...DEFAULT_LOGS_QUOTAS } }));
  return s;
}

export function setLogsThrottle(state: SandboxState, change: { enabled?: boolean; refill?: boolean; quotas?: Record<string, number> }): LogsThrottleSettings {
  const s = logsThrottle(state);
  if (change.enabled !== undefined) s.enabled = change.enabled;
  if (change.refill !== undefined) s.refill = change.refill;
  if (change.quotas) Object.assign(s.quotas, change.quotas);
  for (const account of state.accounts.values()) buckets.delete(account);
  return s;
}

export function takeLogsToken(state: SandboxState, region: string, operation: string, nowMs = realNowMs()): boolean {
  const s = logsThrottle(state);
  const rate = s.quotas[operation];
  if (!s.enabled || rate === undefined || !(rate > 0)) return true;
  let mine = buckets.get(state);
  if (!mine) buckets.set(state, (mine = new Map()));
  const key = `${region}|${operation}`;
  const bucket = mine.get(key) ?? { tokens: rate, lastMs: nowMs };
  if (s.refill) bucket.tokens = Math.min(rate, bucket.tokens + ((nowMs - bucket.lastMs) / 1000) * rate);
  bucket.lastMs = nowMs;
  mine.set(key, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
