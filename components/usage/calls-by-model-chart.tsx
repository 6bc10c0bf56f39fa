"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { modelLabel } from "@/lib/keys/catalogue";
import type { UsageFilters } from "@/lib/usage/filters";
import { useDrillDown } from "./use-drill-down";
import { ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, MARGIN, PatternDefs, seriesFill, TICK, useDayLabel, useSvgId } from "./chart-kit";

export interface DayRow {
  day: string;
  calls: number;
  errors: number;
  [series: string]: number | string;
}

/** Calls per day, one stacked series per model (the biggest ones; the rest as "other"). A bar opens that day (and model). */
export function CallsByModelChart({ days, series, otherKey, filters }: { days: DayRow[]; series: string[]; otherKey: string; filters: UsageFilters }) {
  const drill = useDrillDown(filters);
  const t = useTranslations("usage.charts");
  const dayLabel = useDayLabel();
  const prefix = useSvgId();
  const name = (s: string) => (s === otherKey ? t("otherModels") : s ? modelLabel(s) : t("noModel"));
  // Model ids contain dots, which chart data keys read as paths: index the series instead.
  const data = days.map((d) => ({ day: d.day, ...Object.fromEntries(series.map((s, i) => [`s${i}`, d[s] ?? 0])) }));
  return (
    <ChartCard
      title={t("byModel.title")}
      description={t("byModel.description")}
      table={
        <DataTable
          caption={t("byModel.title")}
          head={[t("day"), ...series.map(name), t("total")]}
          rows={days.filter((d) => d.calls > 0).map((d) => [dayLabel(d.day), ...series.map((s) => Number(d[s] ?? 0)), d.calls])}
        />
      }
    >
      <PatternDefs prefix={prefix} count={series.length} />
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} title={t("byModel.title")} desc={t("byModel.description")} margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
            <YAxis allowDecimals={false} tick={TICK} width={44} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            {series.map((s, i) => (
              <Bar
                key={s}
                dataKey={`s${i}`}
                name={name(s)}
                stackId="calls"
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
