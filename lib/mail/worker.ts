import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { queueWorker } from "@/lib/jobs/queue-worker";
import { deriveMailKey } from "./crypto";
import { deliverDueMail, type MailDeps } from "./outbox";

let key: Buffer | undefined;

export function mailDeps(): MailDeps {
  const c = config();
  key ??= deriveMailKey(c);
  return { db: db(), now: () => new Date(), key, maxAttempts: c.MAIL_MAX_ATTEMPTS, retryBaseMs: c.MAIL_RETRY_BASE_SECONDS * 1000, timeoutMs: 15_000 };
}

// Every 15 seconds: retries, and mail queued by another instance.
const worker = queueWorker("mail", () => deliverDueMail(mailDeps(), 25), { batch: 25, pollMs: 15_000, logMessage: "e-mails attempted" });

/** Send what is due, in the background. Never awaited, never throws. */
export const kickMailWorker = worker.kick;
export const startMailWorker = worker.start;
