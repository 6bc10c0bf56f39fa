/**
 * Invocation-log ingest (issue 15): per account × region, read the model invocation logging
 * configuration, then the configured CloudWatch Logs group with FilterLogEvents, oldest first,
 * from the cursor (minus a lateness margin) to now. Each page is stored with its rollups and the
 * cursor in one transaction, so a crash loses nothing and skips nothing: the next run starts at
 * the last committed page, and records read twice are dropped by requestId.
 *
 * FilterLogEvents is limited to 5 requests per second per account and region (not adjustable, as
 * AWS's knowledge center says); the reader paces itself with a token bucket per account × region
 * (lib/usage/token-bucket.ts, as the CloudTrail sync does) and backs off on ThrottlingException.
 */
import { type BedrockClient, GetModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { saveStatus, statusFrom } from "@/lib/invocation-logging/service";
import { type CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { NO_PROGRESS } from "@/lib/usage/sync";
import type { TokenBucket } from "@/lib/usage/token-bucket";
import { ArnAttributor } from "./attribute";
import { PriceBook } from "./prices";
import { commitRecords, type CostRow, parseInvocationLog } from "./records";

/** FilterLogEvents' documented request quota per account and region. */
export const FILTER_LOG_EVENTS_TPS = 5;
/** A first run reads this far back: this month and the whole of last month, for the cost views and budgets. */
export const INITIAL_LOOKBACK_MS = 62 * 86_400_000;
/** Progress is committed at least every this many records (one FilterLogEvents page holds up to 10,000). */
const PAGE_LIMIT = 10_000;

/** One account × region to read. accountId: the 12-digit AWS account. */
export interface CostStream {
  accountId: string;
  accountName?: string;
  region: string;
  logs: CloudWatchLogsClient;
  bedrock: Pick<BedrockClient, "send">;
  /** FilterLogEvents pacing for this account × region, shared by every run in the process. */
  bucket: TokenBucket;
}

export interface CostSyncDeps {
  db: PrismaClient;
  now(): Date;
  /** How far each run reaches back before the cursor (records delivered late or out of order). */
  lateMs: number;
  initialLookbackMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Backoff on ThrottlingException: doubles from baseMs to maxMs; gives up after maxAttempts in a row. */
  retry?: { baseMs: number; maxMs: number; maxAttempts: number };
}

export interface CostProgress {
  region: string;
  accountId: string;
  accountName?: string;
  source: "logs";
  /** done with logging "off"/"s3_only": nothing to read there. */
  status: "pending" | "running" | "done" | "failed";
  pages: number;
  events: number;
  inserted: number;
  throttled: number;
  progress: number;
  etaSeconds: number | null;
  error?: string;
  /** The log group read (on), or where logging goes instead (s3_only). */
  logGroupName?: string;
  logging?: "on" | "off" | "s3_only" | "error";
}

export class CostSyncError extends Error {
  constructor(
    readonly awsCode: string,
    message: string,
    readonly region: string,
  ) {
    super(message);
    this.name = "CostSyncError";
  }
}

const DEFAULT_RETRY = { baseMs: 250, maxMs: 8_000, maxAttempts: 12 };
const errorCode = (e: unknown) => (e && typeof e === "object" && "name" in e ? String((e as { name: unknown }).name) : "Unknown");
const errorMessage = (e: unknown) => (e instanceof Error ? e.message.slice(0, 500) : String(e).slice(0, 500));

/** Reads the logging configuration and records it (InvocationLoggingStatus), for the run and the settings page. */
export async function readLoggingStatus(db: PrismaClient, stream: Pick<CostStream, "accountId" | "region" | "bedrock">, now: Date) {
  const key = { accountId: stream.accountId, region: stream.region };
  try {
    const out = await stream.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));
    // The same row the accounts page's "Check logging" writes (lib/invocation-logging).
    const { state, logGroupName } = await saveStatus(db, statusFrom(stream.accountId, stream.region, out.loggingConfig, now));
    return { state, logGroupName } as const;
  } catch (error) {
    // Keep what was last known about the destination; say that it could not be read now.
    const data = { state: "error", checkedAt: now, errorCode: errorCode(error), error: errorMessage(error) };
    await db.invocationLoggingStatus.upsert({ where: { accountId_region: key }, create: { ...key, ...data }, update: data });
    throw new CostSyncError(errorCode(error), errorMessage(error), stream.region);
  }
}

/**
 * Every stream's invocation logs read at once, with one price book and one attribution cache for
 * the run: what the usage sync and the frequent log read (lib/cost/log-sync.ts) both do. A stream
 * that fails has recorded its error on its cursor and is read again next time; its rejection is
 * in the result, in the streams' order.
 */
export async function readCostStreams(
  deps: CostSyncDeps,
  streams: CostStream[],
  options: { shouldStop: () => boolean; onProgress?: (stream: CostStream, p: CostProgress) => void },
): Promise<PromiseSettledResult<CostProgress>[]> {
  if (streams.length === 0) return [];
  const prices = await PriceBook.load(deps.db);
  const attributor = new ArnAttributor(deps.db);
  const { onProgress } = options;
  return Promise.allSettled(
    streams.map((stream) => syncInvocationLogs(deps, stream, { prices, attributor, shouldStop: options.shouldStop, ...(onProgress ? { onProgress: (p: CostProgress) => onProgress(stream, p) } : {}) })),
  );
}

/**
 * One account × region: the logging configuration, then the log group from the cursor to now.
 * Resolves with the progress when read (or when logging is not on: nothing to read); rejects with
 * a CostSyncError (recorded in the cursor) when the group is gone, access is denied or the
 * throttling does not let up.
 */
export async function syncInvocationLogs(
  deps: CostSyncDeps,
  stream: CostStream,
  options: { shouldStop?: () => boolean; onProgress?: (p: CostProgress) => void; prices?: PriceBook; attributor?: ArnAttributor } = {},
): Promise<CostProgress> {
  const { db } = deps;
  const key = { accountId: stream.accountId, region: stream.region };
  const progress: CostProgress = {
    region: stream.region,
    accountId: stream.accountId,
    ...(stream.accountName ? { accountName: stream.accountName } : {}),
    source: "logs",
    status: "running",
    ...NO_PROGRESS,
  };
  const report = () => options.onProgress?.({ ...progress });
  report();
  const runAt = deps.now();
  let logging: Awaited<ReturnType<typeof readLoggingStatus>>;
  try {
    logging = await readLoggingStatus(db, stream, runAt);
  } catch (error) {
    await db.invocationLogCursor.updateMany({ where: key, data: { lastRunAt: runAt, lastErrorCode: (error as CostSyncError).awsCode, lastError: (error as Error).message } });
    Object.assign(progress, { status: "failed", logging: "error", error: (error as CostSyncError).awsCode });
    report();
    throw error;
  }
  progress.logging = logging.state;
  if (logging.state !== "on" || !logging.logGroupName) {
    Object.assign(progress, { status: "done", progress: 1, etaSeconds: 0 });
    report();
    return progress;
  }
  const logGroupName = logging.logGroupName;
  progress.logGroupName = logGroupName;

  let cursor = await db.invocationLogCursor.findUnique({ where: { accountId_region: key } });
  if (!cursor || cursor.logGroupName !== logGroupName) {
    // A new destination is a new stream of records: read it from the start of the look-back.
    const data = { logGroupName, syncedThrough: null, lastErrorCode: null, lastError: null };
    cursor = await db.invocationLogCursor.upsert({ where: { accountId_region: key }, create: { ...key, ...data }, update: data });
  }
  const end = runAt.getTime();
  const start = cursor.syncedThrough ? cursor.syncedThrough.getTime() - deps.lateMs : end - (deps.initialLookbackMs ?? INITIAL_LOOKBACK_MS);
  const prices = options.prices ?? (await PriceBook.load(db));
  const attributor = options.attributor ?? new ArnAttributor(db);
  const retry = deps.retry ?? DEFAULT_RETRY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const began = performance.now();
  let nextToken: string | undefined;
  const fetchPage = (token: string | undefined) =>
    filterPage(stream, { logGroupName, startTime: start, endTime: end, ...(token ? { nextToken: token } : {}) }, retry, sleep, () => {
      progress.throttled++;
      report();
    });
  // The next page is requested while this one is committed (the token is known before the commit),
  // so the database's work and the 5 requests/s overlap instead of adding up.
  let pending: Promise<FilterLogEventsCommandOutput> | null = fetchPage(undefined);
  pending.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
  try {
    for (;;) {
      if (options.shouldStop?.() || !pending) break;
      const page = await pending;
      pending = null;
      const events = page.events ?? [];
      const facts = events.flatMap((e) => {
        const f = e.message ? parseInvocationLog(e.message, e.timestamp, key) : null;
        return f ? [f] : [];
      });
      const who = await attributor.attribute(facts.map((f) => f.identityArn));
      const rows: CostRow[] = facts.map((f) => ({ facts: f, who: who.get(f.identityArn)!, cost: prices.cost(f.modelId, f.region, f.operation, f) }));
      nextToken = page.nextToken;
      if (nextToken && !options.shouldStop?.()) {
        pending = fetchPage(nextToken);
        // Its failure is taken up when it is awaited; until then it must not count as unhandled.
        pending.catch(() => undefined);
      }
      // Every record before the page's last timestamp is stored once this commits (the page is in
      // timestamp order; records sharing that last instant may continue on the next page).
      const lastTs = events.at(-1)?.timestamp;
      const syncedThrough = nextToken ? (lastTs !== undefined ? new Date(lastTs) : null) : new Date(end + 1);
      const { inserted } = await commitRecords(db, rows, async (tx) => {
        await tx.invocationLogCursor.update({
          where: { accountId_region: key },
          data: {
            ...(syncedThrough && (!cursor!.syncedThrough || syncedThrough > cursor!.syncedThrough) ? { syncedThrough } : {}),
            recordsRead: { increment: events.length },
            lastRunAt: runAt,
          },
        });
      });
      progress.pages++;
      progress.events += events.length;
      progress.inserted += inserted;
      if (lastTs !== undefined && end > start) progress.progress = Math.min(1, Math.max(0, (lastTs - start) / (end - start)));
      const elapsed = (performance.now() - began) / 1000;
      progress.etaSeconds = progress.progress > 0 ? Math.round((elapsed / progress.progress) * (1 - progress.progress)) : null;
      report();
      if (!nextToken) break;
    }
  } catch (error) {
    const code = errorCode(error);
    const message =
      code === "ResourceNotFoundException"
        ? `The log group ${logGroupName} no longer exists in ${stream.region}: invocation logging has nowhere to deliver. Switch logging on again.`
        : errorMessage(error);
    await db.invocationLogCursor.update({ where: { accountId_region: key }, data: { lastRunAt: runAt, lastErrorCode: code, lastError: message } });
    Object.assign(progress, { status: "failed", error: code });
    report();
    throw new CostSyncError(code, message, stream.region);
  }
  const stopped = options.shouldStop?.() ?? false;
  await db.invocationLogCursor.update({ where: { accountId_region: key }, data: { lastRunAt: runAt, ...(stopped ? {} : { lastErrorCode: null, lastError: null }) } });
  Object.assign(progress, { status: "done", progress: stopped ? progress.progress : 1, etaSeconds: 0 });
  report();
  return progress;
}

async function filterPage(
  stream: CostStream,
  input: { logGroupName: string; startTime: number; endTime: number; nextToken?: string },
  retry: { baseMs: number; maxMs: number; maxAttempts: number },
  sleep: (ms: number) => Promise<void>,
  onThrottled: () => void,
): Promise<FilterLogEventsCommandOutput> {
  for (let attempt = 1; ; attempt++) {
    await stream.bucket.take();
    try {
      return await stream.logs.send(new FilterLogEventsCommand({ ...input, limit: PAGE_LIMIT }));
    } catch (error) {
      const code = errorCode(error);
      if ((code !== "ThrottlingException" && code !== "ServiceUnavailableException") || attempt >= retry.maxAttempts) throw error;
      // Someone else in the account is spending the same 5 requests/s: empty the bucket and wait.
      onThrottled();
      stream.bucket.drain();
      await sleep(Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
    }
  }
}

/**
 * Records stored before their key or person was known (the inventory found the key later, or the
 * person's issuance came after the calls) are attributed after each run, as usage's are.
 */
export async function reresolveCostSubjects(db: PrismaClient): Promise<number> {
  const open = await db.invocationRecord.findMany({
    where: { apiKeyId: null, userId: null, OR: [{ subject: { startsWith: "key:" } }, { subject: { startsWith: "identity:" } }] },
    distinct: ["subject"],
    select: { subject: true, identityArn: true },
  });
  if (open.length === 0) return 0;
  const found = await new ArnAttributor(db).attribute(open.map((o) => o.identityArn));
  let count = 0;
  for (const o of open) {
    const a = found.get(o.identityArn);
    if (!a || a.subject !== o.subject || (!a.apiKeyId && !a.userId)) continue;
    const r = await db.invocationRecord.updateMany({ where: { subject: o.subject, apiKeyId: null, userId: null }, data: { apiKeyId: a.apiKeyId, userId: a.userId } });
    count += r.count;
  }
  return count;
}
