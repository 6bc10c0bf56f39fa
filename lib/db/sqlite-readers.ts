import type { Worker } from "node:worker_threads";
import { closeEvalWorker, type EvalWorker, startEvalWorker } from "@/lib/workers/eval-worker";

/**
 * Read-only SQLite connections on worker threads, for the dashboards' heavy reads (issue 15).
 *
 * better-sqlite3 runs every statement synchronously on the thread that calls it, and Prisma's
 * adapter calls it on the event loop: a lead's `/usage` over 90 days groups ~100,000 rollup rows
 * per chart through a sort (45–90 ms each), one chart after the other, and while one runs no
 * other request is served. Statements sent here run on their own connections (WAL mode: readers
 * never wait for the writer nor for each other) in READERS worker threads, so a page's independent
 * reads run side by side, as they do on PostgreSQL's pool, and the event loop stays free.
 *
 * Each connection is `query_only`: a statement that writes fails. A reader sees the last committed
 * state, as a read on the app's connection outside a transaction does — never the uncommitted
 * writes of a transaction in progress, so reads inside a transaction must not come here
 * (lib/db/read.ts sends only reads on the app's client).
 *
 * The workers start with the first read and never keep a process alive while idle. A worker that
 * cannot open its connection or dies fails its reads with `ReaderUnavailable`; the caller then
 * reads on the app's connection (lib/db/read.ts), and the pool stops trying after FAILURE_LIMIT
 * such failures (a process warning says so). As for ./sqlite-checkpointer.ts, the worker's source
 * is a string and better-sqlite3 is found at run time (lib/workers/eval-worker.ts).
 */
export const READERS = 2;
const FAILURE_LIMIT = 3;
/** Prepared statements kept per connection (the dashboards' statements differ by their IN lists). */
const STATEMENT_CACHE = 100;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(require.resolve("better-sqlite3", { paths: workerData.paths }));
const db = new Database(workerData.file, { fileMustExist: true, timeout: 5000 });
db.pragma("query_only = 1");
db.pragma("cache_size = -16384");
const statements = new Map();
parentPort.on("message", (m) => {
  if (m === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let statement = statements.get(m.sql);
    if (!statement) {
      statement = db.prepare(m.sql);
      if (statements.size >= workerData.cache) statements.delete(statements.keys().next().value);
      statements.set(m.sql, statement);
    }
    parentPort.postMessage({ rows: statement.all(...m.values) });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error), code: error && error.code });
  }
});
parentPort.postMessage("ready");
`;

/**
 * The pool could not run the read (no worker, worker died): read on the app's connection instead.
 * Told apart by `name`, not `instanceof`: the built app may hold two copies of this module.
 */
export class ReaderUnavailable extends Error {
  override name = "ReaderUnavailable";
}

/** A statement's error, as SQLite reported it on the reader. */
export class ReaderQueryError extends Error {
  override name = "ReaderQueryError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Job {
  sql: string;
  values: readonly unknown[];
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (e: Error) => void;
}

/** A reader's worker (and when it exited), with its state. */
interface Reader extends EvalWorker {
  /** Its connection is open. */
  ready: boolean;
  /** The statement it runs now: one at a time, the rest wait in the pool's queue. */
  job: Job | null;
}

export interface ReadPool {
  /** Runs one read-only statement (`?` placeholders) on a reader; rejects with ReaderUnavailable when the pool cannot. */
  all(sql: string, values: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Whether reads should still be sent here. */
  readonly usable: boolean;
  /** Statements answered by the readers so far (tests, diagnostics). */
  readonly answered: number;
  /** The running workers (tests end one to check the fallback). */
  readonly workers: Worker[];
  /** How many readers are running a statement now (tests: reads started together run side by side). */
  readonly busy: number;
  stop(): Promise<void>;
}

/**
 * One queue for all readers: each takes the next statement when it is free, so a page's reads
 * spread by their actual length (a long one does not hold shorter ones queued behind it on the
 * same reader while the other reader idles).
 */
export function createReadPool(file: string, size = READERS): ReadPool {
  const readers: Reader[] = [];
  const queue: Job[] = [];
  let failures = 0;
  let stopped = false;
  let answered = 0;

  const unusable = () => stopped || failures >= FAILURE_LIMIT;

  const drop = (reader: Reader, error: Error) => {
    const at = readers.indexOf(reader);
    if (at < 0) return;
    readers.splice(at, 1);
    failures++;
    if (failures === FAILURE_LIMIT && !stopped) {
      process.emitWarning(`SQLite reads are back on the app's connection: ${error.message}`, "SqliteReadPoolWarning");
    }
    // Its statement, and the queue if no reader is left to take it, go back to the app's connection.
    reader.job?.reject(new ReaderUnavailable(error.message));
    reader.job = null;
    if (unusable() || readers.length === 0) for (const job of queue.splice(0)) job.reject(new ReaderUnavailable(error.message));
    else pump();
  };

  const pump = () => {
    for (const reader of readers) {
      if (!reader.ready || reader.job || queue.length === 0) continue;
      const job = queue.shift()!;
      reader.job = job;
      // A read in flight keeps the process alive until it is answered (a script awaiting it).
      reader.worker.ref();
      reader.worker.postMessage({ sql: job.sql, values: job.values });
    }
  };

  const start = () => {
    const reader: Reader = { ...startEvalWorker(WORKER_SOURCE, { file, cache: STATEMENT_CACHE }), ready: false, job: null };
    const { worker } = reader;
    worker.on("message", (m: unknown) => {
      if (m === "ready") {
        reader.ready = true;
        pump();
        return;
      }
      const job = reader.job;
      if (!job || !m || typeof m !== "object") return;
      reader.job = null;
      const { rows, error, code } = m as { rows?: Record<string, unknown>[]; error?: string; code?: string };
      if (error !== undefined) job.reject(new ReaderQueryError(error, code));
      else {
        answered++;
        job.resolve(rows ?? []);
      }
      if (queue.length) pump();
      else worker.unref();
    });
    worker.on("error", (e) => drop(reader, e instanceof Error ? e : new Error(String(e))));
    worker.on("exit", (code) => drop(reader, new Error(`the reader exited (${code})`)));
    readers.push(reader);
  };

  return {
    get usable() {
      return !unusable();
    },
    get answered() {
      return answered;
    },
    get workers() {
      return readers.map((r) => r.worker);
    },
    get busy() {
      return readers.filter((r) => r.job).length;
    },
    all(sql, values) {
      if (unusable()) return Promise.reject(new ReaderUnavailable("the read pool is not in use"));
      while (readers.length < size) start();
      return new Promise((resolve, reject) => {
        queue.push({ sql, values, resolve, reject });
        pump();
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const job of queue.splice(0)) job.reject(new ReaderUnavailable("the read pool stopped"));
      const all = readers.splice(0);
      await Promise.all(
        all.map(async (r) => {
          await closeEvalWorker(r);
          r.job?.reject(new ReaderUnavailable("the read pool stopped"));
        }),
      );
    },
  };
}
