/**
 * The invocation-log read on its own (issue 15's latency goals): every INVOCATION_LOG_SYNC_MINUTES
 * (default 1), besides the usage sync's read every USAGE_SYNC_MINUTES (default 5), so a call's cost
 * reaches the key page — and its budget acts — within Bedrock's delivery delay + about a minute,
 * not delivery + up to five minutes (which, with delivery taking a minute, was up to 6 minutes:
 * past the goal of 5). Why a second read rather than a shorter usage sync: the usage sync also
 * reads CloudTrail (LookupEvents: 2 requests/s per account and region, re-reading 15 minutes
 * each run), which would cost five times as many requests for nothing — CloudTrail lists events
 * 5–15 minutes late anyway — while invocation logs arrive within about a minute.
 *
 * Each read re-reads only FAST_LATE_MS before its cursor (records delivered a few minutes late);
 * the usage sync's read keeps the full INVOCATION_LOG_LATE_MINUTES margin and so still picks up
 * anything later than that. Both readers may overlap: records are stored once by request id and
 * rolled up only when newly stored, so an overlap costs requests, never a double count.
 *
 * It writes no UsageSyncRun row: "usage last synced" speaks of CloudTrail and must not be moved by
 * this read. Its own "as of" is the log cursors' position (costAsOf), which it advances.
 */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { isDraining } from "@/lib/ops/lifecycle";
import { type CostProgress, type CostStream, type CostSyncDeps, readCostStreams, reresolveCostSubjects } from "./ingest";

export const LOG_SYNC_LEASE = "invocation-log-sync";
/** How far each frequent read reaches back before its cursor: Bedrock's delivery is a minute or so, rarely a few. */
export const FAST_LATE_MS = 5 * 60_000;
/** Longer than any read of a minute's records; a crashed holder's lease frees itself after it. */
const LEASE_TTL_MS = 5 * 60_000;

export interface LogSyncDeps extends Omit<CostSyncDeps, "lateMs"> {
  /** The account × regions to read (lib/cost/deps.ts costStreams). */
  streams(): Promise<CostStream[]>;
  /** INVOCATION_LOG_LATE_MINUTES: the margin is the shorter of it and FAST_LATE_MS. */
  lateMs: number;
  /** Called once after a read that stored new records (budgets are evaluated then). */
  onCostStored?: () => void;
  /**
   * With several instances each running the timer, a read that finds another read (this one's or
   * the usage sync's) finished less than this long ago leaves it at that.
   */
  notWithinMs?: number;
}

export type LogSyncOutcome =
  | { status: "done"; inserted: number; streams: CostProgress[]; failed: { region: string; accountId: string; error: string }[] }
  /** Another instance is reading, or one read within notWithinMs. */
  | { status: "skipped" };

export async function runInvocationLogSync(deps: LogSyncDeps): Promise<LogSyncOutcome> {
  const holder = randomUUID();
  if (!(await acquireLease(deps.db, LOG_SYNC_LEASE, holder, LEASE_TTL_MS, deps.now()))) return { status: "skipped" };
  try {
    if (deps.notWithinMs !== undefined && (await readRecently(deps.db, deps.now().getTime() - deps.notWithinMs))) return { status: "skipped" };
    const streams = await deps.streams();
    const outcomes = await readCostStreams({ ...deps, lateMs: Math.min(deps.lateMs, FAST_LATE_MS) }, streams, { shouldStop: isDraining });
    const done = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    // A failed stream has recorded its error on its cursor (shown on the accounts page) and is read again next time.
    const failed = outcomes.flatMap((o, i) => (o.status === "rejected" ? [{ region: streams[i]!.region, accountId: streams[i]!.accountId, error: o.reason instanceof Error ? o.reason.message : String(o.reason) }] : []));
    const inserted = done.reduce((n, p) => n + p.inserted, 0);
    if (inserted > 0) {
      await reresolveCostSubjects(deps.db);
      deps.onCostStored?.();
    }
    return { status: "done", inserted, streams: done, failed };
  } finally {
    await releaseLease(deps.db, LOG_SYNC_LEASE, holder).catch(() => undefined);
  }
}

async function readRecently(db: PrismaClient, sinceMs: number): Promise<boolean> {
  const last = await db.invocationLogCursor.aggregate({ _max: { lastRunAt: true } });
  return (last._max.lastRunAt?.getTime() ?? 0) > sinceMs;
}
