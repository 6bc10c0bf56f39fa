"use client";

import { useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Dialog as RadixDialog } from "radix-ui";
import { KeyRound, Menu, X } from "lucide-react";
import { useTranslations } from "next-intl";
import type { NavIcon } from "./nav-items";
import { SidebarNav } from "./sidebar-nav";

/**
 * Narrow screens (below md): a menu button in the header opens the navigation as a side sheet — a
 * Radix dialog, so focus is trapped inside, Escape closes it and focus returns to the button. It
 * closes itself when a link is followed (the path changes).
 */
export function MobileNav({ items }: { items: { href: string; key: string; icon: NavIcon }[] }) {
  const t = useTranslations();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Follow a link → the sheet closes: remember the path it was opened on (no effect needed).
  const [openedOn, setOpenedOn] = useState(pathname);
  const visible = open && openedOn === pathname;
  return (
    <RadixDialog.Root
      open={visible}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setOpenedOn(pathname);
      }}
    >
      <RadixDialog.Trigger
        className="inline-flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 md:hidden"
        aria-label={t("nav.openMenu")}
      >
        <Menu aria-hidden className="h-5 w-5" />
      </RadixDialog.Trigger>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 md:hidden" />
        <RadixDialog.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto bg-white px-3 py-4 shadow-xl focus:outline-none md:hidden">
          <div className="mb-6 flex items-center justify-between gap-2 px-3">
            <Link href="/" className="flex items-center gap-2" onClick={() => setOpen(false)}>
              <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-600 text-white">
                <KeyRound aria-hidden className="h-4 w-4" />
              </span>
              <RadixDialog.Title className="text-sm font-semibold">{t("common.appName")}</RadixDialog.Title>
            </Link>
            <RadixDialog.Close className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800" aria-label={t("nav.closeMenu")}>
              <X aria-hidden className="h-5 w-5" />
            </RadixDialog.Close>
          </div>
          <RadixDialog.Description className="sr-only">{t("nav.menuDescription")}</RadixDialog.Description>
          <div onClick={(e) => (e.target as HTMLElement).closest("a") && setOpen(false)}>
            <SidebarNav items={items} />
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
