import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { usageSyncDeps } from "./deps";
import { startUsageSync } from "./sync-job";

// After the inventory's first refresh (15 s, lib/keys/schedule.ts), so the first sync already
// knows the keys it reads calls for; soon enough that a fresh demo shows usage right away.
const FIRST_RUN_DELAY_MS = 20_000;
const globalForSchedule = globalThis as unknown as { __usageSchedule?: NodeJS.Timeout };

/**
 * Sync CloudTrail usage every USAGE_SYNC_MINUTES inside the server process (started from
 * instrumentation.ts), and once shortly after start. Every instance runs the timer; the database
 * lease makes only one of them sync at a time, a tick during a long sync is simply skipped, and a
 * tick within the interval of the last run's start (another instance's) starts nothing.
 */
export function startUsageSchedule(): void {
  const minutes = config().USAGE_SYNC_MINUTES;
  if (minutes === 0 || globalForSchedule.__usageSchedule) return;
  const tick = () => {
    // 0.9: timers on different instances drift; a tick a little early is still "this interval".
    startUsageSync(usageSyncDeps(), "schedule", { notWithinMs: minutes * 60_000 * 0.9 })
      .then(async (outcome) => {
        if (outcome.status !== "started") return;
        const summary = await outcome.done;
        const fields = { runId: summary.runId, status: summary.status, inserted: summary.inserted, ms: summary.durationMs };
        if (summary.status === "success") log().info(fields, "usage synced");
        else log().warn({ ...fields, regions: summary.regions.map((r) => ({ region: r.region, status: r.status, error: r.error })) }, "usage sync incomplete");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled usage sync failed"));
  };
  // unref: the timers never keep a stopping server alive.
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__usageSchedule = setInterval(tick, Math.round(minutes * 60_000));
  globalForSchedule.__usageSchedule.unref();
}
