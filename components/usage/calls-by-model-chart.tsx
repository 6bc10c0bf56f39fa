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
  const t = useTranslations("usage.charts");
  return <ModelDayChart days={days} series={series} otherKey={otherKey} filters={filters} title={t("byModel.title")} description={t("byModel.description")} total={(d) => d.calls} />;
}

/**
 * A figure per day stacked by model (calls here; cost in components/cost): the biggest models
 * as their own series, the rest as "other". A bar opens that day (and model). `format` writes
 * the figures (axis, tooltip, table); `extra` adds a column to the table.
 */
export function ModelDayChart<D extends { day: string; [series: string]: number | string }>({
  days,
  series,
  otherKey,
  filters,
  title,
  description,
  total,
  include = (d) => total(d) > 0,
  format,
  extra,
}: {
  days: D[];
  series: string[];
  otherKey: string;
  filters: UsageFilters;
  title: string;
  description: string;
  total: (d: D) => number;
  /** Days listed in the table (default: those with a total). */
  include?: (d: D) => boolean;
  format?: (value: number) => string;
  extra?: { head: string; value: (d: D) => number | string };
}) {
  const drill = useDrillDown(filters);
  const t = useTranslations("usage.charts");
  const dayLabel = useDayLabel();
  const prefix = useSvgId();
  const name = (s: string) => (s === otherKey ? t("otherModels") : s ? modelLabel(s) : t("noModel"));
  const cell = (v: number) => (format ? format(v) : v);
  // Model ids contain dots, which chart data keys read as paths: index the series instead.
  const data = days.map((d) => ({ day: d.day, ...Object.fromEntries(series.map((s, i) => [`s${i}`, Number(d[s] ?? 0)])) }));
  return (
    <ChartCard
      title={title}
      description={description}
      table={
        <DataTable
          caption={title}
          head={[t("day"), ...series.map(name), t("total"), ...(extra ? [extra.head] : [])]}
          rows={days.filter(include).map((d) => [dayLabel(d.day), ...series.map((s) => cell(Number(d[s] ?? 0))), cell(total(d)), ...(extra ? [extra.value(d)] : [])])}
        />
      }
    >
      <PatternDefs prefix={prefix} count={series.length} />
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} title={title} desc={description} margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
            <YAxis allowDecimals={!!format} tick={TICK} width={format ? 56 : 44} {...(format ? { tickFormatter: (v: number) => format(v) } : {})} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} {...(format ? { formatter: (v: unknown) => format(Number(v)) } : {})} />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            {series.map((s, i) => (
              <Bar
                key={s}
                dataKey={`s${i}`}
                name={name(s)}
                stackId="day"
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
