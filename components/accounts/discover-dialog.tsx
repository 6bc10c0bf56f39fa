"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Network } from "lucide-react";
import { toast } from "sonner";
import { discoverAccountsAction } from "@/lib/accounts/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** Discover the organisation's accounts: the member role's name and ExternalId, as the StackSet deployed them. */
export function DiscoverDialog() {
  const t = useTranslations("accounts.discover");
  const tc = useTranslations("common");
  const [open, setOpen] = useState(false);
  const { onSubmit, pending, error, fieldError } = useFormAction(discoverAccountsAction, (r) => {
    toast.success(t("done", { found: r.found, added: r.added.length, failing: r.failing.length, removed: r.removed.length }));
    setOpen(false);
  });
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("title")}
      description={t("description")}
      size="lg"
      trigger={
        <Button variant="secondary">
          <Network aria-hidden className="h-4 w-4" />
          {t("open")}
        </Button>
      }
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
        <TextField label={t("roleName")} name="roleName" autoComplete="off" required defaultValue="BedrockKeyConsoleMember" hint={t("roleNameHint")} error={fieldError("roleName")} />
        <TextField label={t("externalId")} name="externalId" autoComplete="off" required maxLength={1224} hint={t("externalIdHint")} error={fieldError("externalId")} />
        <TextField label={t("regions")} name="regions" autoComplete="off" placeholder="us-east-1, us-west-2" hint={t("regionsHint")} error={fieldError("regions")} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
            {tc("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? t("working") : t("submit")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
