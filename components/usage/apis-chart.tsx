"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageFilters } from "@/lib/usage/filters";
import { useDrillDown } from "./use-drill-down";
import { BAR_MARGIN, CATEGORY_TICK, ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, seriesColor, TICK } from "./chart-kit";

/**
 * Which door the calls came through (issue 19): bedrock-runtime's own operations (Converse,
 * InvokeModel) and its OpenAI-compatible routes, and the bedrock-mantle endpoint (OpenAI Chat
 * Completions and Responses, Anthropic Messages). A bar opens the calls of that API.
 */
export function ApisChart({ apis, filters }: { apis: { api: string; endpoint: string; calls: number; errors: number }[]; filters: UsageFilters }) {
  const t = useTranslations("usage");
  const drill = useDrillDown(filters);
  const data = apis.map((a) => ({ ...a, label: `${t(`apis.${a.api}` as "apis.other")} · ${t(`endpoints.${a.endpoint}` as "endpoints.runtime")}`, ok: a.calls - a.errors }));
  const open = (bar: { payload?: { api?: string } }) => {
    if (bar.payload?.api) drill.to({ api: bar.payload.api });
  };
  return (
    <ChartCard
      title={t("charts.apis.title")}
      description={t("charts.apis.description")}
      table={
        <DataTable
          caption={t("charts.apis.title")}
          head={[t("charts.apis.api"), t("charts.apis.endpoint"), t("charts.apis.calls"), t("charts.apis.errors")]}
          rows={data.map((d) => [t(`apis.${d.api}` as "apis.other"), t(`endpoints.${d.endpoint}` as "endpoints.runtime"), d.calls, d.errors])}
        />
      }
    >
      <div style={{ height: Math.max(160, data.length * 44 + 60) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" title={t("charts.apis.title")} desc={t("charts.apis.description")} margin={BAR_MARGIN}>
            <CartesianGrid {...GRID} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={TICK} />
            <YAxis type="category" dataKey="label" width={190} tick={CATEGORY_TICK} />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            <Bar dataKey="ok" stackId="a" name={t("charts.apis.succeeded")} fill={seriesColor(2)} isAnimationActive={false} cursor="pointer" onClick={open} />
            <Bar dataKey="errors" stackId="a" name={t("charts.apis.errors")} fill={seriesColor(6)} isAnimationActive={false} cursor="pointer" onClick={open} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
