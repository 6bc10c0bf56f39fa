"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { addAccountAction } from "@/lib/accounts/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** Register a member account: id, name, the role to assume and its ExternalId, the regions used. */
export function AddAccountDialog() {
  const t = useTranslations("accounts");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("add.title")}
      description={t("add.description")}
      size="lg"
      trigger={
        <Button>
          <Plus aria-hidden className="h-4 w-4" />
          {t("add.open")}
        </Button>
      }
    >
      <AddAccountForm onDone={() => setOpen(false)} />
    </Dialog>
  );
}

function AddAccountForm({ onDone }: { onDone: () => void }) {
  const t = useTranslations("accounts");
  const tc = useTranslations("common");
  const { onSubmit, pending, error, fieldError } = useFormAction(addAccountAction, (added) => {
    toast.success(t("add.done", { account: added.accountId }));
    onDone();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("add.errorLabel")}>{error}</Alert> : null}
      <TextField label={t("form.id")} name="id" inputMode="numeric" autoComplete="off" required maxLength={12} placeholder="111122223333" error={fieldError("id")} />
      <TextField label={t("form.name")} name="name" autoComplete="off" required maxLength={64} placeholder={t("form.namePlaceholder")} error={fieldError("name")} />
      <TextField
        label={t("form.roleArn")}
        name="roleArn"
        autoComplete="off"
        required
        placeholder="arn:aws:iam::111122223333:role/BedrockKeyConsoleMember"
        hint={t("form.roleArnHint")}
        error={fieldError("roleArn")}
      />
      <TextField label={t("form.externalId")} name="externalId" autoComplete="off" required maxLength={1224} hint={t("form.externalIdHint")} error={fieldError("externalId")} />
      <TextField label={t("form.regions")} name="regions" autoComplete="off" placeholder="us-east-1, us-west-2" hint={t("form.regionsHint")} error={fieldError("regions")} />
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("add.checking") : t("add.submit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
