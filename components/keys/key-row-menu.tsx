"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";
import { useTranslations } from "next-intl";
import { Ban, CircleCheck, ExternalLink, MoreHorizontal, RotateCcw, Trash2, UserPlus } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { OwnerOption } from "./adopt-key-dialog";
import { type ActionableKey, type KeyAction, KeyActionDialogs } from "./key-action-dialogs";

const itemClass =
  "flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-700 outline-none data-[disabled]:cursor-not-allowed data-[highlighted]:bg-slate-100 data-[disabled]:text-slate-400";

/** Whether the viewer has anything to do with this key beyond opening it. */
export function hasKeyActions(key: ActionableKey): boolean {
  return Object.values(key.can).some(Boolean);
}

/**
 * The inventory row's actions menu (Radix DropdownMenu: arrow keys, typeahead, Escape). Items
 * follow the row's `can`; delete stays visible but disabled for an active key, saying why.
 * Dialogs live outside the menu, so the menu can close before they take focus.
 */
export function KeyRowMenu({ keyItem: key, isAdmin, owners }: { keyItem: ActionableKey & { state: string }; isAdmin: boolean; owners: OwnerOption[] | null }) {
  const t = useTranslations("keys.actions");
  const [action, setAction] = useState<KeyAction | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const showDelete = key.can.delete || (isAdmin && key.state === "present" && key.status === "Active");

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          ref={trigger}
          aria-label={t("menuFor", { name: key.name })}
          className="inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 data-[state=open]:bg-slate-100"
        >
          <MoreHorizontal aria-hidden className="h-4 w-4" />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={4} className="z-30 min-w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
            <DropdownMenu.Item asChild className={itemClass}>
              <Link href={`/keys/${key.id}`}>
                <ExternalLink aria-hidden className="h-4 w-4" />
                {t("open")}
              </Link>
            </DropdownMenu.Item>
            {key.can.disable || key.can.enable || key.can.reset || key.can.adopt || showDelete ? <DropdownMenu.Separator className="my-1 h-px bg-slate-200" /> : null}
            {key.can.disable ? (
              <DropdownMenu.Item className={itemClass} onSelect={() => setAction("disable")}>
                <Ban aria-hidden className="h-4 w-4" />
                {t("disable.open")}
              </DropdownMenu.Item>
            ) : null}
            {key.can.enable ? (
              <DropdownMenu.Item className={itemClass} onSelect={() => setAction("enable")}>
                <CircleCheck aria-hidden className="h-4 w-4" />
                {t("enable.open")}
              </DropdownMenu.Item>
            ) : null}
            {key.can.reset ? (
              <DropdownMenu.Item className={itemClass} onSelect={() => setAction("reset")}>
                <RotateCcw aria-hidden className="h-4 w-4" />
                {t("reset.open")}
              </DropdownMenu.Item>
            ) : null}
            {key.can.adopt ? (
              <DropdownMenu.Item className={itemClass} onSelect={() => setAction("adopt")}>
                <UserPlus aria-hidden className="h-4 w-4" />
                {t("adopt.open")}
              </DropdownMenu.Item>
            ) : null}
            {showDelete ? (
              <DropdownMenu.Item className={cn(itemClass, "text-red-700 data-[highlighted]:bg-red-50")} disabled={!key.can.delete} onSelect={() => setAction("delete")}>
                <Trash2 aria-hidden className="h-4 w-4" />
                <span className="flex flex-col">
                  {t("delete.open")}
                  {key.can.delete ? null : <span className="text-xs text-slate-500">{t("delete.disableFirst")}</span>}
                </span>
              </DropdownMenu.Item>
            ) : null}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <KeyActionDialogs keyItem={key} action={action} onClose={() => setAction(null)} owners={owners} returnFocus={() => trigger.current?.focus()} />
    </>
  );
}
