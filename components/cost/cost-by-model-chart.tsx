"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { modelLabel } from "@/lib/keys/catalogue";
import type { CostOverview } from "@/lib/cost/queries";
import type { UsageFilters } from "@/lib/usage/filters";
import { ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, MARGIN, PatternDefs, seriesFill, TICK, useDayLabel, useSvgId } from "@/components/usage/chart-kit";
import { useDrillDown } from "@/components/usage/use-drill-down";
import { usd } from "./money";

/** Cost per UTC day, one stacked series per model (the costliest; the rest as "other"). A bar opens that day (and model). */
export function CostByModelChart({ days, series, otherKey, filters }: { days: CostOverview["days"]; series: string[]; otherKey: string; filters: UsageFilters }) {
  const drill = useDrillDown(filters);
  const t = useTranslations("costViews.byModel");
  const tc = useTranslations("usage.charts");
  const format = useFormatter();
  const dayLabel = useDayLabel();
  const prefix = useSvgId();
  const money = (v: number) => usd(format, v);
  const name = (s: string) => (s === otherKey ? tc("otherModels") : s ? modelLabel(s) : tc("noModel"));
  // Model ids contain dots, which chart data keys read as paths: index the series instead.
  const data = days.map((d) => ({ day: d.day, ...Object.fromEntries(series.map((s, i) => [`s${i}`, Number(d[s] ?? 0)])) }));
  return (
    <ChartCard
      title={t("title")}
      description={t("description")}
      table={
        <DataTable
          caption={t("title")}
          head={[tc("day"), ...series.map(name), tc("total"), t("unpriced")]}
          rows={days.filter((d) => d.costUsd > 0 || d.unpricedCalls > 0).map((d) => [dayLabel(d.day), ...series.map((s) => money(Number(d[s] ?? 0))), money(d.costUsd), d.unpricedCalls])}
        />
      }
    >
      <PatternDefs prefix={prefix} count={series.length} />
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} title={t("title")} desc={t("description")} margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
            <YAxis tick={TICK} width={56} tickFormatter={(v: number) => usd(format, v)} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} formatter={(v) => money(Number(v))} />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            {series.map((s, i) => (
              <Bar
                key={s}
                dataKey={`s${i}`}
                name={name(s)}
                stackId="cost"
                fill={seriesFill(prefix, i)}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(bar: { payload?: { day?: string } }) => {
                  const day = bar.payload?.day;
                  if (day) drill.to({ range: "custom", from: day, to: day, ...(s && s !== otherKey ? { model: s } : {}) });
                }}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
