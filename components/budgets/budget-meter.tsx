import { getFormatter, getTranslations } from "next-intl/server";
import { formatBudgetAmount } from "@/lib/budgets/amount";
import type { BudgetState } from "@/lib/budgets/service";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";

/** "$8.20 of $10.00 (82 %)" with a bar, the thresholds fired and the action taken. */
export async function BudgetMeter({ budget }: { budget: BudgetState }) {
  const t = await getTranslations("budgets");
  const format = await getFormatter();
  const amount = (n: number) => formatBudgetAmount(n, budget.unit, format, (v) => t("tokens", v));
  const pct = Math.floor(budget.percent);
  const tone = pct >= 100 ? "danger" : pct >= 80 ? "warning" : "success";
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">{t("spentOf", { spent: amount(budget.spent), limit: amount(budget.amount), percent: pct })}</p>
      <div className="h-2 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(pct, 100)} aria-label={t("meterLabel")}>
        <div className={cn("h-full", tone === "danger" ? "bg-red-500" : tone === "warning" ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${Math.min(pct, 100)}%` }} />
      </div>
      <div className="flex flex-wrap items-center gap-1.5 text-xs">
        {budget.thresholds.map((th) => {
          const fired = budget.fired.some((f) => f.threshold === th);
          return (
            <Badge key={th} tone={fired ? (th >= 100 ? "danger" : "warning") : "neutral"}>
              {fired ? t("thresholdFired", { threshold: th }) : t("thresholdPending", { threshold: th })}
            </Badge>
          );
        })}
        {budget.enforce ? <Badge tone="info">{budget.reenable ? t("enforceReenable") : t("enforce")}</Badge> : null}
      </div>
      {budget.actions.length > 0 ? (
        <ul className="text-xs text-slate-700">
          {budget.actions.map((a) => (
            <li key={`${a.kind}:${a.targetLabel}`}>
              {t(`action.${a.kind === "key.disable" ? "keyDisable" : "shorttermRevoke"}.${a.status === "done" ? "done" : a.status === "failed" ? "failed" : "skipped"}`, { target: a.targetLabel })}
              {a.undoneAt ? ` ${t("action.undone")}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      {budget.unit === "usd" && budget.unpricedCalls > 0 ? <p className="text-xs text-amber-800">{t("unpriced", { count: budget.unpricedCalls })}</p> : null}
    </div>
  );
}
