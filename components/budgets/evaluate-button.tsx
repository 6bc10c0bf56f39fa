"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { evaluateBudgetsNow } from "@/lib/budgets/actions";
import { Button } from "@/components/ui/button";

export function EvaluateButton() {
  const t = useTranslations("budgets.evaluate");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      title={t("hint")}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await evaluateBudgetsNow({});
          if (result.ok) toast.success(t("done", { budgets: result.data.budgets, alerts: result.data.alertsFired, actions: result.data.actionsTaken }));
          else toast.error(result.error);
          router.refresh();
        })
      }
    >
      <RefreshCw aria-hidden className="h-4 w-4" />
      {pending ? t("running") : t("button")}
    </Button>
  );
}
