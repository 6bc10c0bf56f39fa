import { createHmac, timingSafeEqual } from "node:crypto";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./headers";

/**
 * Webhook signatures. The receiver recomputes HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * shared secret and compares; the timestamp is signed too, so a captured request cannot be
 * replayed later with a fresh timestamp (receivers should also refuse old timestamps).
 */


export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does; used by the tests and documented for integrators. */
export function verifySignature(secret: string, timestamp: number, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookHeaders(input: { secret: string | null; timestamp: number; body: string; event: string; deliveryId: string }): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "BedrockKeyConsole-Webhook/1",
    [EVENT_HEADER]: input.event,
    [DELIVERY_HEADER]: input.deliveryId,
    [TIMESTAMP_HEADER]: String(input.timestamp),
    ...(input.secret ? { [SIGNATURE_HEADER]: signPayload(input.secret, input.timestamp, input.body) } : {}),
  };
}
