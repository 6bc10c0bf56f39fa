"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageFilters } from "@/lib/usage/filters";
import { useDrillDown } from "./use-drill-down";
import { BAR_MARGIN, CATEGORY_TICK, ChartCard, DataTable, GRID, LEGEND_STYLE, legendText, PatternDefs, seriesColor, TICK, useSvgId } from "./chart-kit";

export interface TopRow {
  /** key:… / identity:…: what the "who" filter takes. */
  subject: string;
  label: string;
  kind: "key" | "person" | "other";
  calls: number;
  errors: number;
}

const LABEL_CHARS = 26;

/** A category label on one line: cut at a word boundary with an ellipsis, the whole text on hover. */
function SubjectTick({ x, y, payload }: { x?: number; y?: number; payload?: { value?: string } }) {
  const full = String(payload?.value ?? "");
  let short = full;
  if (full.length > LABEL_CHARS) {
    const cut = full.slice(0, LABEL_CHARS - 1);
    const space = cut.lastIndexOf(" ");
    short = `${(space > LABEL_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={CATEGORY_TICK.fontSize} fill={CATEGORY_TICK.fill}>
      <title>{full}</title>
      {short}
    </text>
  );
}

/** The keys and people with the most calls, successes and errors stacked (errors textured). A bar opens that key's or person's calls. */
export function TopSubjectsChart({ rows, filters }: { rows: TopRow[]; filters: UsageFilters }) {
  const drill = useDrillDown(filters);
  const t = useTranslations("usage.charts");
  const prefix = useSvgId();
  const kind = (k: TopRow["kind"]) => t(`kinds.${k}`);
  const data = rows.map((r) => ({ name: `${r.label} · ${kind(r.kind)}`, subject: r.subject, ok: r.calls - r.errors, errors: r.errors }));
  const open = (bar: { payload?: { subject?: string } }) => {
    if (bar.payload?.subject) drill.to({ who: bar.payload.subject });
  };
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
            <YAxis type="category" dataKey="name" width={190} tick={<SubjectTick />} interval={0} />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} formatter={legendText} />
            <Bar dataKey="ok" name={t("successes")} stackId="c" fill={seriesColor(0)} isAnimationActive={false} cursor="pointer" onClick={open} />
            <Bar dataKey="errors" name={t("errors")} stackId="c" fill={`url(#${prefix}-1)`} isAnimationActive={false} cursor="pointer" onClick={open} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
