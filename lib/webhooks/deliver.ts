import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { webhookTarget } from "./settings";
import { webhookHeaders } from "./signature";
import { postWebhook, systemResolver, WebhookRefused, type Resolver } from "./transport";

/**
 * The webhook queue. Events are written to the database by the action that caused them (one
 * insert, no network), and delivered here, asynchronously, with exponential backoff — so a slow
 * or dead receiver never delays or fails the action, and deliveries survive a restart.
 */

export interface WebhookDeps {
  db: PrismaClient;
  now: () => Date;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Wait before the first retry; doubled after each failed attempt. */
  retryBaseMs: number;
  timeoutMs: number;
  /** WEBHOOK_ALLOWED_HOSTS (normalised): hosts that may be internal or plain http. */
  allowedHosts: readonly string[];
  /** DNS; a test hands in a stub (e.g. one that rebinds a name to 127.0.0.1). */
  resolve?: Resolver;
}

export interface WebhookEvent {
  event: string;
  /** One line for chat tools that show a "text" field (Slack-compatible incoming webhooks). */
  text: string;
  data: Record<string, unknown>;
}

/** Queue an event if a webhook is configured. Returns the delivery id, or null when the webhook is off. */
export async function enqueueWebhook(db: PrismaClient, event: WebhookEvent, now: Date): Promise<string | null> {
  const target = await webhookTarget(db);
  if (!target) return null;
  // The id is part of the signed body, so a receiver can drop a delivery it has already processed.
  const id = randomUUID();
  const payload = JSON.stringify({ id, event: event.event, occurredAt: now.toISOString(), text: escapeChatText(event.text), data: event.data });
  await db.webhookDelivery.create({ data: { id, event: event.event, payload, url: target.url, nextAttemptAt: now } });
  return id;
}

/**
 * The "text" goes to chat tools, and carries what people wrote (purposes, names, justifications).
 * Slack-style control sequences (<!channel>, <!here>, <@U123>, <#C1|x>, links) are escaped as
 * Slack documents (& < > as entities), and the broadcast words other tools act on as plain text
 * (@here, @channel, @everyone, @all) get a zero-width space after the @, so a request cannot
 * page a whole channel.
 */
export function escapeChatText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(here|channel|everyone|all)\b/gi, "@\u200B$1");
}

/** Delay before attempt n+1 after n failed attempts: base, 2×base, 4×base, … */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, failedAttempts - 1);
}

/**
 * A short reason for the delivery log: "refused: address not allowed" (nothing about what is
 * there: the log must not become a port scanner of the internal network), "refused: https
 * required", "timeout", or the network error's code (ECONNREFUSED, ENOTFOUND, …). Never the URL:
 * its path may hold a token.
 */
function describeError(error: unknown): string {
  if (error instanceof WebhookRefused) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timeout";
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return code;
  return error instanceof Error ? error.name : "error";
}

export interface DeliveryRun {
  attempted: number;
  delivered: number;
  failed: number;
}

/**
 * Send every delivery that is due. Each one is claimed first with a conditional update (lapsing
 * after the timeout), so two workers — two app instances — never send the same attempt twice.
 */
export async function deliverDue(deps: WebhookDeps, limit = 25): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, delivered: 0, failed: 0 };
  const now = deps.now();
  const free = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  const due = await deps.db.webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now }, ...free },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  if (due.length === 0) return run;
  const target = await webhookTarget(deps.db);
  for (const { id } of due) {
    const claimed = await deps.db.webhookDelivery.updateMany({
      where: { id, status: "pending", ...free },
      data: { claimedUntil: new Date(now.getTime() + deps.timeoutMs + 30_000) },
    });
    if (claimed.count !== 1) continue;
    const delivery = await deps.db.webhookDelivery.findUniqueOrThrow({ where: { id }, select: { event: true, payload: true, attempts: true } });
    if (!target) {
      // Turned off after the event was queued: nothing to send it to.
      await deps.db.webhookDelivery.update({ where: { id }, data: { status: "failed", lastError: "webhook turned off", claimedUntil: null } });
      run.failed++;
      continue;
    }
    run.attempted++;
    const attemptedAt = deps.now();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      // The address is checked on the connection itself (transport.ts): a redirect is not followed.
      status = await postWebhook(
        target.url,
        {
          body: delivery.payload,
          headers: webhookHeaders({ secret: target.secret, timestamp: Math.floor(attemptedAt.getTime() / 1000), body: delivery.payload, event: delivery.event, deliveryId: id }),
          timeoutMs: deps.timeoutMs,
        },
        { allowedHosts: deps.allowedHosts, resolve: deps.resolve ?? systemResolver },
      );
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = describeError(e);
    }
    const attempts = delivery.attempts + 1;
    const durationMs = Math.round(performance.now() - started);
    const ok = error === null;
    const gaveUp = !ok && attempts >= deps.maxAttempts;
    await deps.db.$transaction([
      deps.db.webhookAttempt.create({ data: { deliveryId: id, attemptedAt, status, error, durationMs } }),
      deps.db.webhookDelivery.update({
        where: { id },
        data: {
          attempts,
          url: target.url,
          lastStatus: status,
          lastError: error,
          claimedUntil: null,
          ...(ok
            ? { status: "delivered", deliveredAt: attemptedAt }
            : gaveUp
              ? { status: "failed" }
              : { nextAttemptAt: new Date(attemptedAt.getTime() + retryDelayMs(attempts, deps.retryBaseMs)) }),
        },
      }),
    ]);
    if (ok) run.delivered++;
    else if (gaveUp) run.failed++;
  }
  return run;
}
