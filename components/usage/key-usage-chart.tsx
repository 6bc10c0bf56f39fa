"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, MARGIN, PatternDefs, seriesColor, TICK, useDayLabel, useSvgId } from "./chart-kit";

/** One key's calls per day over 30 days, successes and errors stacked (errors textured). */
export function KeyUsageChart({ days }: { days: { day: string; success: number; errors: number }[] }) {
  const t = useTranslations("usage.keyCard");
  const tc = useTranslations("usage.charts");
  const dayLabel = useDayLabel();
  const prefix = useSvgId();
  return (
    <ChartCard
      className="border-0 p-0 shadow-none"
      title={t("chartTitle")}
      description={t("chartDescription")}
      table={
        <DataTable
          caption={t("chartTitle")}
          head={[tc("day"), tc("successes"), tc("errors")]}
          rows={days.filter((d) => d.success + d.errors > 0).map((d) => [dayLabel(d.day), d.success, d.errors])}
        />
      }
    >
      <PatternDefs prefix={prefix} count={2} colors={[seriesColor(0), seriesColor(4)]} />
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} title={t("chartTitle")} desc={t("chartDescription")} margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
            <YAxis allowDecimals={false} tick={TICK} width={40} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            <Bar dataKey="success" name={tc("successes")} stackId="c" fill={seriesColor(0)} isAnimationActive={false} />
            <Bar dataKey="errors" name={tc("errors")} stackId="c" fill={`url(#${prefix}-1)`} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
