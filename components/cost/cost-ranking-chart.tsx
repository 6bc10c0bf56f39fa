"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageFilters } from "@/lib/usage/filters";
import { BAR_MARGIN, CATEGORY_TICK, ChartCard, DataTable, GRID, seriesColor, TICK } from "@/components/usage/chart-kit";
import { useDrillDown } from "@/components/usage/use-drill-down";
import { tokens, usd } from "./money";

export interface RankedRow {
  label: string;
  /** What a click narrows /usage to: a key or person (who) or a team. */
  drill: { who: string } | { team: string } | null;
  costUsd: number;
  unpricedCalls: number;
  inputTokens: number;
  outputTokens: number;
}

/** Keys, people or teams by cost, largest first; a bar opens that key's, person's or team's usage. */
export function CostRankingChart({ title, description, head, rows, filters, color = 0 }: { title: string; description: string; head: string; rows: RankedRow[]; filters: UsageFilters; color?: number }) {
  const drill = useDrillDown(filters);
  const t = useTranslations("costViews");
  const format = useFormatter();
  const data = rows.map((r) => ({ name: r.label, cost: r.costUsd, drill: r.drill }));
  return (
    <ChartCard
      title={title}
      description={description}
      table={
        <DataTable
          caption={title}
          head={[head, t("tiles.cost"), t("byModel.unpriced"), t("tiles.input"), t("tiles.output")]}
          rows={rows.map((r) => [r.label, usd(format, r.costUsd), r.unpricedCalls, tokens(format, r.inputTokens), tokens(format, r.outputTokens)])}
        />
      }
    >
      {rows.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-600">{t("none")}</p>
      ) : (
        <>
          <div style={{ height: Math.max(120, rows.length * 30 + 40) }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout="vertical" title={title} desc={description} margin={BAR_MARGIN}>
                <CartesianGrid {...GRID} horizontal={false} />
                <XAxis type="number" tick={TICK} tickFormatter={(v: number) => usd(format, v)} />
                <YAxis type="category" dataKey="name" width={170} tick={CATEGORY_TICK} interval={0} />
                <Tooltip formatter={(v) => usd(format, Number(v))} />
                <Bar
                  dataKey="cost"
                  name={t("tiles.cost")}
                  fill={seriesColor(color)}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(bar: { payload?: { drill?: RankedRow["drill"] } }) => {
                    if (bar.payload?.drill) drill.to(bar.payload.drill);
                  }}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          {/* The figures in words too: unpriced calls are never a $0 bar. */}
          <ul className="mt-2 space-y-0.5 text-xs text-slate-700" data-testid="cost-ranking">
            {rows.map((r) => (
              <li key={r.label} className="flex justify-between gap-3">
                <span className="truncate">{r.label}</span>
                <span className="tabular-nums">
                  {r.costUsd > 0 || r.unpricedCalls === 0 ? usd(format, r.costUsd) : null}
                  {r.unpricedCalls > 0 ? <span className="ml-1 text-amber-800">{t("unpricedCalls", { count: r.unpricedCalls })}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </ChartCard>
  );
}
