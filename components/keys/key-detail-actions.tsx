"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Ban, CircleCheck, RotateCcw, Trash2, UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { OwnerOption } from "./adopt-key-dialog";
import { type ActionableKey, type KeyAction, KeyActionDialogs } from "./key-action-dialogs";

/** The key page's action buttons: the same dialogs as the inventory's row menu. */
export function KeyDetailActions({ keyItem: key, isAdmin, owners }: { keyItem: ActionableKey & { state: string }; isAdmin: boolean; owners: OwnerOption[] | null }) {
  const t = useTranslations("keys.actions");
  const router = useRouter();
  const [action, setAction] = useState<KeyAction | null>(null);
  const deleteBlocked = !key.can.delete && isAdmin && key.state === "present" && key.status === "Active";

  return (
    <div className="flex flex-wrap items-center gap-2">
      {key.can.adopt ? (
        <Button variant="secondary" onClick={() => setAction("adopt")}>
          <UserPlus aria-hidden className="h-4 w-4" />
          {t("adopt.open")}
        </Button>
      ) : null}
      {key.can.enable ? (
        <Button variant="secondary" onClick={() => setAction("enable")}>
          <CircleCheck aria-hidden className="h-4 w-4" />
          {t("enable.open")}
        </Button>
      ) : null}
      {key.can.disable ? (
        <Button variant="secondary" onClick={() => setAction("disable")}>
          <Ban aria-hidden className="h-4 w-4" />
          {t("disable.open")}
        </Button>
      ) : null}
      {key.can.reset ? (
        <Button variant="secondary" onClick={() => setAction("reset")}>
          <RotateCcw aria-hidden className="h-4 w-4" />
          {t("reset.open")}
        </Button>
      ) : null}
      {key.can.delete || deleteBlocked ? (
        <Button
          variant="secondary"
          className="text-red-700"
          disabled={deleteBlocked}
          title={deleteBlocked ? t("delete.disableFirst") : undefined}
          aria-describedby={deleteBlocked ? "delete-blocked-hint" : undefined}
          onClick={() => setAction("delete")}
        >
          <Trash2 aria-hidden className="h-4 w-4" />
          {t("delete.open")}
        </Button>
      ) : null}
      {deleteBlocked ? (
        <span id="delete-blocked-hint" className="sr-only">
          {t("delete.disableFirst")}
        </span>
      ) : null}
      <KeyActionDialogs keyItem={key} action={action} onClose={() => setAction(null)} owners={owners} onDeleted={() => router.push("/keys")} />
    </div>
  );
}
