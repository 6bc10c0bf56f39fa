import "server-only";
import { log } from "@/lib/log";

/**
 * A background sender for a database queue (webhook deliveries, e-mail): `kick` right after
 * something was queued (so it goes out within a second) and a timer for retries and for what
 * another instance queued. One run at a time per process — a kick during a run asks for another
 * pass — and never throws: trouble at the receiver stays out of what queued the item. State lives
 * on globalThis so Next's module reloading does not start a second timer.
 */
export function queueWorker(name: string, runOnce: () => Promise<{ attempted: number }>, opts: { batch: number; pollMs: number; logMessage: string }) {
  const state = globalThis as unknown as Record<string, { running: boolean; again: boolean; timer?: NodeJS.Timeout } | undefined>;
  const key = `__queueWorker:${name}`;
  const worker = (state[key] ??= { running: false, again: false });

  function kick(): void {
    if (worker.running) {
      worker.again = true;
      return;
    }
    worker.running = true;
    void (async () => {
      try {
        do {
          worker.again = false;
          const run = await runOnce();
          if (run.attempted > 0) log().info(run, opts.logMessage);
          // A full batch: there may be more due right now.
          if (run.attempted === opts.batch) worker.again = true;
        } while (worker.again);
      } catch (err) {
        log().error({ err, worker: name }, `${name} run failed`);
      } finally {
        worker.running = false;
      }
    })();
  }

  function start(): void {
    if (worker.timer) return;
    worker.timer = setInterval(kick, opts.pollMs);
    worker.timer.unref();
  }

  return { kick, start };
}
