"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { adoptKey } from "@/lib/keys/actions";
import { KEY_NAME_MAX, KEY_NAME_PUNCTUATION } from "@/lib/keys/naming";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";
import type { ActionableKey } from "./key-action-dialogs";
import { type OwnerOption, OwnerTeamFields } from "./owner-team-fields";


/** Adopt a key made outside the console: give it an owner, one of the owner's teams, and a purpose. */
export function AdoptKeyDialog({
  keyItem: key,
  owners,
  onOpenChange,
}: {
  keyItem: ActionableKey;
  owners: OwnerOption[];
  onOpenChange: (open: boolean) => void;
}) {
  const t = useTranslations("keys.adopt");
  const tf = useTranslations("keys.form");
  const tc = useTranslations("common");
  const [ownerId, setOwnerId] = useState("");
  const [teamId, setTeamId] = useState("");
  const { onSubmit, pending, error, fieldError } = useFormAction(adoptKey, () => {
    toast.success(t("done", { name: key.name }));
    onOpenChange(false);
  });

  return (
    <Dialog open onOpenChange={onOpenChange} title={t("title", { name: key.name })} description={t("description", { user: key.iamUserName })}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error ? <Alert label={tf("errorLabel")}>{error}</Alert> : null}
        <input type="hidden" name="keyId" value={key.id} />
        <TextField
          label={tf("name")}
          name="name"
          defaultValue={key.name}
          maxLength={KEY_NAME_MAX}
          autoComplete="off"
          required
          error={fieldError("name")}
          hint={tf("nameHint", { max: KEY_NAME_MAX, punctuation: KEY_NAME_PUNCTUATION })}
        />
        <OwnerTeamFields owners={owners} ownerId={ownerId} teamId={teamId} onChange={(o, team) => {
            setOwnerId(o);
            setTeamId(team);
          }} ownerError={fieldError("ownerId")} teamError={fieldError("teamId")} />
        <TextField label={tf("purpose")} name="purpose" defaultValue={key.purpose} maxLength={256} autoComplete="off" error={fieldError("purpose")} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)} disabled={pending}>
            {tc("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
