"use client";

import { useId, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { deleteKey } from "@/lib/keys/actions";
import { shortCredentialId } from "@/lib/keys/naming";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionableKey } from "./key-action-dialogs";

/**
 * Delete, confirmed by typing the key's name (as the AWS console does). Says up front what else
 * goes: the IAM user the console created for the key, with its policies.
 */
export function DeleteKeyDialog({
  keyItem: key,
  onOpenChange,
  onCloseAutoFocus,
  onDeleted,
}: {
  keyItem: ActionableKey;
  onOpenChange: (open: boolean) => void;
  onCloseAutoFocus: (event: Event) => void;
  onDeleted?: () => void;
}) {
  const t = useTranslations("keys.actions.delete");
  const tc = useTranslations("keys.actions");
  const [typed, setTyped] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const id = useId();
  const matches = typed.trim() === key.name || typed.trim() === key.iamUserName;

  return (
    <ConfirmDialog
      open
      onOpenChange={onOpenChange}
      onCloseAutoFocus={onCloseAutoFocus}
      title={t("title", { name: key.name })}
      description={t("description")}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      confirmDisabled={!matches}
      errorLabel={tc("errorLabel")}
      onConfirm={async () => {
        setFieldError(null);
        const result = await deleteKey({ keyId: key.id, confirmName: typed.trim() });
        if (!result.ok) {
          setFieldError(result.fieldErrors?.confirmName ?? null);
          return result.error;
        }
        const { userDeleted, userKeptBecause } = result.data;
        toast.success(
          userDeleted
            ? t("doneWithUser", { name: key.name, user: key.iamUserName })
            : userKeptBecause === "otherCredentials"
              ? t("doneUserKeptOther", { name: key.name, user: key.iamUserName })
              : userKeptBecause === "notConsoleUser"
                ? t("doneUserKeptForeign", { name: key.name, user: key.iamUserName })
                : t("doneUserCleanupFailed", { name: key.name, user: key.iamUserName }),
        );
        onDeleted?.();
      }}
    >
      <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
        {/* Which key exactly: keys made outside the console can share a name. */}
        <li>{t("pointWhich", { user: key.iamUserName, id: shortCredentialId(key.credentialId) })}</li>
        <li>{t("pointDisabled")}</li>
        <li>{t("pointUser", { user: key.iamUserName })}</li>
        <li>{t("pointIrreversible")}</li>
      </ul>
      <div className="mt-4 space-y-1">
        <label htmlFor={`${id}-confirm`} className="block text-sm font-medium text-slate-700">
          {t.rich("typeToConfirm", { name: key.name, strong: (chunks) => <strong className="font-mono font-semibold text-slate-900">{chunks}</strong> })}
        </label>
        <input
          id={`${id}-confirm`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
          {fieldError}
        </p>
      </div>
    </ConfirmDialog>
  );
}
