"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { modelLabel } from "@/lib/keys/catalogue";
import { ChartCard, DataTable, legendText, PatternDefs, seriesFill, useDayLabel, useSvgId } from "./chart-kit";

export interface DayRow {
  day: string;
  calls: number;
  errors: number;
  [series: string]: number | string;
}

/** Calls per day, one stacked series per model (the biggest ones; the rest as "other"). */
export function CallsByModelChart({ days, series, otherKey }: { days: DayRow[]; series: string[]; otherKey: string }) {
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
          <BarChart data={data} title={t("byModel.title")} desc={t("byModel.description")} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 11, fill: "#475569" }} minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#475569" }} width={44} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} />
            <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
            {series.map((s, i) => (
              <Bar key={s} dataKey={`s${i}`} name={name(s)} stackId="calls" fill={seriesFill(prefix, i)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
