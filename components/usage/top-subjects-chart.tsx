"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BAR_MARGIN, CATEGORY_TICK, ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, PatternDefs, seriesColor, TICK, useSvgId } from "./chart-kit";

export interface TopRow {
  label: string;
  kind: "key" | "person" | "other";
  calls: number;
  errors: number;
}

/** The keys and people with the most calls, successes and errors stacked (errors textured). */
export function TopSubjectsChart({ rows }: { rows: TopRow[] }) {
  const t = useTranslations("usage.charts");
  const prefix = useSvgId();
  const kind = (k: TopRow["kind"]) => t(`kinds.${k}`);
  const data = rows.map((r) => ({ name: `${r.label} · ${kind(r.kind)}`, ok: r.calls - r.errors, errors: r.errors }));
  return (
    <ChartCard
      title={t("top.title")}
      description={t("top.description")}
      table={<DataTable caption={t("top.title")} head={[t("top.who"), t("calls"), t("errors")]} rows={rows.map((r) => [`${r.label} (${kind(r.kind)})`, r.calls, r.errors])} />}
    >
      {/* Pattern 1 is the striped one: errors read as "different" without relying on red. */}
      <PatternDefs prefix={prefix} count={2} colors={[seriesColor(0), seriesColor(4)]} />
      <div style={{ height: Math.max(160, rows.length * 30 + 60) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" title={t("top.title")} desc={t("top.description")} margin={BAR_MARGIN}>
            <CartesianGrid {...GRID} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={TICK} />
            <YAxis type="category" dataKey="name" width={170} tick={CATEGORY_TICK} />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            <Bar dataKey="ok" name={t("successes")} stackId="c" fill={seriesColor(0)} isAnimationActive={false} />
            <Bar dataKey="errors" name={t("errors")} stackId="c" fill={`url(#${prefix}-1)`} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
