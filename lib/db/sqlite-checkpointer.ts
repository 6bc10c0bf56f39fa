import type { Worker } from "node:worker_threads";
import { closeEvalWorker, startEvalWorker } from "@/lib/workers/eval-worker";

/**
 * SQLite's WAL checkpoint on a second connection in a worker thread (issue 19's S3-trail ingest).
 *
 * In WAL mode a commit appends the transaction's pages to the `-wal` file; a checkpoint copies them
 * into the database file and fsyncs both. By default SQLite checkpoints inside the COMMIT that
 * takes the WAL past 1,000 pages, on the connection that commits — here the app's one connection,
 * i.e. the event loop: a usage-ingest transaction of 2,000 events writes more than that, so every
 * such COMMIT also copied ~5 MB and waited for two fsyncs (≈ 50 ms each, 10.6 of the benchmark's
 * 45.7 s, during which no page was served). With the checkpointer, the app's connection keeps
 * only a far bound (`wal_autocheckpoint` = BACKSTOP_FRAMES) and a second connection in a worker
 * runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS: it never blocks the writer or the
 * readers (SQLite's own WAL locks), and the writer starts the WAL over once a checkpoint has copied
 * all of it (or, under a steady writer, after a RESTART: see RESTART_FRAMES). Durability is unchanged
 * in kind (synchronous=NORMAL: a commit is on disk once a checkpoint has fsynced the WAL) and
 * bounded in time, where before a lightly used console could leave commits un-synced until 1,000
 * pages had accumulated.
 *
 * If the worker cannot start or dies, the app's connection gets SQLite's automatic checkpoint back
 * (`wal_autocheckpoint = 1000`, with a process warning), so the WAL never grows without bound.
 * The worker's source is a string (eval), so there is no worker file for a bundler to place; it
 * requires better-sqlite3 (left external by Next: serverExternalPackages) from the node_modules of
 * the working directory or of the started script (server.mjs, a script, the test runner) — found
 * at run time, since Turbopack replaces a `require.resolve` in the app's code by a module id.
 */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * PASSIVE checkpoints race a writer that commits back to back (the ingest): the writer starts its
 * next transaction before the checkpoint has copied everything, so SQLite never starts the WAL over
 * and it grows (347 MB in the 200,000-event benchmark). Past this many frames (64 MB of 4 KB
 * pages) the worker runs a RESTART checkpoint instead: it waits (on the worker) for the current
 * write transaction to end, copies what the PASSIVE ones have not (a transaction or two) while the
 * app's next write waits for it (on its busy timeout, i.e. on the event loop: tens of ms once per
 * 64 MB written, instead of ~50 ms in every large COMMIT; the app's transactions begin IMMEDIATE
 * and try their BEGIN again for as long, since SQLite may answer a writer SQLITE_BUSY early during
 * a RESTART — retryWhenBusy in ./client.ts), and the WAL starts over from its
 * beginning. The benchmark's COMMITs: 10.6 s in all before, 2.7–3.1 s with this (4.1–4.2 s with
 * the app's own autocheckpoint at 16,384 pages as the bound instead); the -wal file reached
 * 100–170 MB.
 */
export const RESTART_FRAMES = 16_384;
/**
 * The app's connection keeps an automatic checkpoint at this many frames (256 MB) as the last
 * bound on the WAL: if a writer held the database so continuously that the worker's RESTART never
 * got its turn, the committing connection checkpoints itself, as SQLite does by default, and the
 * WAL starts over at its next transaction.
 */
export const BACKSTOP_FRAMES = 4 * RESTART_FRAMES;
/**
 * How long the worker's connection waits on a lock (its busy timeout), RESTART included. A
 * RESTART holds SQLite's writer lock while it waits for readers still on an older snapshot (a long
 * dashboard read, an export); with better-sqlite3's default of 5 s the app's next commit, whose
 * own busy timeout is 5 s too, could give up first ("database is locked", seen under --cpu-prof).
 * Past this wait the RESTART goes on as a PASSIVE checkpoint, and the worker tries no RESTART for
 * as long again, so the writer has its turn.
 */
export const CHECKPOINT_WAIT_MS = 1000;
/** SQLite's default, restored on the app's connection when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT = 1000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(require.resolve("better-sqlite3", { paths: workerData.paths }));
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.waitMs });
let checkpoints = 0;
let restartNotBefore = 0;
const run = () => {
  try {
    let [r] = db.pragma("wal_checkpoint(PASSIVE)");
    // A busy writer starts every transaction before a checkpoint has caught up, so the WAL would
    // never start over: past restartFrames, wait for the writer's transaction to end and restart.
    if (r && r.log >= workerData.restartFrames && Date.now() >= restartNotBefore) {
      [r] = db.pragma("wal_checkpoint(RESTART)");
      // A reader on an older snapshot outlasted the wait: leave the writer its turn for a while
      // instead of taking its lock again at the next tick.
      if (r && r.busy) restartNotBefore = Date.now() + workerData.waitMs;
    }
    if (r && r.checkpointed > 0) parentPort.postMessage({ checkpointed: r.checkpointed, checkpoints: ++checkpoints });
  } catch (error) {
    // SQLITE_BUSY (another checkpoint at the same moment): the next tick tries again.
    if (!/busy|locked/i.test(String(error && error.message))) throw error;
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m === "close") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage("ready");
`;

export interface Checkpointer {
  /** Resolves once the worker has its connection open (true) or could not (false). */
  readonly ready: Promise<boolean>;
  /** Checkpoints that copied frames so far (for tests and diagnostics). */
  readonly checkpoints: number;
  /** Whether the worker is running (false once it failed or was stopped). */
  readonly running: boolean;
  /** Closes the worker's connection and ends the worker. */
  stop(): Promise<void>;
  /** The worker itself (tests end it to check the fallback). */
  readonly worker: Worker;
}

/**
 * Starts the worker for `file` and turns the automatic checkpoint of the app's connection off once
 * the worker is ready (`setAutocheckpoint` runs a PRAGMA on that connection); back on if the worker
 * fails or exits unexpectedly.
 */
export function startCheckpointer(file: string, setAutocheckpoint: (pages: number) => void, intervalMs = CHECKPOINT_INTERVAL_MS, restartFrames = RESTART_FRAMES): Checkpointer {
  // The checkpointer never keeps a process (a script, a test run) alive by itself.
  const thread = startEvalWorker(WORKER_SOURCE, { file, intervalMs, restartFrames, waitMs: CHECKPOINT_WAIT_MS });
  const { worker } = thread;
  let running = true;
  let stopping = false;
  let checkpoints = 0;
  let markReady: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));
  const fallBack = (error?: unknown) => {
    if (!running) return;
    running = false;
    markReady(false);
    if (stopping) return;
    setAutocheckpoint(DEFAULT_AUTOCHECKPOINT);
    const reason = error instanceof Error ? error.message : `the worker exited (${String(error)})`;
    process.emitWarning(`SQLite WAL checkpoints are back on the app's connection: ${reason}`, "SqliteCheckpointerWarning");
  };
  worker.on("message", (m: unknown) => {
    if (m === "ready") {
      setAutocheckpoint(BACKSTOP_FRAMES * (restartFrames / RESTART_FRAMES));
      markReady(true);
    } else if (m && typeof m === "object" && "checkpoints" in m) checkpoints = (m as { checkpoints: number }).checkpoints;
  });
  worker.on("error", fallBack);
  worker.on("exit", fallBack);
  return {
    ready,
    worker,
    get checkpoints() {
      return checkpoints;
    },
    get running() {
      return running;
    },
    async stop() {
      if (!running) return;
      stopping = true;
      await closeEvalWorker(thread);
      running = false;
    },
  };
}
