"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { OffboardItemView } from "@/lib/users/offboard-actions";
import { offboardUser } from "@/lib/users/offboard-actions";
import type { LeftBehind } from "@/lib/users/offboard-loaders";
import { ResultList } from "@/components/keys/result-list";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/field";

export interface HeirOption {
  id: string;
  name: string;
  email: string;
}

/**
 * Deactivate a person and deal with what they leave behind, in one dialog and one operation:
 * their open requests are cancelled (always), their keys handed to someone and/or disabled, their
 * short-term keys revoked. The result lists every item, failures first.
 */
export function OffboardDialog({
  user,
  leftBehind,
  heirs,
  shortTermConfigured,
  onClose,
}: {
  user: { id: string; name: string; email: string };
  leftBehind: LeftBehind;
  heirs: HeirOption[];
  shortTermConfigured: boolean;
  /**
   * The dialog is held by the table, not the row: after the run the page refreshes and the row
   * turns into a deactivated one, which must not take the result list away with it.
   */
  onClose: () => void;
}) {
  const t = useTranslations("offboarding");
  const router = useRouter();
  const [disableKeys, setDisableKeys] = useState(leftBehind.keys > 0);
  const [revokeShortTerm, setRevokeShortTerm] = useState(shortTermConfigured);
  const [newOwnerId, setNewOwnerId] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [items, setItems] = useState<OffboardItemView[] | null>(null);
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      setError(null);
      const result = await offboardUser({ id: user.id, disableKeys, revokeShortTerm, newOwnerId });
      if (!result.ok) {
        setError({ message: result.error, ...(result.fieldErrors?.newOwnerId ? { field: result.fieldErrors.newOwnerId } : {}) });
        return;
      }
      setItems(result.data.items);
      router.refresh();
    });

  return (
    <Dialog
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title={items ? t("resultTitle", { name: user.name }) : t("title", { name: user.name })}
      description={items ? t("resultDescription") : t("description", { email: user.email })}
      size="lg"
    >
      {items ? (
        <>
          <ResultList label={t("resultLabel")} rows={items.map((i) => ({ id: i.targetId, label: i.label, step: t(`steps.${i.step}`), outcome: i.outcome, note: i.note }))} />
          <DialogFooter>
            <Button onClick={onClose}>{t("close")}</Button>
          </DialogFooter>
        </>
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <ul className="list-disc space-y-1 pl-5">
            <li>{t("pointSessions")}</li>
            <li>{t("pointRequests", { count: leftBehind.requests })}</li>
            <li>{t("pointKeys", { count: leftBehind.keys })}</li>
          </ul>
          <fieldset className="space-y-3" disabled={pending}>
            <legend className="sr-only">{t("choices")}</legend>
            <label className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 h-4 w-4" checked={disableKeys} onChange={(e) => setDisableKeys(e.target.checked)} />
              <span>
                {t("disableKeys", { count: leftBehind.keys })}
                <span className="block text-xs text-slate-600">{t("disableKeysHint")}</span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 h-4 w-4" checked={revokeShortTerm} disabled={!shortTermConfigured} onChange={(e) => setRevokeShortTerm(e.target.checked)} />
              <span>
                {t("revokeShortTerm", { count: leftBehind.shortTermKeys })}
                <span className="block text-xs text-slate-600">{shortTermConfigured ? t("revokeShortTermHint") : t("notes.notConfigured")}</span>
              </span>
            </label>
            <SelectField
              label={t("newOwner")}
              hint={t("newOwnerHint")}
              value={newOwnerId}
              error={error?.field}
              onChange={(e) => setNewOwnerId(e.target.value)}
            >
              <option value="">{t("keepOwner")}</option>
              {heirs
                .filter((h) => h.id !== user.id)
                .map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name} ({h.email})
                  </option>
                ))}
            </SelectField>
          </fieldset>
          {error ? <Alert label={t("errorLabel")}>{error.message}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={onClose} disabled={pending}>
              {t("cancel")}
            </Button>
            <Button variant="danger" onClick={submit} disabled={pending}>
              {pending ? t("pending") : t("confirm")}
            </Button>
          </DialogFooter>
        </div>
      )}
    </Dialog>
  );
}
