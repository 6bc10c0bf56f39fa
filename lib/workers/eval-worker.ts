import path from "node:path";
import { type ResourceLimits, Worker } from "node:worker_threads";

/**
 * Worker threads whose code is a string (`eval: true`), for the few jobs the console runs off the
 * event loop (lib/db/sqlite-checkpointer.ts, lib/db/sqlite-readers.ts, lib/usage/trail-reader.ts). No worker file is bundled:
 * Next's build would have to emit one, and its support for worker entries has been unreliable. The
 * source `require`s what it needs from `node_modules` at run time, from the paths given here in
 * `workerData.paths` (packages such as better-sqlite3 stay external to the build).
 */

/** Where the worker resolves packages: the app's directory (the server's cwd) and the running script's. */
const packagePaths = () => [process.cwd(), ...(process.argv[1] ? [path.dirname(process.argv[1])] : [])];

export interface EvalWorker {
  worker: Worker;
  /** Settles once the thread has exited, whatever the reason. */
  exited: Promise<void>;
}

/** Starts `source` with `data` (plus `paths`) as its workerData. It never keeps the process alive by itself: `ref()` it while a reply is awaited. */
export function startEvalWorker(source: string, data: Record<string, unknown>, resourceLimits?: ResourceLimits): EvalWorker {
  const worker = new Worker(source, { eval: true, workerData: { paths: packagePaths(), ...data }, ...(resourceLimits ? { resourceLimits } : {}) });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return { worker, exited };
}

/**
 * Asks the worker to finish (the message "close", which its source handles by closing what it
 * holds and exiting), waits at most `graceMs`, then terminates it. The process is held meanwhile:
 * a script that stops its workers as its last step must not end while they are the only thing left.
 */
export async function closeEvalWorker({ worker, exited }: EvalWorker, graceMs = 2000): Promise<void> {
  worker.ref();
  worker.postMessage("close");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  await worker.terminate();
}
