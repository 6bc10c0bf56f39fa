import "server-only";
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { log } from "@/lib/log";
import { remindExpiringKeys } from "@/lib/notifications/key-reminders";
import { startWebhookWorker } from "@/lib/webhooks/worker";
import { requestDeps } from "./deps";
import { expireApprovals, remindExpiringApprovals } from "./expiry";

const FIRST_RUN_DELAY_MS = 10_000;
const LEASE = "request-jobs";
const globalForSchedule = globalThis as unknown as { __requestJobs?: NodeJS.Timeout };

/** One run of the request jobs, under a database lease so only one instance runs them at a time. */
export async function runRequestJobs(): Promise<{ expired: number; approvalReminders: number; keyReminders: number } | null> {
  const deps = requestDeps();
  const holder = randomUUID();
  if (!(await acquireLease(deps.db, LEASE, holder, 10 * 60_000, deps.now()))) return null;
  try {
    return {
      expired: await expireApprovals(deps),
      approvalReminders: await remindExpiringApprovals(deps),
      keyReminders: await remindExpiringKeys(deps.notify),
    };
  } finally {
    await releaseLease(deps.db, LEASE, holder);
  }
}

/**
 * Started from lib/startup.ts: every REQUEST_JOBS_MINUTES expire approvals not picked up in time
 * and send reminders; the webhook worker retries deliveries in between.
 */
export function startRequestJobs(): void {
  startWebhookWorker();
  const minutes = config().REQUEST_JOBS_MINUTES;
  if (minutes === 0 || globalForSchedule.__requestJobs) return;
  const tick = () => {
    runRequestJobs()
      .then((r) => {
        if (r && r.expired + r.approvalReminders + r.keyReminders > 0) log().info(r, "request jobs ran");
      })
      .catch((err: unknown) => log().error({ err }, "request jobs failed"));
  };
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__requestJobs = setInterval(tick, minutes * 60_000);
  globalForSchedule.__requestJobs.unref();
}
