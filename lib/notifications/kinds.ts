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
/**
 * Params holding an amount as a number, in the unit the "unit" param names ("usd" or "tokens"):
 * the reader's formatter writes them ("$5.50", "5,50 $US", "6,000 tokens", "6,000 トークン").
 * Notifications stored before amounts were numbers hold English text here, shown as it is.
 */
const AMOUNT_PARAMS = new Set(["spent", "limit"]);

export type NotificationParams = Record<string, string | number>;

export interface ValueFormatters {
  date: (iso: string) => string;
  amount: (value: number, unit: string) => string;
}

/** Params as the translator wants them: dates and amounts formatted for the reader ("Dec 3, 2026, 9:04 PM UTC+9"). */
export function messageValues(params: NotificationParams, format: ValueFormatters): Record<string, string | number> {
  const unit = typeof params.unit === "string" ? params.unit : null;
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => {
      if (DATE_PARAMS.has(k) && typeof v === "string") return [k, format.date(v)];
      if (AMOUNT_PARAMS.has(k) && typeof v === "number" && unit) return [k, format.amount(v, unit)];
      return [k, v];
    }),
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
