import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { deriveMailKey } from "./crypto";
import { deliverDueMail, type MailDeps } from "./outbox";

let key: Buffer | undefined;

export function mailDeps(): MailDeps {
  const c = config();
  key ??= deriveMailKey(c);
  return { db: db(), now: () => new Date(), key, maxAttempts: c.MAIL_MAX_ATTEMPTS, retryBaseMs: c.MAIL_RETRY_BASE_SECONDS * 1000, timeoutMs: 15_000 };
}

const state = globalThis as unknown as { __mailWorker?: { running: boolean; again: boolean; timer?: NodeJS.Timeout } };
const worker = (state.__mailWorker ??= { running: false, again: false });

/** Send what is due, in the background (the webhook worker's pattern). Never awaited, never throws. */
export function kickMailWorker(): void {
  if (worker.running) {
    worker.again = true;
    return;
  }
  worker.running = true;
  void (async () => {
    try {
      do {
        worker.again = false;
        const run = await deliverDueMail(mailDeps());
        if (run.attempted > 0) log().info(run, "e-mails attempted");
        if (run.attempted === 25) worker.again = true;
      } while (worker.again);
    } catch (err) {
      log().error({ err }, "e-mail run failed");
    } finally {
      worker.running = false;
    }
  })();
}

const RETRY_POLL_MS = 15_000;

/** Pick up retries (and mail queued by another instance) every 15 seconds. */
export function startMailWorker(): void {
  if (worker.timer) return;
  worker.timer = setInterval(kickMailWorker, RETRY_POLL_MS);
  worker.timer.unref();
}
