import { gunzip, gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { commitPage, type TableRows } from "./ingest";
import { type NormalizedEvent, normalizeRecord } from "./normalize";
import { SubjectResolver } from "./resolve";
import { attributeEvents, type RegionProgress } from "./sync";
import { type ReadFile, type ReadRequest, trailReaderFor } from "./trail-reader";
import { accountTrailPrefix, type TrailConfig } from "./trail-settings";

/**
 * Usage from the organisation trail's files in S3 (issue 19): the second source besides
 * LookupEvents, and the only one for data events (bedrock-mantle's inference calls).
 *
 * Layout (AWS, "Finding your CloudTrail log files"): `[<prefix>/]AWSLogs/[<org-id>/]<account>/
 * CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`,
 * each gzip JSON `{"Records": [...]}`. Files are named by delivery time, and late deliveries get
 * names older than files already read, so a day folder cannot be resumed with StartAfter alone:
 * every run re-lists the days still open (the last LATE_DAYS and tomorrow's) from their start and
 * skips the keys it recorded as read (UsageTrailFile). Older days are read once, in order, and the
 * cursor (UsageTrailCursor.completeBefore) moves past a day only when all its files are committed.
 * Each batch of files is committed with its events in one transaction (commitPage), so a crash
 * re-reads at most the batch it was in; eventID is unique, so re-reading anything is harmless.
 */

/** Days before today that are re-listed on every run (late deliveries). */
export const LATE_DAYS = 2;
/** The first read of an account × region reaches back as far as LookupEvents does. */
export const FIRST_READ_DAYS = 90;
/** A CloudTrail log file is at most a few tens of MB; anything far bigger is not one. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;
/**
 * Commit after this many events or files, whichever comes first. The rows travel as one JSON
 * parameter per statement (jsonRowSource), so no parameter limit applies; the size is what keeps a
 * transaction short (well inside Prisma's 5 s interactive-transaction timeout on a busy PostgreSQL)
 * and a stream's pending batch small. A file with more events is committed in several
 * transactions, its "read" row with the last.
 */
const BATCH_ROWS = 2000;
const BATCH_FILES = 200;
/** Downloads in flight per account × region. */
const DOWNLOADS = 8;
/**
 * Downloads in flight for the whole source (all its streams together): memory is bounded by this,
 * not by the number of account × region streams read at once (40 for 10 accounts × 4 regions).
 * 32, not 16, since the files are read on the trail reader's worker: while the main thread is
 * inside a commit (≈ 50 ms of SQLite for 2,000 events, blocking), the worker reads ahead instead
 * of idling once 16 small files are done (200,000 events on SQLite: 19.5–21.1 s against 22.4–24.4 s with
 * 16; docs/operations.md). A file in flight is a few KB of gzip and its parsed events.
 */
const SOURCE_DOWNLOADS = 32;
/** Bad-file messages kept on the run (the count is complete). */
const MAX_ERRORS_KEPT = 20;

export interface TrailStreamSpec {
  accountId: string;
  accountName: string;
  region: string;
}

export interface TrailSource {
  trail: TrailConfig;
  s3: S3Client;
  /** Every account × region read from the trail (accounts whose source is s3 or both). */
  streams: TrailStreamSpec[];
  /** Every registered account: account folders of any other account are counted and left alone. */
  managed: ReadonlySet<string>;
  /** Accounts read from the trail only ("" = the console's own): LookupEvents is not called for them. */
  lookupOff: ReadonlySet<string>;
  /** The bucket's object-created notifications (trail.queueUrl), when configured. */
  sqs?: SQSClient;
}

export interface TrailOptions {
  now: Date;
  /** A backfill: re-read every day folder from this UTC day (YYYY-MM-DD) on. */
  backfillFrom?: string;
  shouldStop?: () => boolean;
  onProgress?: (p: RegionProgress) => void;
  maxFileBytes?: number;
  maxJsonBytes?: number;
  onBadFile?: (file: { accountId: string; region: string; key: string; error: string }) => void;
}

/** Progress of the bucket check (which account folders exist), as an entry of the run. */
export function bucketEntry(trail: TrailConfig): RegionProgress {
  return { ...emptyProgress(trail.bucketRegion), source: "s3", accountName: `s3://${trail.bucket}${trail.prefix ? `/${trail.prefix}` : ""}`, scope: "bucket" };
}

export function trailEntry(s: TrailStreamSpec): RegionProgress {
  return { ...emptyProgress(s.region), source: "s3", accountId: s.accountId, accountName: s.accountName, files: 0, badFiles: 0, daysDone: 0, daysTotal: 0 };
}

function emptyProgress(region: string): RegionProgress {
  return { region, status: "pending", pages: 0, events: 0, inserted: 0, throttled: 0, progress: 0, etaSeconds: null };
}

export class TrailAccessError extends Error {
  override name = "TrailAccessError";
  constructor(
    readonly awsCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** An S3 failure as one line for the sync panel: the code and what it means here. */
function accessError(error: unknown, trail: TrailConfig): Error {
  const code = error && typeof error === "object" && "name" in error ? String((error as { name: unknown }).name) : "unknown";
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (code === "NoSuchBucket") return new TrailAccessError(code, `The bucket ${trail.bucket} does not exist.`);
  if (code === "AccessDenied" || status === 403) return new TrailAccessError("AccessDenied", `Access to the bucket ${trail.bucket} is denied (s3:ListBucket and s3:GetObject are needed).`);
  if (code === "PermanentRedirect" || code === "AuthorizationHeaderMalformed" || status === 301) return new TrailAccessError(code, `The bucket ${trail.bucket} is not in ${trail.bucketRegion}.`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Which account folders the trail has: those of accounts the console does not manage are counted
 * (and never read). This is also the run's first request to the bucket, so a missing bucket or a
 * denied listing is reported here, once, for the whole source.
 */
export async function checkBucket(source: TrailSource, entry: RegionProgress, report: (p: RegionProgress) => void): Promise<RegionProgress> {
  const { trail } = source;
  entry.status = "running";
  report({ ...entry });
  try {
    const root = `${trail.prefix ? `${trail.prefix}/` : ""}AWSLogs/${trail.orgId ? `${trail.orgId}/` : ""}`;
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await source.s3.send(new ListObjectsV2Command({ Bucket: trail.bucket, Prefix: root, Delimiter: "/", ...(token ? { ContinuationToken: token } : {}) }));
      entry.pages++;
      for (const p of page.CommonPrefixes ?? []) {
        const id = p.Prefix?.slice(root.length).replace(/\/$/, "");
        if (id && /^\d{12}$/.test(id)) found.push(id);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    entry.unmanagedAccounts = found.filter((id) => !source.managed.has(id));
    entry.status = "done";
    entry.progress = 1;
    entry.etaSeconds = 0;
    report({ ...entry });
    return entry;
  } catch (error) {
    const e = accessError(error, trail);
    entry.status = "failed";
    entry.error = e.message;
    report({ ...entry });
    throw Object.assign(e, { region: trail.bucket });
  }
}

const DAY_MS = 86_400_000;
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/**
 * Reads one account × region of the trail from its cursor (or the backfill's first day) to
 * tomorrow's folder (a file delivered after midnight may hold today's events).
 */
export async function syncTrailStream(db: PrismaClient, source: TrailSource, spec: TrailStreamSpec, options: TrailOptions, bucketReady: Promise<unknown>): Promise<RegionProgress> {
  let gate = streamGates.get(source);
  if (!gate) streamGates.set(source, (gate = limiter(STREAMS_AT_ONCE)));
  return gate(() => readStream(db, source, spec, options, bucketReady));
}

/**
 * Account × region streams read at once per source; the others wait (status "pending"). Each
 * stream holds up to a batch of parsed events (BATCH_ROWS, now across day folders) and DOWNLOADS
 * files, so this, not the number of accounts, bounds the memory a large organisation's backfill
 * takes. 4, not 8: the same CPU time and downloads in flight (SOURCE_DOWNLOADS is the tighter
 * bound) at 80 MB less peak RSS in the benchmark (200,000 events, SQLite: 407 → 325 MB of growth).
 */
const STREAMS_AT_ONCE = 4;
const streamGates = new WeakMap<TrailSource, <T>(run: () => Promise<T>) => Promise<T>>();

async function readStream(db: PrismaClient, source: TrailSource, spec: TrailStreamSpec, options: TrailOptions, bucketReady: Promise<unknown>): Promise<RegionProgress> {
  const progress = trailEntry(spec);
  const errors: string[] = [];
  const report = () => {
    if (errors.length) progress.fileErrors = [...errors];
    options.onProgress?.({ ...progress });
  };
  const key = { accountId: spec.accountId, region: spec.region };
  try {
    await bucketReady;
    progress.status = "running";
    report();
    const today = dayOf(options.now);
    const openFrom = addDays(today, -LATE_DAYS);
    const firstRead = dayOf(new Date(options.now.getTime() - FIRST_READ_DAYS * DAY_MS));
    let cursor = await db.usageTrailCursor.upsert({ where: { accountId_region: key }, create: { ...key, completeBefore: firstRead }, update: {} });
    // A backfill moves the cursor back first, so a crashed backfill resumes where it stopped.
    if (options.backfillFrom && options.backfillFrom < cursor.completeBefore) {
      cursor = await db.usageTrailCursor.update({ where: { accountId_region: key }, data: { completeBefore: options.backfillFrom } });
    }
    const start = cursor.completeBefore < openFrom ? cursor.completeBefore : openFrom;
    const last = addDays(today, 1);
    const days: string[] = [];
    for (let d = start; d <= last; d = addDays(d, 1)) days.push(d);
    progress.daysTotal = days.length;
    report();

    // The files recorded as read (open days only: closed days' rows go with the cursor). Keys read
    // in this run are not added: each day folder is listed once per run, and a set of every key
    // of a 400-day backfill (hundreds of thousands) would grow with the files read.
    const done = new Set((await db.usageTrailFile.findMany({ where: { ...key, day: { gte: start } }, select: { key: true } })).map((f) => f.key));
    const resolver = new SubjectResolver(db);
    const prefix = accountTrailPrefix(source.trail, spec.accountId);
    const started = Date.now();

    // One pending batch for the whole stream: a transaction takes up to BATCH_ROWS events from
    // however many files and day folders they came in (a day folder of an hourly trail holds a few
    // hundred), since each transaction has a fixed cost (statements, rollup upserts, the commit)
    // that dominated the ingest at one transaction per day folder (issue 19's benchmark).
    const batch = new PendingBatch();
    const folderOf = (day: string) => `${prefix}${spec.region}/${day.replaceAll("-", "/")}/`;
    const reader = new FileReader(source, spec.region, options, days.length, (i) => listDay(source, folderOf(days[i]!), progress).then((files) => files.filter((f) => !done.has(f.key))));
    for (let i = 0; i < days.length; i++) {
      const day = days[i]!;
      if (options.shouldStop?.()) {
        await commitBatch(db, source, spec, batch, resolver, progress, report);
        throw Object.assign(new Error("stopped"), { name: "SyncStopped" });
      }
      for await (const result of reader.day(i)) await addFile(db, source, spec, day, result, resolver, progress, errors, options, report, batch);
      // A day before the open window is complete: the cursor moves past it (and its file list
      // goes) in the transaction that commits its last events, whichever batch that is.
      if (day < openFrom && day >= cursor.completeBefore) {
        const next = addDays(day, 1);
        batch.completeBefore = next;
        cursor = { ...cursor, completeBefore: next };
      }
      progress.daysDone!++;
      progress.progress = progress.daysDone! / progress.daysTotal!;
      const elapsed = (Date.now() - started) / 1000;
      progress.etaSeconds = Math.round((elapsed / progress.daysDone!) * (progress.daysTotal! - progress.daysDone!));
      report();
    }
    await commitBatch(db, source, spec, batch, resolver, progress, report);
    progress.status = "done";
    progress.progress = 1;
    progress.etaSeconds = 0;
    report();
    return progress;
  } catch (error) {
    const e = error instanceof TrailAccessError || !isS3Error(error) ? error : accessError(error, source.trail);
    progress.status = "failed";
    progress.error = e instanceof Error ? e.message : String(e);
    report();
    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { region: `s3 ${spec.accountId}/${spec.region}` });
  }

  function isS3Error(e: unknown) {
    return Boolean(e && typeof e === "object" && "$metadata" in e);
  }
}

interface Listed {
  key: string;
  size: number;
}

/** Every log file in one day folder (all pages). Other objects there (not `.json.gz`) are not CloudTrail's and are left alone. */
async function listDay(source: TrailSource, folder: string, progress: RegionProgress): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await source.s3.send(new ListObjectsV2Command({ Bucket: source.trail.bucket, Prefix: folder, ...(token ? { ContinuationToken: token } : {}) }));
    progress.pages++;
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      if (!o.Key.endsWith(".json.gz")) {
        progress.ignored = (progress.ignored ?? 0) + 1;
        continue;
      }
      out.push({ key: o.Key, size: o.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export class BadFile extends Error {
  override name = "BadFile";
}

interface FileResult {
  file: Listed;
  records: unknown[];
  /** Each record's JSON text, when the worker made it (else it is made when the record is added). */
  raws?: string[];
  /** How many records the file had, once they are normalized and dropped (or as the worker counted them). */
  count?: number;
  /** Where it was read (RegionProgress.readOn). */
  readOn?: "worker" | "worker+main" | "main";
  /** Its usage events, normalized by the reader's worker, each with its raw record's JSON text. */
  parsed?: { raw: string; event: NormalizedEvent }[];
  error?: string;
}

/**
 * A stream's parsed events and read files not yet committed, across files and day folders, and
 * the cursor's next value once they are (the days closed since the last commit).
 */
class PendingBatch {
  parsed: { raw: string; event: NormalizedEvent }[] = [];
  files: { result: FileResult; day: string }[] = [];
  completeBefore: string | null = null;

  get empty() {
    return this.files.length === 0 && this.completeBefore === null;
  }

  take() {
    const taken = { parsed: this.parsed, files: this.files, completeBefore: this.completeBefore };
    this.parsed = [];
    this.files = [];
    this.completeBefore = null;
    return taken;
  }
}

/**
 * Commits a stream's pending batch: its events, rollups and "these files are read" rows — and the
 * cursor past the days it closes — in one transaction (several when it holds more than BATCH_ROWS
 * events; the files and the cursor go with the last). Files of days the cursor moves past get no
 * row: the cursor alone says they are read.
 */
async function commitBatch(db: PrismaClient, source: TrailSource, spec: TrailStreamSpec, batch: PendingBatch, resolver: SubjectResolver, progress: RegionProgress, report: () => void) {
  if (batch.empty) return;
  const { parsed, files, completeBefore } = batch.take();
  const key = { accountId: spec.accountId, region: spec.region };
  const rows = await attributeEvents(resolver, parsed);
  for (let at = 0; at === 0 || at < rows.length; at += BATCH_ROWS) {
    const chunk = rows.slice(at, at + BATCH_ROWS);
    const last = at + BATCH_ROWS >= rows.length;
    const { inserted } = await commitGate(source)(() =>
      commitPage(db, key, chunk, null, {
        alsoInTransaction:
          last && completeBefore !== null
            ? async (tx) => {
                await tx.usageTrailCursor.update({ where: { accountId_region: key }, data: { completeBefore } });
                // Also the rows of late files the queue brought into days closed before (drainQueue).
                await tx.usageTrailFile.deleteMany({ where: { ...key, day: { lt: completeBefore } } });
              }
            : undefined,
        alsoRows: last ? [filesReadRows(files, key, completeBefore)] : [],
      }),
    );
    progress.inserted += inserted;
  }
  progress.files = (progress.files ?? 0) + files.filter((f) => !f.result.error).length;
  report();
}

/** The batch's "these files are read" rows (UsageTrailFile), but for days the cursor moves past. */
function filesReadRows(files: PendingBatch["files"], key: { accountId: string; region: string }, completeBefore: string | null): TableRows {
  const readAt = new Date();
  return {
    table: "UsageTrailFile",
    columns: ["key", "accountId", "region", "day", "records", "error", "readAt"],
    types: ["text", "text", "text", "text", "int", "text", "time"],
    rows: files
      .filter((f) => completeBefore === null || f.day >= completeBefore)
      .map(({ result: f, day }) => [f.file.key, key.accountId, key.region, day, f.count ?? f.records.length, f.error ?? null, readAt]),
  };
}

/** One downloaded file into the stream's pending batch (its events normalized), committing the batch when it is full. */
async function addFile(
  db: PrismaClient,
  source: TrailSource,
  spec: TrailStreamSpec,
  day: string,
  result: FileResult,
  resolver: SubjectResolver,
  progress: RegionProgress,
  errors: string[],
  options: TrailOptions,
  report: () => void,
  batch: PendingBatch,
) {
  if (result.error) {
    progress.badFiles = (progress.badFiles ?? 0) + 1;
    if (errors.length < MAX_ERRORS_KEPT) errors.push(`${result.file.key}: ${result.error}`);
    options.onBadFile?.({ accountId: spec.accountId, region: spec.region, key: result.file.key, error: result.error });
  }
  batch.files.push({ result, day });
  if (result.readOn) progress.readOn = result.readOn;
  const { records, raws, parsed } = result;
  if (parsed) {
    for (const p of parsed) batch.parsed.push(p);
    delete result.parsed;
  } else {
    for (let i = 0; i < records.length; i++) {
      const event = normalizeRecord(records[i], spec.region);
      if (event) batch.parsed.push({ raw: raws?.[i] ?? JSON.stringify(records[i]), event });
    }
    // The records themselves are no longer needed (the file row keeps their count).
    result.count = records.length;
    result.records = [];
    delete result.raws;
  }
  progress.events += result.count ?? 0;
  if (batch.parsed.length >= BATCH_ROWS || batch.files.length >= BATCH_FILES) await commitBatch(db, source, spec, batch, resolver, progress, report);
}

/**
 * A stream's downloads across its day folders, taken in order: the next day folder is listed
 * while the current one is read, and up to DOWNLOADS files are in flight — the next folder's
 * first files included — so a stream no longer stalls at every folder boundary for a listing and
 * its first download (a backfill of an hourly trail reads 16,000 folders of a few files each, and
 * on S3 each round trip is tens of milliseconds). Bounded: one folder listed ahead, DOWNLOADS
 * files downloaded ahead. Files come out in listing order, day by day; a download or listing that
 * fails is thrown where its file or day comes, so nothing after it is ever added to a batch.
 * The SQS wake-up reads the files a notification names through the same reader, as one "day".
 */
class FileReader {
  /** Listings of the day being read and the next one (a day's goes once it is read). */
  private readonly listings = new Map<number, Promise<Listed[]>>();
  private readonly listed = new Map<number, Listed[]>();
  /** Downloads started and not yet taken, in order. */
  private readonly window: { day: number; result: Promise<FileResult> }[] = [];
  /** The next file to download: day index and position in its listing. */
  private nextDay = 0;
  private nextFile = 0;
  /** The day being taken (listings go at most one day beyond it). */
  private current = 0;
  private readonly download: <T>(run: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly source: TrailSource,
    private readonly region: string,
    private readonly options: TrailOptions,
    private readonly days: number,
    private readonly list: (day: number) => Promise<Listed[]>,
  ) {
    this.download = downloadGate(source);
  }

  /** Day `i`'s files, downloaded (called for day 0, 1, 2, … in order, each read to its end). */
  async *day(i: number): AsyncGenerator<FileResult> {
    this.current = i;
    const files = await this.listing(i);
    if (i + 1 < this.days) void this.listing(i + 1);
    for (let k = 0; k < files.length; k++) {
      this.launch();
      const slot = this.window[0];
      // The window is filled in listing order and this day's listing is in, so its files are next.
      if (!slot || slot.day !== i) throw new Error("trail reader out of order");
      const result = await slot.result;
      this.window.shift();
      this.launch();
      yield result;
    }
    this.listings.delete(i);
    this.listed.delete(i);
  }

  private listing(i: number): Promise<Listed[]> {
    let p = this.listings.get(i);
    if (!p) {
      p = this.list(i).then((files) => {
        if (i >= this.current) this.listed.set(i, files);
        this.launch();
        return files;
      });
      // Awaited when its day comes; until then (or if the stream fails first) not unhandled.
      p.catch(() => undefined);
      this.listings.set(i, p);
    }
    return p;
  }

  private launch() {
    while (this.window.length < DOWNLOADS && this.nextDay < this.days && this.nextDay <= this.current + 1) {
      const files = this.listed.get(this.nextDay);
      if (!files) return;
      if (this.nextFile >= files.length) {
        this.nextDay++;
        this.nextFile = 0;
        continue;
      }
      const file = files[this.nextFile++]!;
      const result = this.download(() => fetchFile(this.source, file, this.region, this.options));
      result.catch(() => undefined);
      this.window.push({ day: this.nextDay, result });
    }
  }
}

/**
 * Every stream of a run downloads and parses on its own, but at most COMMITS_AT_ONCE commit at a
 * time: SQLite has one writer anyway, and a transaction queued behind many others would outlive
 * Prisma's interactive-transaction timeout; PostgreSQL sees fewer conflicts on the rollup rows.
 */
const COMMITS_AT_ONCE = 2;
const gates = new WeakMap<TrailSource, <T>(run: () => Promise<T>) => Promise<T>>();
function commitGate(source: TrailSource) {
  let gate = gates.get(source);
  if (!gate) {
    const limit = limiter(COMMITS_AT_ONCE);
    gate = <T>(run: () => Promise<T>) => limit(() => retryOnWriteConflict(run));
    gates.set(source, gate);
  }
  return gate;
}

/** At most SOURCE_DOWNLOADS downloads (and their gunzip and parse) at once across a source's streams. */
const downloadGates = new WeakMap<TrailSource, <T>(run: () => Promise<T>) => Promise<T>>();
function downloadGate(source: TrailSource) {
  let gate = downloadGates.get(source);
  if (!gate) {
    gate = limiter(SOURCE_DOWNLOADS);
    downloadGates.set(source, gate);
  }
  return gate;
}

/** Runs at most `size` of the functions given at once; the others wait in order. */
function limiter(size: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await run();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Streams commit side by side; PostgreSQL may still abort one of two transactions that touch the
 * same rows (a deadlock or serialization failure). The transaction rolled back whole, so it is
 * simply run again.
 */
async function retryOnWriteConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } }; message?: string };
      // P2028: the transaction outlived its timeout waiting for the database (SQLite's one writer).
      const conflict = e.code === "P2034" || e.code === "P2028" || e.meta?.driverAdapterError?.cause?.kind === "TransactionWriteConflict" || /deadlock detected|could not serialize/.test(e.message ?? "");
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

/**
 * One file's records; a file that is not a readable CloudTrail log comes back with its error, never
 * thrown. Read on the source's worker threads when its client is the product's (trail-reader.ts),
 * else — and whenever a worker has failed — on this thread.
 */
async function fetchFile(source: TrailSource, file: Listed, region: string, options: TrailOptions): Promise<FileResult> {
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (file.size > maxFile) return { file, records: [], error: `too large (${file.size} bytes; at most ${maxFile})` };
  const request = { bucket: source.trail.bucket, key: file.key, maxJson: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES, region, size: file.size };
  const reader = trailReaderFor(source.s3, (r) => readFileHere(source.s3, r));
  const read = reader ? await reader.read(request) : await readFileHere(source.s3, request);
  if ("bad" in read) return { file, records: [], error: read.bad };
  if ("parsed" in read) return { file, records: [], count: read.count, parsed: read.parsed, readOn: "worker" };
  return { file, records: read.records, readOn: read.raws ? "worker+main" : "main", ...(read.raws ? { raws: read.raws } : {}) };
}

/** GetObject, gunzip and parse on this thread (the worker's source does the same: trail-reader.ts). */
export async function readFileHere(s3: S3Client, request: ReadRequest): Promise<ReadFile> {
  const res = await s3.send(new GetObjectCommand({ Bucket: request.bucket, Key: request.key }));
  try {
    const text = await gunzipText(res.Body as StreamingBody, request.maxJson);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BadFile("not JSON after gunzip");
    }
    const records = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as { Records?: unknown }).Records : undefined;
    if (!Array.isArray(records)) throw new BadFile("not a CloudTrail log file (no Records array)");
    return { records };
  } catch (error) {
    if (error instanceof BadFile) return { bad: error.message };
    throw error;
  }
}

/** GetObject's body: the SDK's stream with its helpers (only the one used here). */
export interface StreamingBody {
  transformToByteArray(): Promise<Uint8Array>;
}

/**
 * Compressed bodies up to this size are inflated on the event loop, bigger ones on libuv's thread
 * pool. An hourly trail file is a few KB: one synchronous inflate costs ~10 µs, a thread-pool
 * round trip 2–5× that (issue 19's benchmark); a 1 MB body (10–20 MB of JSON) takes tens of
 * milliseconds, which the pages served by the same process should not wait for.
 */
export const INFLATE_ON_LOOP_MAX_BYTES = 1024 * 1024;

/**
 * Gunzips a whole body in one call, refusing more than `max` bytes of output (a gzip bomb or a
 * wrong file: zlib stops at maxOutputLength). The compressed body is at most maxFileBytes (checked
 * against the listing before the GET), so it is read into one buffer first: with hourly files of a
 * few KB, a gunzip stream per file (its zlib context, per-chunk stream machinery and the pipe from
 * the HTTP body) cost 3–5× the inflate itself. gzip's own CRC-32 and length trailer are checked
 * by zlib, so a body cut short or altered in transit is refused here ("truncated gzip"/"not gzip").
 */
export async function gunzipText(body: StreamingBody, max: number, onLoopMax = INFLATE_ON_LOOP_MAX_BYTES): Promise<string> {
  const compressed = await body.transformToByteArray();
  try {
    const text =
      compressed.byteLength <= onLoopMax
        ? gunzipSync(compressed, { maxOutputLength: max })
        : await new Promise<Buffer>((resolve, reject) => gunzip(compressed, { maxOutputLength: max }, (e, out) => (e ? reject(e) : resolve(out))));
    return text.toString("utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw new BadFile(`more than ${max} bytes once gunzipped`);
    if (code === "Z_DATA_ERROR") throw new BadFile("not gzip");
    if (code === "Z_BUF_ERROR" || (error as Error).message?.includes("unexpected end")) throw new BadFile("truncated gzip");
    throw error;
  }
}

/** At most this many receives (of 10 messages) per run; the rest wait for the next run. */
const MAX_RECEIVES = 100;

/**
 * SQS wake-up (issue 19): the bucket's object-created notifications name new files as they are
 * delivered, late ones included (even for days whose folders are closed). Each run reads the
 * notified files of the streams it reads first — skipping keys already read — and deletes a
 * message only once its file is committed (a failed commit leaves it to come back after its
 * visibility timeout). `s3:TestEvent`s and keys outside the streams (digests, unmanaged accounts,
 * other regions) are deleted without reading. The listing that follows skips what was read here.
 */
export async function drainQueue(
  db: PrismaClient,
  source: TrailSource,
  entry: RegionProgress,
  options: Pick<TrailOptions, "onBadFile" | "shouldStop" | "maxFileBytes" | "maxJsonBytes"> & { waitSeconds?: number; report?: () => void },
): Promise<void> {
  const { sqs, trail } = source;
  if (!sqs || !trail.queueUrl) return;
  const root = `${trail.prefix ? `${trail.prefix}/` : ""}AWSLogs/${trail.orgId ? `${trail.orgId}/` : ""}`;
  const streams = new Map(source.streams.map((s) => [`${s.accountId}/${s.region}`, s]));
  const pattern = /^(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json\.gz$/;
  const resolver = new SubjectResolver(db);
  const errors: string[] = [];
  entry.queueMessages = 0;
  for (let receive = 0; receive < MAX_RECEIVES && !options.shouldStop?.(); receive++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: trail.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: receive === 0 ? (options.waitSeconds ?? 1) : 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    // Per stream and day: the files to read, and the messages to delete once they are committed.
    const work = new Map<string, { spec: TrailStreamSpec; day: string; files: Map<string, Listed> }>();
    const handles: { receipt: string; after: string[] }[] = [];
    for (const m of messages) {
      entry.queueMessages++;
      const after: string[] = [];
      for (const { key, size } of notifiedObjects(m.Body, trail.bucket)) {
        if (!key.startsWith(root)) continue;
        const match = pattern.exec(key.slice(root.length));
        const spec = match ? streams.get(`${match[1]}/${match[2]}`) : undefined;
        if (!match || !spec) continue;
        const day = `${match[3]}-${match[4]}-${match[5]}`;
        const id = `${spec.accountId}/${spec.region}/${day}`;
        if (!work.has(id)) work.set(id, { spec, day, files: new Map() });
        work.get(id)!.files.set(key, { key, size });
        after.push(id);
      }
      if (m.ReceiptHandle) handles.push({ receipt: m.ReceiptHandle, after });
    }
    const committed = new Set<string>();
    for (const [id, { spec, day, files }] of work) {
      const known = new Set((await db.usageTrailFile.findMany({ where: { key: { in: [...files.keys()] } }, select: { key: true } })).map((f) => f.key));
      const todo = [...files.values()].filter((f) => !known.has(f.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
      const batch = new PendingBatch();
      const report = () => options.report?.();
      const reader = new FileReader(source, spec.region, options as TrailOptions, 1, async () => todo);
      for await (const result of reader.day(0)) await addFile(db, source, spec, day, result, resolver, entry, errors, options as TrailOptions, report, batch);
      await commitBatch(db, source, spec, batch, resolver, entry, report);
      committed.add(id);
    }
    for (const h of handles) {
      if (h.after.every((id) => committed.has(id))) await sqs.send(new DeleteMessageCommand({ QueueUrl: trail.queueUrl, ReceiptHandle: h.receipt }));
    }
    options.report?.();
  }
  if (errors.length) entry.fileErrors = errors;
}

/** The objects an S3 event notification names (none for s3:TestEvent or anything else). */
function notifiedObjects(body: string | undefined, bucket: string): { key: string; size: number }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return [];
  }
  const records = parsed && typeof parsed === "object" ? (parsed as { Records?: unknown }).Records : undefined;
  if (!Array.isArray(records)) return [];
  const out: { key: string; size: number }[] = [];
  for (const r of records as { eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number } } }[]) {
    if (!r.eventName?.startsWith("ObjectCreated:") || r.s3?.bucket?.name !== bucket || !r.s3.object?.key) continue;
    // S3 URL-encodes keys in notifications, spaces as "+".
    out.push({ key: decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")), size: r.s3.object.size ?? 0 });
  }
  return out;
}
