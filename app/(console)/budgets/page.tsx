import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadBudgetsPage } from "@/lib/budgets/loaders";
import { BudgetForm } from "@/components/budgets/budget-form";
import { BudgetMeter } from "@/components/budgets/budget-meter";
import { BudgetPolicyForm } from "@/components/budgets/budget-policy-form";
import { DeleteBudgetButton } from "@/components/budgets/delete-budget-button";
import { EvaluateButton } from "@/components/budgets/evaluate-button";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("budgets");
  return { title: t("title") };
}

export default async function BudgetsPage() {
  const data = await loadBudgetsPage();
  const t = await getTranslations("budgets");
  const period = data.now.slice(0, 7);
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader title={t("title")} description={t("intro", { period })} actions={data.options ? <EvaluateButton /> : undefined} />
      <Alert label={t("lagLabel")} tone="info">
        {t("lag")}
      </Alert>
      <SectionCard id="budget-list-title" title={t("list.title", { period })}>
        {data.budgets.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{data.options ? t("list.emptyManage") : t("list.empty")}</p>
        ) : (
          <ul className="mt-4 divide-y divide-slate-100">
            {data.budgets.map((b) => (
              <li key={b.id} className="grid gap-3 py-4 sm:grid-cols-[minmax(0,14rem)_1fr_auto]" data-testid="budget-row">
                <div>
                  <p className="text-xs uppercase tracking-wide text-slate-500">{t(`scopes.${b.scope}`)}</p>
                  <p className="break-all text-sm font-medium text-slate-900">
                    {b.scope === "key" ? (
                      <Link href={`/keys/${b.targetId}`} className="hover:underline">
                        {b.label}
                      </Link>
                    ) : (
                      b.label
                    )}
                  </p>
                </div>
                <BudgetMeter budget={b} />
                <div>{b.canManage ? <DeleteBudgetButton budgetId={b.id} label={b.label} /> : null}</div>
              </li>
            ))}
          </ul>
        )}
      </SectionCard>
      {data.options ? (
        <SectionCard id="budget-form-title" title={t("form.title")} intro={t("form.intro")}>
          <BudgetForm options={data.options} ceiling={data.isAdmin ? null : { usd: data.policy.leadCeilingUsd, tokens: data.policy.leadCeilingTokens }} />
        </SectionCard>
      ) : null}
      {data.canSetPolicy ? (
        <SectionCard id="budget-policy-title" title={t("policy.title")} intro={t("policy.intro")}>
          <BudgetPolicyForm policy={data.policy} />
        </SectionCard>
      ) : null}
    </div>
  );
}
