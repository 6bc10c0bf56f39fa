"use client";

import Link from "next/link";
import { DropdownMenu } from "radix-ui";
import { useTranslations } from "next-intl";
import { Ban, CircleCheck, ExternalLink, MoreHorizontal, RotateCcw, Trash2, UserPlus } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { ActionableKey, KeyAction } from "./key-action-dialogs";

const itemClass =
  "flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-700 outline-none data-[disabled]:cursor-not-allowed data-[highlighted]:bg-slate-100 data-[disabled]:text-slate-400";

/** Whether the viewer has anything to do with this key beyond opening it. */
export function hasKeyActions(key: ActionableKey): boolean {
  return Object.values(key.can).some(Boolean);
}

/**
 * The inventory row's actions menu (Radix DropdownMenu: arrow keys, typeahead, Escape). Items
 * follow the row's `can`; delete stays visible but disabled for an active key, saying why.
 * The dialogs live in the table, not in the row: a row may be re-created when the list refreshes
 * after an action, and a reset's one-time secret must not vanish with it.
 */
export function KeyRowMenu({ keyItem: key, isAdmin, onAction }: { keyItem: ActionableKey & { state: string }; isAdmin: boolean; onAction: (action: KeyAction) => void }) {
  const t = useTranslations("keys.actions");
  const showDelete = key.can.delete || (isAdmin && key.state === "present" && key.status === "Active");
  const item = (action: KeyAction, icon: React.ReactNode) => (
    <DropdownMenu.Item className={itemClass} onSelect={() => onAction(action)}>
      {icon}
      {t(`${action}.open`)}
    </DropdownMenu.Item>
  );

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        data-key-menu={key.id}
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
          {hasKeyActions(key) || showDelete ? <DropdownMenu.Separator className="my-1 h-px bg-slate-200" /> : null}
          {key.can.disable ? item("disable", <Ban aria-hidden className="h-4 w-4" />) : null}
          {key.can.enable ? item("enable", <CircleCheck aria-hidden className="h-4 w-4" />) : null}
          {key.can.reset ? item("reset", <RotateCcw aria-hidden className="h-4 w-4" />) : null}
          {key.can.adopt ? item("adopt", <UserPlus aria-hidden className="h-4 w-4" />) : null}
          {showDelete ? (
            <DropdownMenu.Item className={cn(itemClass, "text-red-700 data-[highlighted]:bg-red-50")} disabled={!key.can.delete} onSelect={() => onAction("delete")}>
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
  );
}
