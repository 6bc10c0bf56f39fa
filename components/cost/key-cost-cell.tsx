"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { KeyCost30 } from "@/lib/cost/queries";
import { usd } from "./money";

/** The inventory's "cost, 30 days" cell: the priced cost, and unpriced calls named (never $0 for them). */
export function KeyCost30Cell({ cost }: { cost: KeyCost30 | null }) {
  const t = useTranslations("costViews");
  const format = useFormatter();
  if (!cost || cost.calls === 0) return <span className="text-slate-500">—</span>;
  const onlyUnpriced = cost.unpricedCalls === cost.calls;
  return (
    <div className="whitespace-nowrap text-right tabular-nums" data-testid="key-cost-30d">
      {onlyUnpriced ? <span className="text-slate-700">{t("monthly.unpricedOnly")}</span> : usd(format, cost.costUsd)}
      {cost.unpricedCalls > 0 ? <div className="text-xs text-amber-800">{t("unpricedCalls", { count: cost.unpricedCalls })}</div> : null}
    </div>
  );
}
