import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { keyDeps } from "./deps";
import { retryPendingCleanups } from "./cleanup";
import { runInventoryRefresh } from "./inventory-job";
import { getPolicy } from "@/lib/policy/service";
import { notifyDeps } from "@/lib/requests/deps";
import { runRotationJob } from "./rotation";
import { remindRotationDue } from "./rotation-policy";

const FIRST_RUN_DELAY_MS = 15_000;
const globalForSchedule = globalThis as unknown as { __inventorySchedule?: NodeJS.Timeout };

/**
 * Refresh the inventory every INVENTORY_REFRESH_MINUTES inside the server process (started from
 * instrumentation.ts). Every instance runs the timer; the database lease makes only one of them
 * refresh at a time.
 */
export function startInventorySchedule(): void {
  const minutes = config().INVENTORY_REFRESH_MINUTES;
  if (minutes === 0 || globalForSchedule.__inventorySchedule) return;
  const tick = () => {
    runInventoryRefresh(keyDeps(), "schedule")
      .then((o) => {
        if (o.status === "done") log().info({ refreshId: o.refreshId, listed: o.listed, iamCalls: o.totalCalls, ms: o.durationMs }, "inventory refreshed");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled inventory refresh failed"))
      // Then the pending clean-ups (including users the refresh just found without a key).
      .then(() => retryPendingCleanups(keyDeps()))
      .then((o) => {
        if (o.status === "done" && o.removed + o.failed + o.kept > 0) log().info(o, "pending key clean-ups retried");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled key clean-up failed"));
  };
  // unref: the timers never keep a stopping server alive.
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__inventorySchedule = setInterval(tick, minutes * 60_000);
  globalForSchedule.__inventorySchedule.unref();
}

/** How often overlaps are checked: a grace period ends within a minute of its time. */
const ROTATION_TICK_MS = 60_000;
const ROTATION_HOLDER = `rotation:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
const globalForRotation = globalThis as unknown as { __rotationSchedule?: NodeJS.Timeout };

/**
 * End overlaps whose grace period is over, and close pick-ups nobody came for (issue 16). Every
 * instance runs the timer; the "key-rotation" lease lets one work at a time. A finish that failed
 * (AWS unreachable) stays due and is tried again on the next tick.
 */
export function startRotationSchedule(): void {
  if (globalForRotation.__rotationSchedule) return;
  let ticks = 0;
  const tick = () => {
    runRotationJob(keyDeps(), ROTATION_HOLDER)
      .then((o) => {
        if (o.finished + o.failed + o.pickupsExpired > 0) log().info(o, "key rotations checked");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled key rotation check failed"));
    // The rotation policy's reminders: hourly is plenty (each is sent once per key and credential).
    if (ticks++ % 60 === 0) {
      const deps = keyDeps();
      getPolicy(deps.db, deps.allowedExtraPolicies)
        .then((policy) => remindRotationDue(notifyDeps(), policy.rotationDays))
        .then((n) => {
          if (n > 0) log().info({ notified: n }, "rotation reminders sent");
        })
        .catch((err: unknown) => log().error({ err }, "rotation reminders failed"));
    }
  };
  globalForRotation.__rotationSchedule = setInterval(tick, ROTATION_TICK_MS);
  globalForRotation.__rotationSchedule.unref();
}
