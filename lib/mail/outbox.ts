import type { PrismaClient } from "@/lib/generated/prisma/client";
import { retryDelayMs } from "@/lib/webhooks/deliver";
import { describeMailError, type MailMessage, sendMail } from "./send";
import { mailEnabled, smtpTarget } from "./settings";

/**
 * The e-mail outbox, like the webhook queue (lib/webhooks/deliver.ts): whoever causes a message
 * inserts a row (no network), and the worker sends it with exponential backoff, so a slow or
 * unreachable mail server never delays or fails what caused the message, and mail survives a restart.
 */

export interface MailDeps {
  db: PrismaClient;
  now: () => Date;
  /** Key the SMTP password is sealed with (lib/mail/crypto.ts). */
  key: Buffer;
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
}

/** Queue messages if e-mail is configured. Returns how many were queued (0 when e-mail is off). */
export async function enqueueMail(db: PrismaClient, kind: string, messages: MailMessage[], now: Date): Promise<number> {
  if (messages.length === 0 || !(await mailEnabled(db))) return 0;
  await db.mailOutbox.createMany({ data: messages.map((m) => ({ kind, toAddress: m.to, subject: m.subject, text: m.text, nextAttemptAt: now })) });
  return messages.length;
}

export interface MailRun {
  attempted: number;
  sent: number;
  failed: number;
}

/** Send every message that is due; each is claimed first, so two instances never send one twice. */
export async function deliverDueMail(deps: MailDeps, limit = 25): Promise<MailRun> {
  const run: MailRun = { attempted: 0, sent: 0, failed: 0 };
  const now = deps.now();
  const free = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  const due = await deps.db.mailOutbox.findMany({ where: { status: "pending", nextAttemptAt: { lte: now }, ...free }, orderBy: { nextAttemptAt: "asc" }, take: limit, select: { id: true } });
  if (due.length === 0) return run;
  const target = await smtpTarget(deps.db, deps.key);
  for (const { id } of due) {
    const claimed = await deps.db.mailOutbox.updateMany({ where: { id, status: "pending", ...free }, data: { claimedUntil: new Date(now.getTime() + deps.timeoutMs * 3 + 30_000) } });
    if (claimed.count !== 1) continue;
    const mail = await deps.db.mailOutbox.findUniqueOrThrow({ where: { id }, select: { toAddress: true, subject: true, text: true, attempts: true } });
    if (!target) {
      await deps.db.mailOutbox.update({ where: { id }, data: { status: "failed", lastError: "e-mail turned off", claimedUntil: null } });
      run.failed++;
      continue;
    }
    run.attempted++;
    let error: string | null = null;
    try {
      await sendMail(target, { to: mail.toAddress, subject: mail.subject, text: mail.text }, { timeoutMs: deps.timeoutMs });
    } catch (e) {
      error = describeMailError(e);
    }
    const attempts = mail.attempts + 1;
    const at = deps.now();
    const gaveUp = error !== null && attempts >= deps.maxAttempts;
    await deps.db.mailOutbox.update({
      where: { id },
      data: {
        attempts,
        lastError: error,
        claimedUntil: null,
        ...(error === null ? { status: "sent", sentAt: at } : gaveUp ? { status: "failed" } : { nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempts, deps.retryBaseMs)) }),
      },
    });
    if (error === null) run.sent++;
    else if (gaveUp) run.failed++;
  }
  return run;
}
