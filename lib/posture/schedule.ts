import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { postureDeps } from "./deps";
import { runPostureEvaluation } from "./job";

const FIRST_RUN_DELAY_MS = 60_000;
const globalForSchedule = globalThis as unknown as { __postureSchedule?: NodeJS.Timeout };

/**
 * Evaluate posture every POSTURE_EVALUATE_MINUTES inside the server process (started from
 * lib/startup.ts); the database lease makes one instance run it. The opt-in remediation runs as
 * part of each evaluation.
 */
export function startPostureSchedule(): void {
  const minutes = config().POSTURE_EVALUATE_MINUTES;
  if (minutes === 0 || globalForSchedule.__postureSchedule) return;
  const tick = () => {
    runPostureEvaluation(postureDeps(), "schedule")
      .then((o) => {
        if (o.status === "done") log().info({ evaluationId: o.evaluationId, findings: o.findings, iamCalls: o.totalCalls, ms: o.durationMs }, "posture evaluated");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled posture evaluation failed"));
  };
  // The first run after the inventory's, so keys issued while the server was down are known.
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__postureSchedule = setInterval(tick, minutes * 60_000);
  globalForSchedule.__postureSchedule.unref();
}
