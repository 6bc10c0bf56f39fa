import { type AbstractIntlMessages, createFormatter, createTranslator } from "use-intl/core";
import { formatBudgetAmount } from "@/lib/budgets/amount";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json";
import ja from "@/lib/i18n/messages/ja.json";
import ko from "@/lib/i18n/messages/ko.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { enqueueWebhook } from "@/lib/webhooks/deliver";
import { formatTimeWithZone } from "@/lib/time/format";
import { messageKey, messageValues, type NotificationKind, type NotificationParams } from "./kinds";

export interface NotifyDeps {
  db: PrismaClient;
  now: () => Date;
  /** Public URL of the console (AUTH_URL), for absolute links in webhook payloads. */
  appUrl?: string;
  /** Called after a webhook delivery was queued: starts the background worker. */
  onWebhookQueued?: () => void;
  /** Where a failure to notify is reported; it never fails the caller. */
  onError?: (error: unknown, kind: string) => void;
}

export interface NotifyEvent {
  kind: NotificationKind;
  /** User ids; duplicates and the empty list are fine. */
  recipients: readonly string[];
  params: NotificationParams;
  /** Console path the notification opens, e.g. /requests/<id>. */
  href: string;
  /** One notification per recipient and key, ever: reminders can run again without repeating themselves. */
  dedupeKey?: string;
  /** Non-secret facts for the webhook's "data". */
  data: Record<string, unknown>;
}

// Untyped messages: the kinds are checked by the catalog tests, not by deep generic types.
const english = createTranslator({ locale: "en", messages: en.notifications.messages as unknown as AbstractIntlMessages, timeZone: "UTC" }) as unknown as (
  key: string,
  values: Record<string, string | number>,
) => string;

/** The event as one English line, for chat tools reading the webhook's "text". */
export function eventText(kind: NotificationKind, params: NotificationParams): string {
  // Read by many people in many zones: UTC, named.
  return english(messageKey(kind), messageValues(params, { date: (iso) => formatTimeWithZone(iso, { locale: "en", timeZone: "UTC" }), amount: amountFormatter("en") }));
}

const catalogs: Record<Locale, AbstractIntlMessages> = { en, ja, ko, "zh-CN": zhCN } as unknown as Record<Locale, AbstractIntlMessages>;

/**
 * The same line in one person's language and time zone (UTC when unknown), for what is sent to that
 * person alone, such as an e-mail. `namespace` lets the caller's own strings come from the same catalog.
 */
export function translatorFor(locale: string, namespace: string): (key: string, values?: Record<string, string | number>) => string {
  const messages = catalogs[isLocale(locale) ? locale : "en"];
  return createTranslator({ locale: isLocale(locale) ? locale : "en", messages, namespace: namespace as never, timeZone: "UTC" }) as unknown as (key: string, values?: Record<string, string | number>) => string;
}

export function eventTextFor(kind: NotificationKind, params: NotificationParams, locale: string, timeZone: string | null): string {
  const lang = isLocale(locale) ? locale : "en";
  return translatorFor(lang, "notifications.messages")(
    messageKey(kind),
    messageValues(params, { date: (iso) => formatTimeWithZone(iso, { locale: lang, timeZone: timeZone ?? "UTC" }), amount: amountFormatter(lang) }),
  );
}

/** Budget amounts in one language (lib/budgets/amount.ts, as the budgets page and the bell write them). */
function amountFormatter(locale: Locale): (value: number, unit: string) => string {
  const tokens = translatorFor(locale, "budgets");
  const format = createFormatter({ locale, timeZone: "UTC" });
  return (value, unit) => formatBudgetAmount(value, unit, format, (v) => tokens("tokens", v));
}

function isUniqueViolation(error: unknown) {
  return (error as { code?: string } | null)?.code === "P2002";
}

/**
 * Tell the recipients in the app and queue the webhook. Runs after the change it reports has been
 * committed, and swallows its own failures (reported through onError): a notification is never a
 * reason for an approval or a pick-up to fail. With a dedupeKey, an event whose notifications all
 * exist already is a repeat, and queues no webhook either.
 */
export async function notify(deps: NotifyDeps, event: NotifyEvent): Promise<{ created: number; webhookId: string | null }> {
  try {
    let created = 0;
    const params = JSON.stringify(event.params);
    for (const userId of new Set(event.recipients)) {
      try {
        await deps.db.notification.create({ data: { userId, kind: event.kind, params, href: event.href, dedupeKey: event.dedupeKey ?? null, createdAt: deps.now() } });
        created++;
      } catch (error) {
        if (!(event.dedupeKey && isUniqueViolation(error))) throw error;
      }
    }
    if (event.dedupeKey && created === 0) return { created, webhookId: null };
    const link = deps.appUrl ? new URL(event.href, deps.appUrl).toString() : event.href;
    const webhookId = await enqueueWebhook(deps.db, { event: event.kind, text: `${eventText(event.kind, event.params)} ${link}`, data: { ...event.data, link } }, deps.now());
    if (webhookId) deps.onWebhookQueued?.();
    return { created, webhookId };
  } catch (error) {
    deps.onError?.(error, event.kind);
    return { created: 0, webhookId: null };
  }
}
