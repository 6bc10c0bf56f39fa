"use client";

import { useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Ban, CircleCheck, RotateCcw, Trash2, UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { type ActionableKey, type KeyAction, KeyActionDialogs } from "./key-action-dialogs";
import type { OwnerOption } from "./owner-team-fields";

const ICONS: Record<KeyAction, ReactNode> = {
  adopt: <UserPlus aria-hidden className="h-4 w-4" />,
  enable: <CircleCheck aria-hidden className="h-4 w-4" />,
  disable: <Ban aria-hidden className="h-4 w-4" />,
  reset: <RotateCcw aria-hidden className="h-4 w-4" />,
  delete: <Trash2 aria-hidden className="h-4 w-4" />,
};

/** The key page's action buttons: the same dialogs as the inventory's row menu. */
export function KeyDetailActions({ keyItem: key, isAdmin, owners }: { keyItem: ActionableKey & { state: string }; isAdmin: boolean; owners: OwnerOption[] | null }) {
  const t = useTranslations("keys.actions");
  const router = useRouter();
  const [action, setAction] = useState<KeyAction | null>(null);
  // Like the AWS console, an active key cannot be deleted: the button stays, disabled, saying why.
  const deleteBlocked = !key.can.delete && isAdmin && key.state === "present" && key.status === "Active";
  const shown = (["adopt", "enable", "disable", "reset", "delete"] as const).filter((a) => key.can[a] || (a === "delete" && deleteBlocked));

  return (
    <div className="flex flex-wrap items-center gap-2">
      {shown.map((a) => {
        const blocked = a === "delete" && deleteBlocked;
        return (
          <Button
            key={a}
            variant="secondary"
            className={a === "delete" ? "text-red-700" : undefined}
            disabled={blocked}
            title={blocked ? t("delete.disableFirst") : undefined}
            aria-describedby={blocked ? "delete-blocked-hint" : undefined}
            onClick={() => setAction(a)}
          >
            {ICONS[a]}
            {t(`${a}.open`)}
          </Button>
        );
      })}
      {deleteBlocked ? (
        <span id="delete-blocked-hint" className="sr-only">
          {t("delete.disableFirst")}
        </span>
      ) : null}
      <KeyActionDialogs keyItem={key} action={action} onClose={() => setAction(null)} owners={owners} onDeleted={() => router.push("/keys")} />
    </div>
  );
}
