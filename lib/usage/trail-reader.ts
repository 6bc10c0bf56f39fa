import path from "node:path";
import type { Worker } from "node:worker_threads";
import type { S3Client } from "@aws-sdk/client-s3";
import type { AwsCredentialIdentity } from "@smithy/types";
import { existsSync } from "node:fs";
import { s3ClientSettingsOf, type S3ClientSettings } from "@/lib/aws/s3";
import { closeEvalWorker, type EvalWorker, startEvalWorker } from "@/lib/workers/eval-worker";
import { type NormalizedEvent, normalizeRecord } from "./normalize";

/**
 * The S3 trail's per-file work on worker threads (issue 19's ingest benchmark): GetObject, gunzip,
 * JSON.parse and each record's raw text. On the ingest's one thread that work — the SDK's
 * middleware chain, SigV4 and the HTTP client, ≈ 0.5 ms per request, plus the socket writes,
 * inflate and parse — took about a third of the CPU, while the writer (SQLite runs in this process)
 * waited for it; here it runs on the other core and only the records come back.
 *
 * Each worker builds its own S3 client from the settings createS3Client made the stream's client
 * with (s3ClientSettingsOf: same endpoint, region, retries, timeouts, checksum behaviour), and its
 * credentials come from that client's provider on this thread: the worker asks for them when it has
 * none or they are about to expire, and gets the resolved identity (keys, session token, expiry)
 * by postMessage — never written anywhere, never logged. A client not made by createS3Client (a
 * test's own, with middleware) is read on this thread as before.
 *
 * The worker's source is a string (eval, lib/workers/eval-worker.ts), like the SQLite workers: no
 * worker file for Turbopack to place; it requires @aws-sdk/client-s3 from the node_modules of the
 * working directory or of the started script (server.mjs, a script, the test runner), at run time.
 *
 * Faults: a worker that cannot start, throws or exits while reads are pending hands them back to
 * the in-process path (each is simply read again: GetObject has no side effect) and the source
 * reads on this thread from then on, with a process warning — never a hang. An idle worker (no read
 * for IDLE_MS) is closed, and a worker only keeps the process alive while reads are pending.
 */

/** Workers per source. 1 or 2 measured (docs/operations.md). */
export const READER_WORKERS = 1;
/** A worker with no read pending for this long is closed (a new one starts with the next read). */
export const IDLE_MS = 2_000;
/** The worker asks for fresh credentials when its copy expires within this (the SDK's own window). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/**
 * The worker's V8 heap, bounded (Worker resourceLimits). Unbounded, a worker's heap limit is the
 * process's (≈ 4 GB on a machine with 16 GB or more), and with a limit of 2 GB or more V8 lets the
 * old generation grow to 4× its live data between full collections: the worker's heap reached
 * 65–117 MB for ≈ 20–35 MB live in the 200,000-event benchmark. At 256 MB V8 uses its smallest
 * factor (1.3). The young generation is 24 MB (8 MB semi-spaces), half of Node 22's default: with
 * the main thread's own semi-spaces at 8 MB (`npm start`), the server's RSS growth over a
 * 10,000,000-event ingest was 23–29 MB lower on both databases; 8 MB cost the worker more CPU.
 * Named, so Node 24 (whose default is larger) bounds the worker alike (docs/operations.md,
 * "10,000,000 events on a quiet machine").
 */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 } as const;
/**
 * The largest file the worker reads, in bytes of JSON: while a file is read its text, its parsed
 * records and their raw texts are all in the heap (several times its JSON), which must fit in the
 * worker's bounded heap. Bigger files (CloudTrail's are at most a few tens of MB) are read on the
 * main thread, whose heap is the process's: those listed (gzip) above WORKER_MAX_JSON_BYTES / 16
 * without asking the worker (the benchmark's trail inflates ≈ 9×), and any that the worker finds
 * larger once gunzipped (it stops inflating there and hands the file back).
 */
export const WORKER_MAX_JSON_BYTES = 32 * 1024 * 1024;

/**
 * A file as read: its usage events already normalized with each one's raw JSON text (a worker that
 * runs normalize.ts: `count` is how many records the file had), its records (and maybe their JSON
 * texts) to normalize here, or why it is not a CloudTrail log.
 */
export type ReadFile = { count: number; parsed: { raw: string; event: NormalizedEvent }[] } | { records: unknown[]; raws?: string[] } | { bad: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { gunzipSync } = require("node:zlib");
const { S3Client, GetObjectCommand } = require(require.resolve("@aws-sdk/client-s3", { paths: workerData.paths }));
let identity = null;
let asking = null;
let asked = 0;
const answers = new Map();
// The stream's credentials, from the provider on the main thread (see trail-reader.ts).
const credentials = () => {
  if (identity && !(identity.expiration && identity.expiration.getTime() - Date.now() < workerData.refreshMs)) return Promise.resolve(identity);
  if (!asking) {
    const id = ++asked;
    asking = new Promise((resolve, reject) => answers.set(id, { resolve, reject }));
    parentPort.postMessage({ type: "credentials", id });
    asking.then((i) => { identity = i; asking = null; }, () => { asking = null; });
  }
  return asking;
};
const s3 = new S3Client({ ...workerData.settings, credentials });
// normalize.ts itself (no imports, erasable types: Node's type stripping or the runner's loader
// reads it), used only if it gives exactly what the app's own copy gave for the sample records.
let normalizeRecord = null;
try {
  const candidate = workerData.normalizePath && require(workerData.normalizePath).normalizeRecord;
  if (candidate && JSON.stringify(workerData.samples.map((r) => candidate(r, "us-east-1"))) === workerData.expected) normalizeRecord = candidate;
} catch {}
parentPort.postMessage({ type: "normalizes", value: normalizeRecord !== null });
class BadFile extends Error {}
class TooLargeHere extends Error {}
// The same checks and messages as gunzipText in s3-trail.ts (one inflate call, at most maxJson bytes out).
const gunzipText = (compressed, max) => {
  try {
    return gunzipSync(compressed, { maxOutputLength: Math.min(max, workerData.maxJson) }).toString("utf8");
  } catch (error) {
    const code = error && error.code;
    // Larger than this worker's heap takes, though within the file limit: read on the main thread.
    if (code === "ERR_BUFFER_TOO_LARGE" && max > workerData.maxJson) throw new TooLargeHere();
    if (code === "ERR_BUFFER_TOO_LARGE") throw new BadFile("more than " + max + " bytes once gunzipped");
    if (code === "Z_DATA_ERROR") throw new BadFile("not gzip");
    if (code === "Z_BUF_ERROR" || String(error && error.message).includes("unexpected end")) throw new BadFile("truncated gzip");
    throw error;
  }
};
const read = async (m) => {
  const res = await s3.send(new GetObjectCommand({ Bucket: m.bucket, Key: m.key }));
  const compressed = await res.Body.transformToByteArray();
  try {
    const text = gunzipText(compressed, m.maxJson);
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BadFile("not JSON after gunzip");
    }
    const records = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed.Records : undefined;
    if (!Array.isArray(records)) throw new BadFile("not a CloudTrail log file (no Records array)");
    if (!normalizeRecord) return { id: m.id, records, raws: records.map((r) => JSON.stringify(r)) };
    const kept = [];
    for (const record of records) {
      const event = normalizeRecord(record, m.region);
      if (event) kept.push({ raw: JSON.stringify(record), event });
    }
    return { id: m.id, count: records.length, parsed: kept };
  } catch (error) {
    if (error instanceof BadFile) return { id: m.id, bad: error.message };
    if (error instanceof TooLargeHere) return { id: m.id, tooLarge: true };
    throw error;
  }
};
parentPort.on("message", (m) => {
  if (m === "close") {
    s3.destroy();
    parentPort.close();
  } else if (m.type === "read") {
    read(m).then(
      (r) => parentPort.postMessage(r),
      (e) => parentPort.postMessage({ id: m.id, error: { name: String((e && e.name) || "Error"), message: String((e && e.message) || e), code: e && e.Code, httpStatusCode: e && e.$metadata ? e.$metadata.httpStatusCode : undefined, s3: Boolean(e && e.$metadata) } }),
    );
  } else if (m.type === "credentials") {
    const waiting = answers.get(m.id);
    answers.delete(m.id);
    if (!waiting) return;
    if (m.error) waiting.reject(Object.assign(new Error(m.error), { name: "CredentialsProviderError" }));
    else waiting.resolve({ ...m.identity, ...(m.identity.expiration ? { expiration: new Date(m.identity.expiration) } : {}) });
  }
});
`;

type Reply =
  | { type: "credentials"; id: number }
  | { type: "normalizes"; value: boolean }
  | { id: number; records: unknown[]; raws: string[] }
  | { id: number; count: number; parsed: { raw: string; event: NormalizedEvent }[] }
  | { id: number; bad: string }
  | { id: number; tooLarge: true }
  | { id: number; error: { name: string; message: string; code?: string; httpStatusCode?: number; s3: boolean } };

interface Pending {
  resolve: (r: ReadFile) => void;
  reject: (e: unknown) => void;
  request: ReadRequest;
}

/** One file to read: where, at most how many bytes of JSON, and the stream's region (normalizeRecord's fallback). */
export interface ReadRequest {
  bucket: string;
  key: string;
  maxJson: number;
  region: string;
  /** The object's size as listed (gzip), when known: files too large for the worker are read here without asking it. */
  size?: number;
}

/**
 * Requests counted per operation (the benchmark adds them to its own client's counts) and the
 * busy time of the workers closed so far (event-loop utilisation, ms).
 */
export const workerRequests = { GetObjectCommand: 0, closedBusyMs: 0 };

/**
 * Reads the trail's files for one source on worker threads. `fallback` reads one file on this
 * thread (the path used before, and again once a worker has failed).
 */
export class TrailReader {
  private readonly workers: (WorkerSlot | null)[];
  private failed = false;
  private nextId = 0;
  /** Whether the last worker started normalizes the records itself (null until one has said). */
  normalizes: boolean | null = null;

  constructor(
    private readonly settings: S3ClientSettings,
    private readonly credentials: () => Promise<AwsCredentialIdentity>,
    private readonly fallback: (request: ReadRequest) => Promise<ReadFile>,
    private readonly options: { workers?: number; idleMs?: number; refreshMs?: number; normalizePath?: string | null; maxJsonInWorker?: number } = {},
  ) {
    this.workers = Array.from({ length: options.workers ?? READER_WORKERS }, () => null);
  }

  /** Whether reads still go to workers (false once one failed). */
  get usingWorkers() {
    return !this.failed;
  }

  /** The workers' busy time so far (ms): those running now and those closed. */
  get busyMs(): number {
    return this.workers.reduce((n, w) => n + (w ? w.busyMs : 0), 0);
  }

  /** The running workers (tests end one to check the fallback). */
  get running(): Worker[] {
    return this.workers.flatMap((w) => (w ? [w.worker] : []));
  }

  /** The largest file (bytes of JSON) the worker reads; larger ones are read here. */
  private get maxJsonInWorker() {
    return this.options.maxJsonInWorker ?? WORKER_MAX_JSON_BYTES;
  }

  read(request: ReadRequest): Promise<ReadFile> {
    if (this.failed || (request.size ?? 0) > this.maxJsonInWorker / 16) return this.fallback(request);
    // The worker with the fewest reads pending (a new one where a slot is empty).
    let index = 0;
    for (let i = 0; i < this.workers.length; i++) {
      const w = this.workers[i];
      if (!w) {
        index = i;
        break;
      }
      if (w.pending.size < this.workers[index]!.pending.size) index = i;
    }
    const slot = this.workers[index] ?? (this.workers[index] = this.start(index));
    const id = ++this.nextId;
    workerRequests.GetObjectCommand++;
    return new Promise<ReadFile>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, request });
      slot.busy();
      slot.worker.postMessage({ type: "read", id, ...request });
    });
  }

  /** Closes the workers (reads after this start new ones). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w, i) => (w ? this.stop(i, w) : undefined)));
  }

  private start(index: number): WorkerSlot {
    const thread = startEvalWorker(WORKER_SOURCE, {
      settings: this.settings,
      refreshMs: this.options.refreshMs ?? REFRESH_BEFORE_MS,
      maxJson: this.maxJsonInWorker,
      ...normalizeCheck(this.options.normalizePath === undefined ? normalizeSource() : this.options.normalizePath),
    }, WORKER_RESOURCE_LIMITS);
    const { worker } = thread;
    const slot = new WorkerSlot(thread, this.options.idleMs ?? IDLE_MS, () => void this.stop(index, slot));
    worker.on("message", (m: Reply) => {
      if ("type" in m && m.type === "normalizes") {
        this.normalizes = m.value;
        return;
      }
      if ("type" in m) {
        // The stream's credentials, resolved (and refreshed by the client's provider) here.
        this.credentials().then(
          (c) => worker.postMessage({ type: "credentials", id: m.id, identity: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration.getTime() } : {}) } }),
          (e: unknown) => worker.postMessage({ type: "credentials", id: m.id, error: e instanceof Error ? e.message : String(e) }),
        );
        return;
      }
      const pending = slot.pending.get(m.id);
      if (!pending) return;
      slot.pending.delete(m.id);
      slot.idleWhenDone();
      if ("error" in m) pending.reject(remoteError(m.error));
      else if ("tooLarge" in m) this.fallback(pending.request).then(pending.resolve, pending.reject);
      else if ("bad" in m) pending.resolve({ bad: m.bad });
      else if ("parsed" in m) pending.resolve({ count: m.count, parsed: m.parsed });
      else pending.resolve({ records: m.records, raws: m.raws });
    });
    const fail = (why: unknown) => {
      if (!this.retire(index, slot)) return;
      this.failed = true;
      process.emitWarning(`The S3 trail's files are read on the main thread: ${why instanceof Error ? why.message : `the reader worker exited (code ${String(why)})`}`, "TrailReaderWarning");
      // Every read it had: again, on this thread.
      this.readHere(slot);
    };
    worker.on("error", fail);
    worker.on("exit", fail);
    return slot;
  }

  private async stop(index: number, slot: WorkerSlot) {
    if (!this.retire(index, slot)) return;
    workerRequests.closedBusyMs += slot.busyMs;
    await closeEvalWorker(slot);
    // Reads sent to a worker being closed (none by construction: it closes when idle) are read here.
    this.readHere(slot);
  }

  /** Takes the slot out of use (its idle timer and its hold on the process too); false if it already was. */
  private retire(index: number, slot: WorkerSlot): boolean {
    if (slot.closing) return false;
    slot.closing = true;
    slot.clear();
    if (this.workers[index] === slot) this.workers[index] = null;
    return true;
  }

  /** The slot's pending reads, read again on this thread. */
  private readHere(slot: WorkerSlot) {
    for (const p of slot.pending.values()) this.fallback(p.request).then(p.resolve, p.reject);
    slot.pending.clear();
  }
}

/** One worker: its pending reads, and the process kept alive only while there are some. */
class WorkerSlot implements EvalWorker {
  readonly pending = new Map<number, Pending>();
  closing = false;
  private idleTimer: NodeJS.Timeout | undefined;
  readonly worker: Worker;
  readonly exited: Promise<void>;

  constructor(
    thread: EvalWorker,
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    ({ worker: this.worker, exited: this.exited } = thread);
  }

  /** How long the worker has been busy (its event loop's active time, ms). */
  get busyMs(): number {
    return this.worker.performance.eventLoopUtilization().active;
  }

  busy() {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.worker.ref();
  }

  idleWhenDone() {
    if (this.pending.size > 0) return;
    this.worker.unref();
    this.idleTimer = setTimeout(this.onIdle, this.idleMs);
    this.idleTimer.unref();
  }

  clear() {
    clearTimeout(this.idleTimer);
    this.worker.unref();
  }
}

/** A worker's failure as an error here: S3's (with its code and status, as the SDK's errors carry them) or any other. */
function remoteError(e: { name: string; message: string; code?: string; httpStatusCode?: number; s3: boolean }): Error {
  const error = Object.assign(new Error(e.message), { name: e.name });
  if (e.s3) Object.assign(error, { $metadata: { httpStatusCode: e.httpStatusCode }, ...(e.code ? { Code: e.code } : {}) });
  return error;
}

/**
 * Where normalize.ts is at run time: the source tree the app runs from (`npm start` and the tests
 * run in the repository; a Next build bundles the app's copy, which the worker cannot load). Null
 * when absent: the worker then sends the records and this thread normalizes them.
 */
function normalizeSource(): string | null {
  const file = path.join(process.cwd(), "lib", "usage", "normalize.ts");
  return existsSync(file) ? file : null;
}

/**
 * Records of each shape normalize.ts tells apart (runtime and mantle calls, an error, a refused
 * key, a project, a record that is not usage): the worker uses its normalize.ts only if it maps
 * them exactly as the app's copy does — a source tree edited since the build is not used.
 */
const SAMPLES: unknown[] = [
  { eventID: "s1", eventTime: "2026-01-02T03:04:05Z", eventSource: "bedrock.amazonaws.com", eventName: "Converse", awsRegion: "eu-west-1", sourceIPAddress: "10.0.0.1", userAgent: "ua", requestParameters: { modelId: "m" }, additionalEventData: { callWithBearerToken: true, inferenceRegion: "eu-west-3" }, userIdentity: { type: "IAMUser", arn: "arn:aws:iam::1:user/BedrockAPIKey_x", userName: "BedrockAPIKey_x" } },
  { eventID: "s2", eventTime: "2026-01-02T03:04:06Z", eventSource: "bedrock.amazonaws.com", eventName: "InvokeModel", errorCode: "AccessDeniedException", errorMessage: "Authentication failed: x", requestParameters: { modelId: "m" }, additionalEventData: { callWithBearerToken: true }, userIdentity: { type: "IAMUser", arn: "arn:aws:iam::1:user/u", userName: "u" } },
  { eventID: "s3", eventTime: "2026-01-02T03:04:07Z", eventSource: "bedrock-mantle.amazonaws.com", eventName: "CreateInference", requestParameters: { callWithBearerToken: true, model: "m2", max_tokens: 5 }, resources: [{ ARN: "arn:aws:bedrock-mantle:us-east-1:1:project/p1" }], userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/r/s", accessKeyId: "ASIA", sessionContext: { sourceIdentity: "alice", sessionIssuer: { userName: "r" } } } },
  { eventID: "s4", eventTime: "2026-01-02T03:04:08Z", eventSource: "bedrock-mantle.amazonaws.com", eventName: "Other", requestParameters: { callWithBearerToken: true, previousResponse: "x" }, userIdentity: { type: "IAMUser", arn: "arn:aws:iam::1:user/v", userName: "v", accessKeyId: "AKIA" } },
  { eventID: "s5", eventTime: "2026-01-02T03:04:09Z", eventSource: "bedrock.amazonaws.com", eventName: "Converse", requestParameters: { modelId: "m" }, userIdentity: { type: "IAMUser" } },
];

function normalizeCheck(normalizePath: string | null) {
  return { normalizePath, samples: SAMPLES, expected: JSON.stringify(SAMPLES.map((r) => normalizeRecord(r, "us-east-1"))) };
}

const readers = new WeakMap<S3Client, TrailReader | null>();

/**
 * The reader for a client made by createS3Client (one per client, i.e. per run's source), or null:
 * then its files are read on this thread.
 */
export function trailReaderFor(client: S3Client, fallback: (request: ReadRequest) => Promise<ReadFile>): TrailReader | null {
  if (readers.has(client)) return readers.get(client)!;
  const settings = s3ClientSettingsOf(client);
  const reader = settings ? new TrailReader(settings, () => client.config.credentials(), fallback) : null;
  readers.set(client, reader);
  return reader;
}

/** The reader trailReaderFor made for this client, if any (tests). */
export function trailReaderOf(client: S3Client): TrailReader | null | undefined {
  return readers.get(client);
}
