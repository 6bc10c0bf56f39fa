"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { editKey } from "@/lib/keys/actions";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { KEY_NAME_MAX, KEY_NAME_PUNCTUATION } from "@/lib/keys/naming";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldShell, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";
import { ModelPicker } from "./issue/model-picker";
import { type OwnerOption, OwnerTeamFields } from "./owner-team-fields";

export interface EditKeyValues {
  name: string;
  purpose: string;
  ownerId: string;
  teamId: string;
  models: string[];
  cidrs: string[];
  notAfter: string | null;
}

/**
 * Edit an issued key (issue 16): name, purpose, owner and team, and its restrictions. The server
 * rewrites the inline policy, checks the organisation's policy and the viewer's scope again.
 */
export function EditKeyDialog({
  keyId,
  values,
  owners,
  models,
  onOpenChange,
}: {
  keyId: string;
  values: EditKeyValues;
  owners: OwnerOption[];
  models: CatalogueEntry[];
  onOpenChange: (open: boolean) => void;
}) {
  const t = useTranslations("keyEdit");
  const tf = useTranslations("keys.form");
  const tc = useTranslations("common");
  const [ownerId, setOwnerId] = useState(values.ownerId);
  const [teamId, setTeamId] = useState(values.teamId);
  const [selected, setSelected] = useState(values.models);
  const { onSubmit, pending, error, fieldError } = useFormAction(editKey, (data) => {
    toast.success(data.changed.length > 0 ? t("saved") : t("unchanged"));
    onOpenChange(false);
  });

  return (
    <Dialog open onOpenChange={onOpenChange} size="lg" title={t("title", { name: values.name })} description={t("description")}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
        <input type="hidden" name="keyId" value={keyId} />
        <TextField
          label={t("name")}
          name="name"
          defaultValue={values.name}
          maxLength={KEY_NAME_MAX}
          autoComplete="off"
          required
          error={fieldError("name")}
          hint={tf("nameHint", { max: KEY_NAME_MAX, punctuation: KEY_NAME_PUNCTUATION })}
        />
        <TextField label={t("purpose")} name="purpose" defaultValue={values.purpose} maxLength={256} autoComplete="off" error={fieldError("purpose")} />
        <OwnerTeamFields
          owners={owners}
          ownerId={ownerId}
          teamId={teamId}
          onChange={(o, team) => {
            setOwnerId(o);
            setTeamId(team);
          }}
          ownerError={fieldError("ownerId")}
          teamError={fieldError("teamId")}
        />
        <ModelPicker models={models} selected={selected} onChange={setSelected} error={fieldError("models")} />
        <FieldShell label={t("cidrs")} hint={t("cidrsHint")} error={fieldError("cidrs")}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              name="cidrs"
              rows={3}
              defaultValue={values.cidrs.join("\n")}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
            />
          )}
        </FieldShell>
        <TextField label={t("notAfter")} name="notAfter" type="date" defaultValue={values.notAfter ?? ""} hint={t("notAfterHint")} error={fieldError("notAfter")} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)} disabled={pending}>
            {tc("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("save")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
