"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageFilters } from "@/lib/usage/filters";
import { useDrillDown } from "./use-drill-down";
import { BAR_MARGIN, CATEGORY_TICK, ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, PatternDefs, seriesColor, TICK, useSvgId } from "./chart-kit";

/**
 * Where calls were made (the endpoint's region) and where the model ran (inference region:
 * cross-region profiles route calls to another region of the same geography).
 */
export function RegionsChart({ regions, inference, filters }: { regions: { region: string; calls: number }[]; inference: { region: string; calls: number }[]; filters: UsageFilters }) {
  const drill = useDrillDown(filters);
  // The region filter is the endpoint's region: a bar opens the calls made there.
  const open = (bar: { payload?: { region?: string } }) => {
    if (bar.payload?.region) drill.to({ region: bar.payload.region });
  };
  const t = useTranslations("usage.charts");
  const prefix = useSvgId();
  const names = [...new Set([...regions.map((r) => r.region), ...inference.map((r) => r.region)])].sort();
  const data = names.map((region) => ({
    region,
    called: regions.find((r) => r.region === region)?.calls ?? 0,
    ran: inference.find((r) => r.region === region)?.calls ?? 0,
  }));
  return (
    <ChartCard
      title={t("regions.title")}
      description={t("regions.description")}
      table={<DataTable caption={t("regions.title")} head={[t("regions.region"), t("regions.called"), t("regions.ran")]} rows={data.map((d) => [d.region, d.called, d.ran])} />}
    >
      <PatternDefs prefix={prefix} count={2} colors={[seriesColor(5), seriesColor(3)]} />
      <div style={{ height: Math.max(160, data.length * 44 + 60) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" title={t("regions.title")} desc={t("regions.description")} margin={BAR_MARGIN}>
            <CartesianGrid {...GRID} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={TICK} />
            <YAxis type="category" dataKey="region" width={110} tick={CATEGORY_TICK} />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            <Bar dataKey="called" name={t("regions.called")} fill={seriesColor(5)} isAnimationActive={false} cursor="pointer" onClick={open} />
            <Bar dataKey="ran" name={t("regions.ran")} fill={`url(#${prefix}-1)`} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
