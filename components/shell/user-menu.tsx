"use client";

import { DropdownMenu } from "radix-ui";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { ChevronDown, LogOut, MonitorX, ShieldCheck, UserRound } from "lucide-react";
import { signOutAction, signOutEverywhereAction } from "@/lib/auth/actions";

export function UserMenu({ name, email, roleLabel }: { name: string; email: string; roleLabel: string }) {
  const t = useTranslations("shell");
  return (
    <DropdownMenu.Root>
      {/* The accessible name comes from the content ("<name> account menu"), so it always
          contains the visible text (WCAG 2.5.3); the name is only visually hidden on small screens. */}
      <DropdownMenu.Trigger className="inline-flex items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
        <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-600 text-white">
          <UserRound className="h-4 w-4" />
        </span>
        <span className="sr-only sm:not-sr-only">{name}</span>
        <span className="sr-only"> {t("userMenu")}</span>
        <ChevronDown aria-hidden className="h-4 w-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
          <div className="px-3 py-2 text-sm">
            <div className="font-medium text-slate-900">{name}</div>
            <div className="text-slate-600">{email}</div>
            <div className="mt-1 text-xs text-slate-500">{t("role", { role: roleLabel })}</div>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          <DropdownMenu.Item asChild className="flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100">
            <Link href="/account">
              <ShieldCheck aria-hidden className="h-4 w-4" />
              {t("account")}
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className="flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
            onSelect={() => void signOutAction()}
          >
            <LogOut aria-hidden className="h-4 w-4" />
            {t("signOut")}
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className="flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
            onSelect={() => void signOutEverywhereAction()}
          >
            <MonitorX aria-hidden className="h-4 w-4" />
            {t("signOutEverywhere")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
