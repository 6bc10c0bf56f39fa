"use client";

import { useTranslations } from "next-intl";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageFilters } from "@/lib/usage/filters";
import { useDrillDown } from "./use-drill-down";
import { ChartCard, DataTable, GRID, MARGIN, TICK, useDayLabel } from "./chart-kit";

/** Share of failed calls per day; days without calls are gaps, not zeros. */
export function ErrorRateChart({ days, filters }: { days: { day: string; calls: number; errors: number }[]; filters: UsageFilters }) {
  const drill = useDrillDown(filters);
  const t = useTranslations("usage.charts");
  const dayLabel = useDayLabel();
  const pct = (n: number) => `${n.toFixed(1)}%`;
  const data = days.map((d) => ({ day: d.day, rate: d.calls > 0 ? Math.round((d.errors / d.calls) * 1000) / 10 : null }));
  return (
    <ChartCard
      title={t("errorRate.title")}
      description={t("errorRate.description")}
      table={
        <DataTable
          caption={t("errorRate.title")}
          head={[t("day"), t("calls"), t("errors"), t("errorRate.rate")]}
          rows={days.filter((d) => d.calls > 0).map((d) => [dayLabel(d.day), d.calls, d.errors, pct((d.errors / d.calls) * 100)])}
        />
      }
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={data}
            title={t("errorRate.title")}
            desc={t("errorRate.description")}
            margin={MARGIN}
            className="cursor-pointer"
            // A click anywhere on a day opens that day's failed calls.
            onClick={(state: { activeLabel?: string | number } | null) => {
              if (state?.activeLabel) drill.to({ range: "custom", from: String(state.activeLabel), to: String(state.activeLabel), result: "error" });
            }}
          >
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
            <YAxis unit="%" tick={TICK} width={44} domain={[0, "auto"]} />
            <Tooltip labelFormatter={(d) => dayLabel(String(d))} formatter={(v) => (typeof v === "number" ? pct(v) : String(v))} />
            <Line type="linear" dataKey="rate" name={t("errorRate.rate")} stroke="#dc2626" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
