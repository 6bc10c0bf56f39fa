import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { deliverDue, type WebhookDeps } from "./deliver";

export function webhookDeps(): WebhookDeps {
  const c = config();
  return {
    db: db(),
    now: () => new Date(),
    maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: c.WEBHOOK_RETRY_BASE_SECONDS * 1000,
    timeoutMs: c.WEBHOOK_TIMEOUT_SECONDS * 1000,
    allowedHosts: c.WEBHOOK_ALLOWED_HOSTS,
  };
}

const state = globalThis as unknown as { __webhookWorker?: { running: boolean; again: boolean; timer?: NodeJS.Timeout } };
const worker = (state.__webhookWorker ??= { running: false, again: false });

/**
 * Deliver what is due, in the background. Called right after an event is queued (so a healthy
 * receiver hears within a second) and by a timer for retries. Never awaited by the caller, never
 * throws: a receiver's trouble stays out of the action that queued the event.
 */
export function kickWebhookWorker(): void {
  if (worker.running) {
    worker.again = true;
    return;
  }
  worker.running = true;
  void (async () => {
    try {
      do {
        worker.again = false;
        const run = await deliverDue(webhookDeps());
        if (run.attempted > 0) log().info(run, "webhook deliveries attempted");
        if (run.attempted === 25) worker.again = true;
      } while (worker.again);
    } catch (err) {
      log().error({ err }, "webhook delivery run failed");
    } finally {
      worker.running = false;
    }
  })();
}

const RETRY_POLL_MS = 15_000;

/** Pick up retries (and anything queued by another instance) every 15 seconds. */
export function startWebhookWorker(): void {
  if (worker.timer) return;
  worker.timer = setInterval(kickWebhookWorker, RETRY_POLL_MS);
  worker.timer.unref();
}
