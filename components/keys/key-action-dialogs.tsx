"use client";

import { useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { disableKey, enableKey, resetKey } from "@/lib/keys/actions";
import type { KeyReveal } from "@/lib/keys/issue";
import type { KeyListItem } from "@/lib/keys/queries";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { AdoptKeyDialog } from "./adopt-key-dialog";
import type { OwnerOption } from "./owner-team-fields";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { KeyRevealDialog } from "./reveal/key-reveal-dialog";

export type KeyAction = "disable" | "enable" | "reset" | "delete" | "adopt";

export type ActionableKey = Pick<KeyListItem, "id" | "name" | "iamUserName" | "credentialId" | "purpose" | "status" | "managed" | "owner" | "team" | "can">;

export interface KeyActionDialogsProps {
  keyItem: ActionableKey;
  /** The open dialog, or null. Set by a menu item or a button; cleared on close. */
  action: KeyAction | null;
  onClose: () => void;
  /** Owners and their teams, for adopting (admins only). */
  owners: OwnerOption[] | null;
  /** Focus target after a dialog closes (the menu trigger), since the menu item is gone by then. */
  returnFocus?: () => void;
  onDeleted?: () => void;
}

/**
 * The confirmations behind every key action, shared by the inventory's row menu and the key
 * page. The server actions check permission and scope again; `can` only decides what is offered.
 * A reset ends in the one-time reveal, held in this component's state until Done drops it.
 */
export function KeyActionDialogs({ keyItem: key, action, onClose, owners, returnFocus, onDeleted }: KeyActionDialogsProps) {
  const t = useTranslations("keys.actions");
  const tr = useTranslations("keys.reveal");
  const [reveal, setReveal] = useState<KeyReveal | null>(null);
  // Set as soon as a reset succeeds, before React re-renders: the closing confirmation must not
  // pull focus out of the reveal dialog that opens in its place.
  const revealing = useRef(false);
  const closeProps = {
    onOpenChange: (open: boolean) => {
      if (!open) onClose();
    },
    onCloseAutoFocus: (event: Event) => {
      if (revealing.current) {
        event.preventDefault();
        return;
      }
      if (!returnFocus) return;
      event.preventDefault();
      returnFocus();
    },
  };

  return (
    <>
      {action === "disable" || action === "enable" ? (
        <ConfirmDialog
          open
          {...closeProps}
          title={t(`${action}.title`, { name: key.name })}
          description={t(`${action}.description`)}
          confirmLabel={t(`${action}.confirm`)}
          pendingLabel={t(`${action}.pending`)}
          tone={action === "disable" ? "danger" : "primary"}
          errorLabel={t("errorLabel")}
          onConfirm={async () => {
            const result = action === "disable" ? await disableKey({ keyId: key.id }) : await enableKey({ keyId: key.id });
            if (!result.ok) return result.error;
            toast.success(t(`${action}.done`, { name: key.name }));
          }}
        />
      ) : null}
      {action === "reset" ? (
        <ConfirmDialog
          open
          {...closeProps}
          title={t("reset.title", { name: key.name })}
          description={t("reset.description")}
          confirmLabel={t("reset.confirm")}
          pendingLabel={t("reset.pending")}
          errorLabel={t("errorLabel")}
          onConfirm={async () => {
            const result = await resetKey({ keyId: key.id });
            if (!result.ok) return result.error;
            revealing.current = true;
            setReveal(result.data);
          }}
        />
      ) : null}
      {action === "delete" ? <DeleteKeyDialog keyItem={key} {...closeProps} onDeleted={onDeleted} /> : null}
      {action === "adopt" && owners ? <AdoptKeyDialog keyItem={key} owners={owners} onOpenChange={closeProps.onOpenChange} /> : null}
      {reveal ? (
        <KeyRevealDialog
          reveal={reveal}
          title={tr("resetTitle", { name: reveal.name })}
          description={tr("resetDescription")}
          onDone={() => {
            revealing.current = false;
            setReveal(null);
            returnFocus?.();
          }}
        />
      ) : null}
    </>
  );
}
