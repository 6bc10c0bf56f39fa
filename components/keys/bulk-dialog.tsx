"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { BulkOperationName } from "@/lib/keys/bulk";
import { bulkKeys, type BulkItemView } from "@/lib/keys/bulk-actions";
import type { BulkOptions } from "@/lib/keys/bulk-loaders";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ResultList } from "./result-list";

/**
 * One bulk operation over the selected keys: its choice (team, owner, or the typed count for a
 * delete), then the per-key result list in the same dialog. The server re-checks everything.
 */
export function BulkDialog({
  op,
  keyIds,
  options,
  onClose,
  onDone,
}: {
  op: BulkOperationName;
  keyIds: string[];
  options: BulkOptions;
  onClose: () => void;
  /** After a run: the selection is cleared (the keys changed). */
  onDone: () => void;
}) {
  const t = useTranslations("bulk.dialog");
  const router = useRouter();
  const count = keyIds.length;
  const [teamId, setTeamId] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [items, setItems] = useState<BulkItemView[] | null>(null);
  const [pending, startTransition] = useTransition();

  const ready = op === "team" ? teamId !== "" : op === "owner" ? ownerId !== "" : op === "delete" ? typed.trim() === String(count) : true;
  const submit = () =>
    startTransition(async () => {
      setError(null);
      const input =
        op === "team" ? { op, keyIds, teamId } : op === "owner" ? { op, keyIds, ownerId } : op === "delete" ? { op, keyIds, confirmCount: Number(typed.trim()) } : { op, keyIds };
      const result = await bulkKeys(input);
      if (!result.ok) {
        setError(Object.values(result.fieldErrors ?? {})[0] ?? result.error);
        return;
      }
      setItems(result.data.items);
      onDone();
      router.refresh();
    });

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={items ? t("resultTitle") : t(`title.${op}`, { count })}
      description={items ? t("resultDescription") : t(`description.${op}`)}
      size="lg"
    >
      {items ? (
        <>
          <ResultList label={t("resultLabel")} rows={items.map((i) => ({ id: i.keyId, label: i.name, outcome: i.outcome, note: i.reason }))} />
          <DialogFooter>
            <Button onClick={onClose}>{t("close")}</Button>
          </DialogFooter>
        </>
      ) : (
        <div className="space-y-4">
          {op === "team" ? (
            <SelectField label={t("team")} value={teamId} onChange={(e) => setTeamId(e.target.value)} required>
              <option value="">{t("chooseTeam")}</option>
              {options.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          {op === "owner" ? (
            <SelectField label={t("owner")} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} required>
              <option value="">{t("chooseOwner")}</option>
              {options.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.email})
                </option>
              ))}
            </SelectField>
          ) : null}
          {op === "delete" ? <TextField label={t("typeCount", { count })} value={typed} onChange={(e) => setTyped(e.target.value)} inputMode="numeric" autoComplete="off" /> : null}
          {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={onClose} disabled={pending}>
              {t("cancel")}
            </Button>
            <Button variant={op === "delete" || op === "disable" ? "danger" : "primary"} onClick={submit} disabled={pending || !ready}>
              {pending ? t("pending") : t("confirm", { count })}
            </Button>
          </DialogFooter>
        </div>
      )}
    </Dialog>
  );
}
