"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { CostOverview } from "@/lib/cost/queries";
import type { UsageFilters } from "@/lib/usage/filters";
import { ModelDayChart } from "@/components/usage/calls-by-model-chart";
import { usd } from "./money";

/**
 * Cost per UTC day, one stacked series per model (the costliest; the rest as "other"). Unpriced
 * calls are not in the bars (they have no cost): the table counts them per day. A bar opens that
 * day (and model).
 */
export function CostByModelChart({ days, series, otherKey, filters }: { days: CostOverview["days"]; series: string[]; otherKey: string; filters: UsageFilters }) {
  const t = useTranslations("costViews.byModel");
  const format = useFormatter();
  return (
    <ModelDayChart
      days={days}
      series={series}
      otherKey={otherKey}
      filters={filters}
      title={t("title")}
      description={t("description")}
      total={(d) => d.costUsd}
      include={(d) => d.costUsd > 0 || d.unpricedCalls > 0}
      format={(v) => usd(format, v)}
      extra={{ head: t("unpriced"), value: (d) => d.unpricedCalls }}
    />
  );
}
