"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Popover } from "radix-ui";
import { useFormatter, useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { Time } from "@/components/ui/time";
import { Bell } from "lucide-react";
import { formatBudgetAmount } from "@/lib/budgets/amount";
import { markNotificationsRead } from "@/lib/notifications/actions";
import { messageKey, messageValues } from "@/lib/notifications/kinds";
import type { InboxItem } from "@/lib/notifications/queries";
import { cn } from "@/components/ui/cn";

/**
 * The header's notification centre: a bell with the unread count, opening a list (Radix Popover:
 * focus moves in, Escape closes, focus returns). Opening an item marks it read; "Mark all read"
 * clears the count. The list comes from the layout, re-read on every navigation.
 */
export function NotificationBell({ unread, items, now }: { unread: number; items: InboxItem[]; now: string }) {
  const f = useTimeFormat();
  const t = useTranslations("notifications");
  const tBudgets = useTranslations("budgets");
  const format = useFormatter();
  const values = {
    date: (iso: string) => f.withZone(iso),
    amount: (n: number, unit: string) => formatBudgetAmount(n, unit, format, (v) => tBudgets("tokens", v)),
  };
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  const mark = (input: { all: true } | { ids: string[] }) =>
    startTransition(async () => {
      await markNotificationsRead(input);
      router.refresh();
    });

  return (
    <Popover.Root>
      <Popover.Trigger
        aria-label={unread > 0 ? t("bellUnread", { count: unread }) : t("bell")}
        className="relative inline-flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100"
      >
        <Bell aria-hidden className="h-5 w-5" />
        {unread > 0 ? (
          <span aria-hidden data-testid="notification-count" className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          aria-label={t("title")}
          className="z-50 w-[min(24rem,calc(100vw-1rem))] rounded-md border border-slate-200 bg-white shadow-lg focus:outline-none"
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
            <h2 className="text-sm font-semibold text-slate-900">{t("title")}</h2>
            <button type="button" onClick={() => mark({ all: true })} disabled={pending || unread === 0} className="text-xs font-medium text-brand-700 hover:underline disabled:text-slate-400 disabled:no-underline">
              {t("markAllRead")}
            </button>
          </div>
          {items.length === 0 ? (
            <p className="px-4 py-6 text-center text-sm text-slate-600">{t("empty")}</p>
          ) : (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
              {items.map((item) => {
                const text = t(`messages.${messageKey(item.kind)}` as "messages.requestSubmitted", messageValues(item.params, values));
                const body = (
                  <>
                    <span aria-hidden className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", item.read ? "bg-transparent" : "bg-brand-600")} />
                    <span className="min-w-0">
                      <span className={cn("block text-sm", item.read ? "text-slate-600" : "font-medium text-slate-900")}>
                        {item.read ? null : <span className="sr-only">{t("unread")} </span>}
                        {text}
                      </span>
                      <Time value={item.createdAt} now={now} className="text-xs text-slate-500" />
                    </span>
                  </>
                );
                return (
                  <li key={item.id}>
                    {item.href ? (
                      <Popover.Close asChild>
                        <Link href={item.href} onClick={() => (item.read ? undefined : mark({ ids: [item.id] }))} className="flex gap-3 px-4 py-3 hover:bg-slate-50 focus:bg-slate-50 focus:outline-none">
                          {body}
                        </Link>
                      </Popover.Close>
                    ) : (
                      <div className="flex gap-3 px-4 py-3">{body}</div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
