"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { updateAccountAction } from "@/lib/accounts/actions";
import type { AccountView } from "@/lib/accounts/service";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** Name, regions, ExternalId (write-only) and the teams that may have keys in the account. */
export function EditAccountDialog({ account, teams }: { account: AccountView; teams: { id: string; name: string }[] }) {
  const t = useTranslations("accounts");
  const tc = useTranslations("common");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const allowed = new Set(account.teams.map((x) => x.id));
  const { onSubmit, pending, error, fieldError } = useFormAction(updateAccountAction, () => {
    toast.success(t("edit.done", { name: account.name }));
    setOpen(false);
    router.refresh();
  });
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("edit.title", { name: account.name })}
      description={t("edit.description")}
      size="lg"
      trigger={
        <Button variant="secondary">
          {t("edit.open")}
          <span className="sr-only"> {account.name}</span>
        </Button>
      }
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error ? <Alert label={t("edit.errorLabel")}>{error}</Alert> : null}
        <input type="hidden" name="accountId" value={account.id} />
        <TextField label={t("form.name")} name="name" autoComplete="off" required maxLength={64} defaultValue={account.name} error={fieldError("name")} />
        <TextField label={t("form.regions")} name="regions" autoComplete="off" defaultValue={account.defaultRegions ? "" : account.regions.join(", ")} hint={t("form.regionsHint")} error={fieldError("regions")} />
        {account.roleArn ? (
          <>
            <TextField label={t("form.externalId")} name="externalId" autoComplete="off" maxLength={1224} placeholder={account.externalIdHint ?? ""} hint={t("edit.externalIdHint")} error={fieldError("externalId")} />
            <TextField
              label={t("form.signingRoleArn")}
              name="signingRoleArn"
              autoComplete="off"
              defaultValue={account.signingRoleArn ?? ""}
              placeholder={`arn:aws:iam::${account.id}:role/bedrock-key-console/BedrockKeyConsoleShortTerm`}
              hint={t("form.signingRoleArnHint")}
              error={fieldError("signingRoleArn")}
            />
          </>
        ) : (
          <input type="hidden" name="externalId" value="" />
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t("edit.maxKeyAgeDays")}
            name="policyMaxKeyAgeDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={36600}
            defaultValue={account.policy.maxKeyAgeDays ?? ""}
            hint={t("edit.policyHint")}
            error={fieldError("policyMaxKeyAgeDays")}
          />
          <TextField
            label={t("edit.allowedModels")}
            name="policyModels"
            autoComplete="off"
            defaultValue={account.policy.allowedModels?.join(", ") ?? ""}
            placeholder="amazon.nova-micro-v1:0, …"
            hint={t("edit.policyHint")}
            error={fieldError("policyModels")}
          />
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">{t("edit.teams")}</legend>
          <p className="mt-1 text-xs text-slate-600">{t("edit.teamsHint")}</p>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {teams.map((team) => (
              <label key={team.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="teams[]" value={team.id} defaultChecked={allowed.has(team.id)} className="h-4 w-4" />
                {team.name}
              </label>
            ))}
          </div>
          {fieldError("teams") ? <p className="mt-1 text-sm text-red-700">{fieldError("teams")}</p> : null}
        </fieldset>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
            {tc("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? tc("saving") : tc("save")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
