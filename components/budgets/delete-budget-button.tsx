"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { removeBudget } from "@/lib/budgets/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function DeleteBudgetButton({ budgetId, label }: { budgetId: string; label: string }) {
  const t = useTranslations("budgets.remove");
  const router = useRouter();
  return (
    <ConfirmDialog
      title={t("title")}
      description={t("description", { label })}
      confirmLabel={t("confirm")}
      errorLabel={t("errorLabel")}
      trigger={
        <Button variant="secondary" size="sm" aria-label={t("aria", { label })}>
          {t("button")}
        </Button>
      }
      onConfirm={async () => {
        const result = await removeBudget({ budgetId });
        if (!result.ok) return result.error;
        toast.success(t("done"));
        router.refresh();
      }}
    />
  );
}
