import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { queueWorker } from "@/lib/jobs/queue-worker";
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

// Retries (and anything queued by another instance) every 15 seconds.
const worker = queueWorker("webhook delivery", () => deliverDue(webhookDeps(), 25), { batch: 25, pollMs: 15_000, logMessage: "webhook deliveries attempted" });

/**
 * Deliver what is due, in the background. Called right after an event is queued (so a healthy
 * receiver hears within a second) and by a timer for retries. Never awaited by the caller, never
 * throws: a receiver's trouble stays out of the action that queued the event.
 */
export const kickWebhookWorker = worker.kick;

/** Pick up retries (and anything queued by another instance) every 15 seconds. */
export const startWebhookWorker = worker.start;
