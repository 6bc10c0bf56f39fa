import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { commitPage, type IngestRow } from "./ingest";
import { DEFAULT_RETRY, lookupPage, type LookupContext, type RetryPolicy, StaleNextTokenError } from "./lookup";
import { type NormalizedEvent, normalizeRecord } from "./normalize";
import { SubjectResolver } from "./resolve";
import type { TrailSource } from "./s3-trail";
import type { CostStream } from "@/lib/cost/ingest";
import type { TokenBucket } from "./token-bucket";

/** CloudTrail's event history reaches back 90 days. */
export const RETENTION_MS = 90 * 86_400_000;

export interface SyncDeps {
  db: PrismaClient;
  regions: readonly string[];
  clientFor(region: string): CloudTrailClient;
  /** One bucket per region, shared by every run in this process (LOOKUP_EVENTS_RPS). */
  bucketFor(region: string): TokenBucket;
  now(): Date;
  /** How far each window reaches back before the previous one's end (late CloudTrail delivery). */
  lateEventMs: number;
  /** TTL of the sync's lease (USAGE_SYNC_LEASE_SECONDS); 2 minutes when unset. */
  leaseTtlMs?: number;
  /**
   * The registered member accounts to read besides the console's own (issue 14), resolved when a
   * run starts. Each account has its own LookupEvents allowance per region, so each
   * account × region is read at its own pace, with its own cursor and errors.
   */
  memberAccounts?: () => Promise<MemberAccount[]>;
  /** Told, after a run, which member accounts read (null) and which failed (the error): their error state. */
  onAccountResults?: (results: Map<string, unknown>) => Promise<void>;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The organisation trail and the accounts read from it (issue 19), resolved when a run starts; null: none configured. */
  trailSource?: () => Promise<TrailSource | null>;
  /**
   * The account × regions whose model invocation logs to read for tokens and cost (issue 15),
   * resolved when a run starts; read beside CloudTrail in the same run (same lease, "Sync now").
   */
  costStreams?: () => Promise<CostStream[]>;
  /** Lateness margin of the invocation-log read (INVOCATION_LOG_LATE_MINUTES); lateEventMs when unset. */
  costLateMs?: number;
  /** Called after a run stored new invocation records (issue 15): budgets are evaluated right away. */
  onCostStored?: () => void;
  /** Told of each trail file skipped as unreadable (the app logs it; the run counts it). */
  onBadTrailFile?: (file: { accountId: string; region: string; key: string; error: string }) => void;
}

export interface MemberAccount {
  accountId: string;
  name: string;
  regions: readonly string[];
  clientFor(region: string): CloudTrailClient;
}

/** One account × region read by a run; accountId "" is the console's own account. */
export interface SyncStream {
  accountId: string;
  accountName?: string;
  region: string;
  client: CloudTrailClient;
  bucket: TokenBucket;
}

export interface RegionProgress {
  region: string;
  /** The member account read (issue 14); absent for the console's own account. */
  accountId?: string;
  accountName?: string;
  status: "pending" | "running" | "done" | "failed";
  pages: number;
  /** Records LookupEvents returned (all Bedrock events, before filtering). */
  events: number;
  /** Bearer-token runtime calls newly stored. */
  inserted: number;
  throttled: number;
  /** Share of the region's window read so far, 0..1. */
  progress: number;
  /** Seconds the region's window still needs at the rate read so far; null before the first page. */
  etaSeconds: number | null;
  error?: string;
  /** "s3": read from the organisation trail's files (issue 19); "logs": model invocation logs (issue 15); absent: LookupEvents. */
  source?: "s3" | "logs";
  /** Invocation logging in the account × region (source "logs"): off and s3_only have nothing to read. */
  logging?: "on" | "off" | "s3_only" | "error";
  logGroupName?: string;
  /** "bucket": the trail's bucket check (account folders), not an account × region. */
  scope?: "bucket";
  /** Trail files read, and skipped as unreadable (each with its reason in fileErrors, first 20). */
  files?: number;
  badFiles?: number;
  fileErrors?: string[];
  /** Objects under the trail's folders that are not log files (not .json.gz). */
  ignored?: number;
  /** Day folders read / to read (a backfill's progress). */
  daysDone?: number;
  daysTotal?: number;
  /** Account folders in the bucket of accounts the console does not manage (not read). */
  unmanagedAccounts?: string[];
  /**
   * Where a trail stream's files were read (the last file): "worker" on the trail reader's worker
   * thread, normalized there too; "worker+main" read there and normalized on the main thread;
   * "main" on the main thread (a client not made by createS3Client, or a worker that failed).
   */
  readOn?: "worker" | "worker+main" | "main";
  /** SQS notifications handled by the run (the bucket entry; issue 19). */
  queueMessages?: number;
}

/** The counters of an entry that has read nothing yet. */
export const NO_PROGRESS = { pages: 0, events: 0, inserted: 0, throttled: 0, progress: 0, etaSeconds: null } as const;

export interface SyncOptions {
  /** Re-read the full 90 days instead of continuing where the last sync stopped. */
  full?: boolean;
  /** Checked between pages; a run told to stop keeps what it committed. */
  shouldStop?: () => boolean;
  onProgress?: (region: RegionProgress) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every configured region at once; each keeps its own pace, cursor and errors. */
export async function syncAllRegions(deps: SyncDeps, options: SyncOptions = {}): Promise<RegionProgress[]> {
  return Promise.all(deps.regions.map((region) => syncRegion(deps, region, options)));
}

/**
 * Reads one region's window of CloudTrail, newest first, committing page by page.
 *
 * The window [windowStart, windowEnd] is fixed and persisted when a run starts; each committed
 * page moves `resumeBefore` back to its oldest event in the same transaction as its rows. A run
 * that crashes leaves the window in place, and the next run reads only (resumeBefore, windowStart]
 * — from one second past resumeBefore, since several events can share a second; the ones already
 * stored are recognised by their event id. When the window is read to its start, syncedThrough
 * becomes windowEnd and the next window starts there (minus the late-event margin).
 */
export async function syncRegion(deps: SyncDeps, region: string, options: SyncOptions = {}, stream?: SyncStream): Promise<RegionProgress> {
  const key = { accountId: stream?.accountId ?? "", region };
  const progress: RegionProgress = {
    region,
    ...(key.accountId ? { accountId: key.accountId, accountName: stream?.accountName ?? key.accountId } : {}),
    status: "running",
    ...NO_PROGRESS,
  };
  const report = () => options.onProgress?.({ ...progress });
  report();
  try {
    const window = await openWindow(deps, key, options.full ?? false);
    const ctx: LookupContext = {
      client: stream?.client ?? deps.clientFor(region),
      bucket: stream?.bucket ?? deps.bucketFor(region),
      retry: deps.retry ?? DEFAULT_RETRY,
      sleep: deps.sleep ?? sleep,
      onThrottled: () => {
        progress.throttled++;
        report();
      },
    };
    const resolver = new SubjectResolver(deps.db);
    const started = Date.now();
    // Progress is the share of the window read; a long window (the first 90 days) is measured
    // from roughly where its oldest event is, or the estimate would count months of nothing.
    const populatedFrom = window.end.getTime() - window.start.getTime() > PROBE_MIN_WINDOW_MS ? await oldestEventBound(ctx, window) : window.start;
    const span = Math.max(1, window.end.getTime() - populatedFrom.getTime());
    let resumeBefore = window.resumeBefore;
    const readSoFar = () => (resumeBefore ? window.end.getTime() - resumeBefore.getTime() : 0);
    // A resumed window starts part-read: the time left is estimated from this run's own pace.
    const readAtStart = readSoFar();
    const update = () => {
      const read = readSoFar();
      progress.progress = Math.min(1, Math.max(progress.progress, read / span));
      const elapsed = (Date.now() - started) / 1000;
      const pace = (read - readAtStart) / Math.max(elapsed, 0.001); // window milliseconds read per second
      progress.etaSeconds = read > readAtStart ? Math.round(Math.max(0, span - read) / pace) : null;
      report();
    };
    update();

    for (let restart = 0; ; restart++) {
      try {
        await readWindow();
        break;
      } catch (error) {
        // CloudTrail can expire a NextToken mid-window: start over from what is committed.
        if (!(error instanceof StaleNextTokenError) || restart >= 3) throw error;
      }
    }

    async function readWindow() {
      const end = resumeBefore ? new Date(Math.min(window.end.getTime(), resumeBefore.getTime() + 1000)) : window.end;
      let nextToken: string | undefined;
      // The commit of one page overlaps the request for the next: the bucket, not the database,
      // sets the pace. Commits still land strictly in page order.
      let pending: Promise<void> | undefined;
      do {
        if (options.shouldStop?.()) {
          await pending;
          throw new SyncStopped();
        }
        let page;
        try {
          page = await lookupPage(ctx, { start: window.start, end, ...(nextToken ? { nextToken } : {}) });
        } catch (error) {
          await pending?.catch(() => undefined); // the lookup's error is the one to report
          throw error;
        }
        await pending;
        progress.pages++;
        progress.events += page.records.length;
        const rows = await toRows(resolver, page.records, region);
        // Never move the position forward again (a resumed read starts a second past it).
        const oldest = page.oldest && (!resumeBefore || page.oldest < resumeBefore) ? page.oldest : null;
        pending = commitPage(deps.db, key, rows, oldest).then(({ inserted }) => {
          progress.inserted += inserted;
          if (oldest) resumeBefore = oldest;
          update();
        });
        // Its failure is handled when it is awaited (before the next commit); until then, mark
        // it handled so a failure during the next lookup is not an unhandled rejection.
        pending.catch(() => undefined);
        nextToken = page.nextToken;
      } while (nextToken);
      await pending;
    }

    await deps.db.usageSyncCursor.update({
      where: { accountId_region: key },
      data: { syncedThrough: window.end, windowStart: null, windowEnd: null, resumeBefore: null },
    });
    progress.status = "done";
    progress.progress = 1;
    progress.etaSeconds = 0;
  } catch (error) {
    progress.status = "failed";
    progress.error = errorCode(error);
    report();
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { region });
  }
  report();
  return progress;
}

const PROBE_MIN_WINDOW_MS = 86_400_000;
const PROBE_STEPS = 4;

/**
 * A lower bound for the window's oldest event, to within 1/16 of the window: a few one-event
 * lookups halving the window ("any event before the middle?"). Costs PROBE_STEPS requests at the
 * same pace as the reading, only for windows longer than a day.
 */
async function oldestEventBound(ctx: LookupContext, window: { start: Date; end: Date }): Promise<Date> {
  let lo = window.start.getTime();
  let hi = window.end.getTime();
  for (let step = 0; step < PROBE_STEPS; step++) {
    const mid = Math.floor((lo + hi) / 2);
    const probe = await lookupPage(ctx, { start: window.start, end: new Date(mid), maxResults: 1 });
    if (probe.records.length > 0) hi = mid;
    else lo = mid;
  }
  return new Date(lo);
}

export class SyncStopped extends Error {
  override name = "SyncStopped";
}

function errorCode(error: unknown): string {
  if (error && typeof error === "object" && "awsCode" in error && typeof error.awsCode === "string") return error.awsCode;
  return error instanceof Error ? error.name : "unknown";
}

/** The window to read: the one a crashed run left, or a new one from the cursor (90 days the first time). */
async function openWindow(deps: SyncDeps, key: { accountId: string; region: string }, full: boolean) {
  const now = deps.now();
  const oldestAvailable = new Date(now.getTime() - RETENTION_MS);
  const cursor = await deps.db.usageSyncCursor.upsert({ where: { accountId_region: key }, create: key, update: {} });
  if (!full && cursor.windowStart && cursor.windowEnd) {
    return { start: cursor.windowStart, end: cursor.windowEnd, resumeBefore: cursor.resumeBefore };
  }
  const from = full || !cursor.syncedThrough ? oldestAvailable : new Date(cursor.syncedThrough.getTime() - deps.lateEventMs);
  const start = from < oldestAvailable ? oldestAvailable : from > now ? now : from;
  await deps.db.usageSyncCursor.update({ where: { accountId_region: key }, data: { windowStart: start, windowEnd: now, resumeBefore: null } });
  return { start, end: now, resumeBefore: null };
}

/** Keep the bearer-token runtime calls and resolve who made them. */
async function toRows(resolver: SubjectResolver, records: readonly string[], region: string): Promise<IngestRow[]> {
  const parsed: { raw: string; event: NonNullable<ReturnType<typeof normalizeRecord>> }[] = [];
  for (const raw of records) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue; // not a record CloudTrail would produce; nothing to attribute
    }
    const event = normalizeRecord(json, region);
    if (event) parsed.push({ raw, event });
  }
  return attributeEvents(resolver, parsed);
}

/** Resolve who made each kept event (shared by LookupEvents pages and the trail's files). */
export async function attributeEvents(resolver: SubjectResolver, parsed: readonly { raw: string; event: NormalizedEvent }[]): Promise<IngestRow[]> {
  if (parsed.length === 0) return [];
  const subjects = await resolver.resolve(parsed.map((p) => p.event.subject));
  const byAccessKey = await resolver.usersByAccessKey(parsed.flatMap((p) => (p.event.accessKeyId && p.event.identityType === "short-term" ? [p.event.accessKeyId] : [])));
  return parsed.map(({ raw, event }) => {
    const subject = subjects.get(event.subject) ?? { apiKeyId: null, userId: null };
    // A short-term key's temporary access key id names the exact issuance, hence the person.
    const exactUser = event.accessKeyId ? byAccessKey.get(event.accessKeyId) : undefined;
    return { raw, event, resolution: exactUser ? { apiKeyId: null, userId: exactUser } : subject };
  });
}
