"use client";

import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { Building2, ChartColumn, ClipboardCheck, Home, KeyRound, PiggyBank, ScanSearch, ScrollText, Settings, ShieldAlert, Timer, Users } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { IntentLink } from "./intent-link";
import type { NavIcon } from "./nav-items";

const ICONS: Record<NavIcon, typeof Home> = { home: Home, keys: KeyRound, shortTermKeys: Timer, inspect: ScanSearch, usage: ChartColumn, requests: ClipboardCheck, settings: Settings, users: Users, audit: ScrollText, accounts: Building2, budgets: PiggyBank, posture: ShieldAlert };

export function SidebarNav({ items }: { items: { href: string; key: string; icon: NavIcon }[] }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")} className="flex flex-col gap-1">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
        const Icon = ICONS[item.icon];
        return (
          <IntentLink
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100",
            )}
          >
            <Icon aria-hidden className="h-4 w-4" />
            {t(item.key)}
          </IntentLink>
        );
      })}
    </nav>
  );
}
