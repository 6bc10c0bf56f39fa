/**
 * What the console notifies about. The same names are the webhook's event names. Messages are
 * rendered from kind + params in the reader's language ("notifications.messages" namespace),
 * so a notification written in English is read in Japanese by a Japanese-speaking lead.
 */
export const NOTIFICATION_KINDS = [
  "request.submitted",
  "request.approved",
  "request.denied",
  "request.expiring",
  "request.expired",
  "key.expiring",
  "budget.threshold",
  "budget.enforced",
  "key.rotationReady",
  "key.rotationDue",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Message keys cannot contain dots (next-intl nests on them): request.submitted → requestSubmitted. */
export function messageKey(kind: string): string {
  return kind.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Params holding ISO dates; the reader's formatter (lib/time) writes them, zone included. */
const DATE_PARAMS = new Set(["pickupBy", "expiresAt", "dueAt"]);

export type NotificationParams = Record<string, string | number>;

/** Params as the translator wants them: dates formatted for the reader ("Dec 3, 2026, 9:04 PM UTC+9"). */
export function messageValues(params: NotificationParams, formatDate: (iso: string) => string): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, DATE_PARAMS.has(k) && typeof v === "string" ? formatDate(v) : v]),
  );
}

/** Tolerant reader for the stored JSON: a damaged row shows a message with blanks, not an error. */
export function parseParams(json: string): NotificationParams {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== "object" || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string | number] => typeof e[1] === "string" || typeof e[1] === "number"));
  } catch {
    return {};
  }
}
