import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { appendAudit } from "@/lib/audit/service";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { isDraining } from "@/lib/ops/lifecycle";
import { type CostStream, readCostStreams, reresolveCostSubjects } from "@/lib/cost/ingest";
import { reresolveSubjects } from "./resolve";
import { bucketEntry, checkBucket, drainQueue, syncTrailStream, type TrailSource, trailEntry } from "./s3-trail";
import { NO_PROGRESS, type RegionProgress, type SyncDeps, syncRegion, SyncStopped, type SyncStream } from "./sync";

export const USAGE_SYNC_LEASE = "usage-sync";
/** Renewed while the run is alive; a crashed holder's lease frees itself after this (deps.leaseTtlMs). */
const DEFAULT_LEASE_TTL_MS = 2 * 60_000;
/** Renewals come at a third of the TTL (at most every 20 s), so two can be missed before it lapses. */
const heartbeatMs = (ttlMs: number) => Math.min(20_000, Math.floor(ttlMs / 3));
/** Progress is written at most this often (the page polls it). */
const PROGRESS_WRITE_MS = 500;

export type SyncTrigger = "schedule" | "manual";
export type RunStatus = "success" | "partial" | "failure";

export interface RunSummary {
  runId: number;
  status: RunStatus;
  regions: RegionProgress[];
  inserted: number;
  durationMs: number;
}

export type StartOutcome =
  | { status: "started"; runId: number; done: Promise<RunSummary> }
  /** Another sync holds the lease (this process or another instance): report that one instead. */
  | { status: "running"; runId: number | null }
  /** A scheduled tick found that some instance already started a sync within the interval. */
  | { status: "skipped"; runId: number };

/**
 * Starts a sync unless one is running anywhere (a database lease shared by every app instance):
 * two "Sync now" presses, or a press during a scheduled run, end up as one run. The work goes on
 * in the background; `done` settles when it ends. Progress is written to the UsageSyncRun row.
 */
export async function startUsageSync(
  deps: SyncDeps,
  trigger: SyncTrigger,
  options: { full?: boolean; requestedById?: string | null; notWithinMs?: number; backfillFrom?: string } = {},
): Promise<StartOutcome> {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const startedAt = deps.now();
  const ttlMs = deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  if (!(await acquireLease(deps.db, USAGE_SYNC_LEASE, holder, ttlMs, startedAt))) {
    return { status: "running", runId: await runningRunId(deps.db) };
  }
  try {
    // We hold the lease, so any run still marked running belongs to a process that died.
    await deps.db.usageSyncRun.updateMany({ where: { status: "running" }, data: { status: "interrupted", finishedAt: startedAt } });
    // Every instance runs the schedule's timer, each with its own phase: under the lease (so two
    // ticks cannot both pass), a tick that comes within the interval of the last run's start
    // leaves it at that. N instances still sync once per interval, not N times.
    if (options.notWithinMs !== undefined) {
      const since = new Date(startedAt.getTime() - options.notWithinMs);
      const recent = await deps.db.usageSyncRun.findFirst({ where: { startedAt: { gt: since }, status: { not: "interrupted" } }, orderBy: { id: "desc" }, select: { id: true } });
      if (recent) {
        await releaseLease(deps.db, USAGE_SYNC_LEASE, holder);
        return { status: "skipped", runId: recent.id };
      }
    }
    // A trail that cannot be set up (its reader account gone) fails that source only, in the run.
    let trailProblem: Error | null = null;
    const trail = deps.trailSource
      ? await deps.trailSource().catch((error: unknown) => {
          trailProblem = error instanceof Error ? error : new Error(String(error));
          return null;
        })
      : null;
    const streams = (await syncStreams(deps)).filter((s) => !trail?.lookupOff.has(s.accountId));
    // Invocation logs (issue 15): tokens and cost, read in the same run. Streams that cannot be
    // set up (an account's role gone) are the accounts' problem, reported by the CloudTrail side.
    const costStreams = deps.costStreams ? await deps.costStreams().catch(() => [] as CostStream[]) : [];
    const pending = [
      ...streams.map(pendingRegion),
      ...(trail ? [bucketEntry(trail.trail), ...trail.streams.map(trailEntry)] : []),
      ...costStreams.map(pendingCost),
    ];
    const run = await deps.db.usageSyncRun.create({
      data: {
        trigger,
        full: options.full ?? false,
        requestedById: options.requestedById ?? null,
        startedAt,
        regions: JSON.stringify(pending),
        ...(options.backfillFrom ? { backfillFrom: options.backfillFrom } : {}),
      },
      select: { id: true },
    });
    const done = runSync(deps, run.id, holder, options.full ?? false, ttlMs, streams, trail, options.backfillFrom, trailProblem, costStreams);
    return { status: "started", runId: run.id, done };
  } catch (error) {
    await releaseLease(deps.db, USAGE_SYNC_LEASE, holder);
    throw error;
  }
}

/**
 * The run that holds the lease. It may have taken the lease a moment ago and not written its row
 * yet (two presses at once), so look again briefly; if it has already finished, the latest run
 * is the one the caller wanted to see.
 */
async function runningRunId(db: PrismaClient): Promise<number | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await db.usageSyncRun.findFirst({ where: { status: "running" }, orderBy: { id: "desc" }, select: { id: true } });
    if (current) return current.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await db.usageSyncRun.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? null;
}

/** What a run reads: every region of the console's own account, then every region of each member account (issue 14). */
async function syncStreams(deps: SyncDeps): Promise<StreamSpec[]> {
  const own: StreamSpec[] = deps.regions.map((region) => ({ accountId: "", region }));
  if (!deps.memberAccounts) return own;
  const members = await deps.memberAccounts();
  return [
    ...own,
    ...members.flatMap((m) =>
      m.regions.map((region) => ({
        accountId: m.accountId,
        accountName: m.name,
        region,
        client: m.clientFor(region),
        // Each account has its own LookupEvents allowance per region.
        bucket: deps.bucketFor(`${m.accountId}/${region}`),
      })),
    ),
  ];
}

type StreamSpec = { accountId: string; region: string } & Partial<SyncStream>;

const streamKey = (s: { accountId?: string; region: string }) => `${s.accountId ?? ""}/${s.region}`;

const costKey = (s: { accountId: string; region: string }) => `logs:${s.accountId}/${s.region}`;

function pendingCost(stream: CostStream): RegionProgress {
  // Cost streams name their account always (the console's own too: its 12-digit id).
  return { ...pendingRegion({ accountId: stream.accountId, region: stream.region, ...(stream.accountName ? { accountName: stream.accountName } : {}) }), source: "logs" };
}

function pendingRegion(stream: StreamSpec): RegionProgress {
  return {
    region: stream.region,
    ...(stream.accountId ? { accountId: stream.accountId, accountName: stream.accountName ?? stream.accountId } : {}),
    status: "pending",
    ...NO_PROGRESS,
  };
}

async function runSync(
  deps: SyncDeps,
  runId: number,
  holder: string,
  full: boolean,
  ttlMs: number,
  streams: StreamSpec[],
  trail: TrailSource | null,
  backfillFrom: string | undefined,
  trailProblem: Error | null = null,
  costStreams: CostStream[] = [],
): Promise<RunSummary> {
  const started = Date.now();
  const regions = new Map<string, RegionProgress>(streams.map((s) => [streamKey(s), pendingRegion(s)]));
  for (const s of costStreams) regions.set(costKey(s), pendingCost(s));
  if (trail) {
    regions.set("s3:bucket", bucketEntry(trail.trail));
    for (const s of trail.streams) regions.set(`s3:${s.accountId}/${s.region}`, trailEntry(s));
  }
  let lostLease = false;
  const heartbeat = setInterval(() => {
    acquireLease(deps.db, USAGE_SYNC_LEASE, holder, ttlMs, deps.now())
      .then((held) => {
        // Someone took the lease over (this process stalled past its TTL): stop between pages.
        if (!held) lostLease = true;
      })
      .catch(() => undefined); // a failed renewal is retried on the next beat
  }, heartbeatMs(ttlMs));
  heartbeat.unref();

  const writer = progressWriter(deps.db, runId, () => [...regions.values()]);
  try {
    // The trail (issue 19): one bucket check (which also reports a missing or denied bucket once),
    // then every account × region read from it, beside the LookupEvents streams.
    const trailRuns: Promise<RegionProgress>[] = [];
    if (trailProblem) {
      const failed: RegionProgress = { region: "", source: "s3", scope: "bucket", status: "failed", error: trailProblem.message, pages: 0, events: 0, inserted: 0, throttled: 0, progress: 0, etaSeconds: null };
      regions.set("s3:bucket", failed);
      trailRuns.push(Promise.reject(Object.assign(trailProblem, { region: "s3" })));
    }
    if (trail) {
      const stop = () => lostLease || isDraining();
      const bucket = regions.get("s3:bucket")!;
      // The queue's notified files first (late ones included), then the day folders.
      const bucketReady = checkBucket(trail, bucket, (p) => {
        regions.set("s3:bucket", p);
        writer.schedule();
      }).then(async (entry) => {
        await drainQueue(deps.db, trail, entry, {
          ...(deps.onBadTrailFile ? { onBadFile: deps.onBadTrailFile } : {}),
          shouldStop: stop,
          report: () => {
            regions.set("s3:bucket", { ...entry });
            writer.schedule();
          },
        }).catch((error: unknown) => {
          // The queue only speeds things up: its failure is shown, the listing still reads everything.
          entry.error = `SQS: ${error instanceof Error ? error.name : String(error)}`;
        });
        regions.set("s3:bucket", { ...entry });
        return entry;
      });
      bucketReady.catch(() => undefined); // reported by its own entry; the streams fail with it too
      trailRuns.push(bucketReady);
      for (const s of trail.streams) {
        trailRuns.push(
          syncTrailStream(
            deps.db,
            trail,
            s,
            {
              now: deps.now(),
              ...(backfillFrom ? { backfillFrom } : {}),
              ...(deps.onBadTrailFile ? { onBadFile: deps.onBadTrailFile } : {}),
              shouldStop: stop,
              onProgress: (p) => {
                regions.set(`s3:${s.accountId}/${s.region}`, p);
                writer.schedule();
              },
            },
            bucketReady,
          ),
        );
      }
    }
    const lookupRuns = streams.map((stream) =>
        syncRegion(
          deps,
          stream.region,
          {
            full,
            // Shutting down (SIGTERM): stop between pages; the cursor lets another instance resume.
            shouldStop: () => lostLease || isDraining(),
            onProgress: (p) => {
              regions.set(streamKey(stream), p);
              writer.schedule();
            },
          },
          stream.client && stream.bucket ? { ...stream, client: stream.client, bucket: stream.bucket } : undefined,
        ),
      );
    // Invocation logs (issue 15).
    const costReads = readCostStreams(
      { db: deps.db, now: deps.now, lateMs: deps.costLateMs ?? deps.lateEventMs, ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.retry ? { retry: deps.retry } : {}) },
      costStreams,
      {
        shouldStop: () => lostLease || isDraining(),
        onProgress: (stream, p) => {
          regions.set(costKey(stream), p);
          writer.schedule();
        },
      },
    );
    // Budgets follow the logs by minutes, not by the budget schedule's interval (issue 15) — nor by
    // this run's CloudTrail read, which can take far longer (LookupEvents' 2/s): as soon as the
    // invocation logs are read, their new records' subjects are resolved and budgets evaluated.
    let costFollowUp: unknown = null;
    const costRuns = costReads.then(async (outcomes) => {
      try {
        if (!lostLease && costStreams.length > 0) await reresolveCostSubjects(deps.db);
        if (!lostLease && deps.onCostStored && outcomes.some((o) => o.status === "fulfilled" && o.value.inserted > 0)) deps.onCostStored();
      } catch (error) {
        costFollowUp = error; // thrown once the other sources are done, as before
      }
      return outcomes;
    });
    const [lookupOutcomes, trailOutcomes, costOutcomes] = await Promise.all([Promise.allSettled(lookupRuns), Promise.allSettled(trailRuns), costRuns]);
    if (costFollowUp) throw costFollowUp;
    const outcomes = [...lookupOutcomes, ...trailOutcomes, ...costOutcomes];
    if (deps.onAccountResults) await deps.onAccountResults(accountResults(streams, lookupOutcomes)).catch(() => undefined);
    const failed = outcomes.filter((o) => o.status === "rejected");
    const status: RunStatus = failed.length === 0 ? "success" : failed.length === outcomes.length ? "failure" : "partial";
    // Calls stored before their key or person was known get attributed now.
    if (!lostLease) await reresolveSubjects(deps.db);
    const list = [...regions.values()];
    const inserted = callStreams(list).reduce((n, r) => n + r.inserted, 0);
    const firstError = failed[0]?.status === "rejected" ? describe(failed[0].reason) : null;
    await writer.flush();
    await deps.db.usageSyncRun.update({
      where: { id: runId },
      data: { ...totals(list), status, finishedAt: deps.now(), etaSeconds: 0, progress: status === "success" ? 1 : overall(list), error: firstError },
    });
    // Routine successful runs are not actions anyone took (the run table keeps them); failures
    // are worth an audit entry, since usage then goes stale.
    if (status !== "success") {
      await appendAudit(deps.db, { action: "usage.sync", result: "failure", actorEmail: "system", targetType: "usage", details: { runId, status, error: firstError, regions: list.map((r) => ({ region: r.region, status: r.status, error: r.error })) } });
    }
    return { runId, status, regions: list, inserted, durationMs: Date.now() - started };
  } catch (error) {
    await writer.flush().catch(() => undefined);
    await deps.db.usageSyncRun.update({ where: { id: runId }, data: { status: "failure", finishedAt: deps.now(), error: describe(error) } }).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(heartbeat);
    await releaseLease(deps.db, USAGE_SYNC_LEASE, holder).catch(() => undefined);
  }
}

/** Per member account: null when every region read, else the first failure (for the account's error state). */
function accountResults(streams: StreamSpec[], outcomes: PromiseSettledResult<RegionProgress>[]): Map<string, unknown> {
  const results = new Map<string, unknown>();
  streams.forEach((s, i) => {
    if (!s.accountId) return;
    const o = outcomes[i]!;
    if (!results.has(s.accountId) || results.get(s.accountId) === null) results.set(s.accountId, o.status === "rejected" ? o.reason : null);
  });
  return results;
}

function describe(error: unknown): string {
  if (error instanceof SyncStopped) return "LeaseLost";
  const region = error && typeof error === "object" && "region" in error ? `${String(error.region)}: ` : "";
  const code = error && typeof error === "object" && "awsCode" in error ? String(error.awsCode) : error instanceof Error ? error.name : "unknown";
  return `${region}${code}`;
}

function overall(list: RegionProgress[]): number {
  return list.length === 0 ? 1 : list.reduce((n, r) => n + r.progress, 0) / list.length;
}

/** Calls are CloudTrail events; the invocation-log streams (source "logs") store records about the same calls, not more calls. */
const callStreams = (list: RegionProgress[]) => list.filter((r) => r.source !== "logs");

function totals(list: RegionProgress[]) {
  const etas = list.map((r) => r.etaSeconds).filter((e): e is number => e !== null);
  const calls = callStreams(list);
  return {
    pages: calls.reduce((n, r) => n + r.pages, 0),
    eventsRead: calls.reduce((n, r) => n + r.events, 0),
    eventsInserted: calls.reduce((n, r) => n + r.inserted, 0),
    throttled: list.reduce((n, r) => n + r.throttled, 0),
    progress: overall(list),
    // Regions run in parallel: the run ends with its slowest region.
    etaSeconds: etas.length > 0 ? Math.max(...etas) : null,
    regions: JSON.stringify(list),
  };
}

/** Coalesces progress updates into at most one write per PROGRESS_WRITE_MS, never two at once. */
function progressWriter(db: PrismaClient, runId: number, snapshot: () => RegionProgress[]) {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let last = 0;
  const write = () => {
    timer = undefined;
    last = Date.now();
    writing = writing
      .then(() => db.usageSyncRun.update({ where: { id: runId }, data: totals(snapshot()) }))
      .then(() => undefined)
      .catch(() => undefined); // progress is best effort; the final update is not
  };
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(write, Math.max(0, PROGRESS_WRITE_MS - (Date.now() - last)));
      timer.unref();
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
      await writing;
    },
  };
}

export interface SyncStatus {
  runId: number;
  trigger: string;
  full: boolean;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  pages: number;
  eventsRead: number;
  eventsInserted: number;
  throttled: number;
  progress: number;
  etaSeconds: number | null;
  regions: SyncStatusEntry[];
  error: string | null;
  /** A backfill of the trail's files from this UTC day (issue 19). */
  backfillFrom: string | null;
}

export type SyncStatusEntry = Pick<
  RegionProgress,
  "region" | "status" | "progress" | "pages" | "inserted" | "accountId" | "accountName" | "source" | "scope" | "error" | "files" | "badFiles" | "fileErrors" | "ignored" | "daysDone" | "daysTotal" | "unmanagedAccounts" | "queueMessages" | "logging" | "readOn"
>;

/** The latest run, for the progress bar and "last synced". Counts only: nothing scoped in it. */
export async function latestSyncStatus(db: PrismaClient): Promise<SyncStatus | null> {
  const run = await db.usageSyncRun.findFirst({ orderBy: { id: "desc" } });
  if (!run) return null;
  let regions: SyncStatus["regions"] = [];
  try {
    regions = (JSON.parse(run.regions) as RegionProgress[]).map((r) => ({
      region: r.region,
      status: r.status,
      progress: r.progress,
      pages: r.pages,
      inserted: r.inserted,
      // Counts, account ids and the trail's messages (bucket and key names): nothing scoped.
      ...pick(r, ["accountId", "accountName", "source", "scope", "error", "files", "badFiles", "fileErrors", "ignored", "daysDone", "daysTotal", "unmanagedAccounts", "queueMessages", "logging", "readOn"]),
    }));
  } catch {
    regions = [];
  }
  return {
    runId: run.id,
    trigger: run.trigger,
    full: run.full,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    pages: run.pages,
    eventsRead: run.eventsRead,
    eventsInserted: run.eventsInserted,
    throttled: run.throttled,
    progress: run.progress,
    etaSeconds: run.etaSeconds,
    regions,
    error: run.error,
    backfillFrom: run.backfillFrom,
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** When usage was last read completely, per region (null: never). */
export async function lastCompleteSync(db: PrismaClient): Promise<Date | null> {
  const cursors = await db.usageSyncCursor.findMany({ select: { syncedThrough: true } });
  // Accounts read only from the trail (issue 19) move no LookupEvents cursor: a run that read
  // everything it was meant to read counts from its start.
  const run = await db.usageSyncRun.findFirst({ where: { status: "success" }, orderBy: { id: "desc" }, select: { startedAt: true } });
  const times = [...cursors.map((c) => c.syncedThrough), run?.startedAt ?? null].filter((d): d is Date => d !== null);
  return times.length > 0 ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
}
