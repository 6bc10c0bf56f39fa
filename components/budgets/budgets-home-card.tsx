import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SessionUser } from "@/lib/auth/session";
import { budgetsNearLimit } from "@/lib/budgets/loaders";
import { Card } from "@/components/ui/card";
import { BudgetMeter } from "./budget-meter";

/** Home page: budgets at 80 % or more this month, in the viewer's scope; nothing when none is. */
export async function BudgetsHomeCard({ user }: { user: Pick<SessionUser, "id" | "role" | "ledTeamIds"> }) {
  const near = await budgetsNearLimit(user);
  if (near.length === 0) return null;
  const t = await getTranslations("budgets");
  return (
    <Card className="p-5 lg:col-span-3">
      <section aria-labelledby="budgets-home-title">
        <div className="flex items-center justify-between">
          <h2 id="budgets-home-title" className="text-sm font-semibold text-slate-900">
            {t("home.title")}
          </h2>
          <Link href="/budgets" className="text-sm font-medium text-brand-700 hover:underline">
            {t("home.all")}
          </Link>
        </div>
        <ul className="mt-3 grid gap-4 md:grid-cols-2">
          {near.slice(0, 6).map((b) => (
            <li key={b.id} className="rounded-md border border-slate-200 p-3">
              <p className="mb-2 text-sm font-medium text-slate-900">
                {b.scope === "key" ? (
                  <Link href={`/keys/${b.targetId}`} className="hover:underline">
                    {t("scopeLabel.key", { label: b.label })}
                  </Link>
                ) : (
                  t(`scopeLabel.${b.scope}`, { label: b.label })
                )}
              </p>
              <BudgetMeter budget={b} />
            </li>
          ))}
        </ul>
        <p className="mt-3 text-xs text-slate-500">{t("lag")}</p>
      </section>
    </Card>
  );
}
