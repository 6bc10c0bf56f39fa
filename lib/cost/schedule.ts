import "server-only";
import { evaluateBudgetsSoon } from "@/lib/budgets/schedule";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { costStreams } from "./deps";
import { runInvocationLogSync } from "./log-sync";

// After the usage sync's first run (20 s, lib/usage/schedule.ts), which reads the logs too.
const FIRST_RUN_DELAY_MS = 60_000;
const globalForSchedule = globalThis as unknown as { __invocationLogSchedule?: NodeJS.Timeout };

/**
 * Read the model invocation logs every INVOCATION_LOG_SYNC_MINUTES (lib/cost/log-sync.ts says why
 * besides the usage sync). Started from lib/startup.ts; off with INVOCATION_LOG_SYNC_MINUTES=0 or
 * INVOCATION_LOGS_SYNC=false. Every instance runs the timer; a lease and the cursors' last read
 * keep it to one read per interval.
 */
export function startInvocationLogSchedule(): void {
  const c = config();
  const minutes = c.INVOCATION_LOG_SYNC_MINUTES;
  if (minutes === 0 || !c.INVOCATION_LOGS_SYNC || globalForSchedule.__invocationLogSchedule) return;
  const tick = () => {
    runInvocationLogSync({
      db: db(),
      now: () => new Date(),
      streams: costStreams,
      lateMs: c.INVOCATION_LOG_LATE_MINUTES * 60_000,
      onCostStored: evaluateBudgetsSoon,
      // 0.9: timers on different instances drift; a tick a little early is still "this interval".
      notWithinMs: minutes * 60_000 * 0.9,
    })
      .then((outcome) => {
        if (outcome.status !== "done") return;
        if (outcome.failed.length > 0) log().warn({ failed: outcome.failed, inserted: outcome.inserted }, "invocation-log read incomplete");
        else if (outcome.inserted > 0) log().info({ inserted: outcome.inserted }, "invocation logs read");
      })
      .catch((err: unknown) => log().error({ err }, "invocation-log read failed"));
  };
  // unref: the timers never keep a stopping server alive.
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__invocationLogSchedule = setInterval(tick, Math.round(minutes * 60_000));
  globalForSchedule.__invocationLogSchedule.unref();
}
