"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { saveBudgetPolicy } from "@/lib/budgets/actions";
import type { BudgetPolicyView } from "@/lib/budgets/service";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** The ceilings for leads' budgets (admins). Empty: leads may not set budgets in that unit. */
export function BudgetPolicyForm({ policy }: { policy: BudgetPolicyView }) {
  const t = useTranslations("budgets.policy");
  const router = useRouter();
  const { onSubmit, pending, error, fieldError } = useFormAction(saveBudgetPolicy, () => {
    toast.success(t("saved"));
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("usd")} name="leadCeilingUsd" inputMode="decimal" defaultValue={policy.leadCeilingUsd ?? ""} error={fieldError("leadCeilingUsd")} hint={t("hint")} />
        <TextField label={t("tokens")} name="leadCeilingTokens" inputMode="numeric" defaultValue={policy.leadCeilingTokens ?? ""} error={fieldError("leadCeilingTokens")} hint={t("hint")} />
      </div>
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
