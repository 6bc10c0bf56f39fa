import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SessionUser } from "@/lib/auth/session";
import { keyBudget } from "@/lib/budgets/loaders";
import { Card } from "@/components/ui/card";
import { BudgetMeter } from "./budget-meter";

/** The key page's budget: this UTC month's spend against the key's budget, or how to set one. */
export async function KeyBudgetCard({ keyId, viewer }: { keyId: string; viewer: Pick<SessionUser, "role"> }) {
  const budget = await keyBudget(viewer, keyId);
  if (!budget) return null;
  const t = await getTranslations("budgets");
  return (
    <Card className="p-5">
      <section aria-labelledby="key-budget-title" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h2 id="key-budget-title" className="text-base font-semibold text-slate-900">
            {t("keyCard.title", { period: budget.period })}
          </h2>
          <Link href="/budgets" className="text-sm font-medium text-brand-700 hover:underline">
            {t("keyCard.all")}
          </Link>
        </div>
        <BudgetMeter budget={budget} />
        <p className="text-xs text-slate-500">{t("lag")}</p>
      </section>
    </Card>
  );
}
