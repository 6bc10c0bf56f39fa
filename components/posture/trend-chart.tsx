"use client";

import { useTranslations } from "next-intl";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { RULES, type RuleId } from "@/lib/posture/rules";
import { GRID, LEGEND_STYLE, MARGIN, seriesColor, TICK } from "@/components/usage/chart-kit";
import { Card } from "@/components/ui/card";

/** Open findings per rule per day (stacked), from the daily snapshots. */
export function TrendChart({ trend }: { trend: ({ day: string } & Record<RuleId, number>)[] }) {
  const t = useTranslations("posture");
  const present = RULES.filter((r) => trend.some((d) => d[r] > 0));
  return (
    <Card className="p-4">
      <h2 className="text-base font-semibold text-slate-900">{t("trend.title")}</h2>
      <p className="mb-3 text-sm text-slate-600">{t("trend.description")}</p>
      {trend.length === 0 ? (
        <p className="text-sm text-slate-600">{t("trend.empty")}</p>
      ) : (
        <div className="h-56" role="img" aria-label={t("trend.title")}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={trend} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="day" tick={TICK} />
              <YAxis allowDecimals={false} tick={TICK} width={40} />
              <Tooltip />
              <Legend wrapperStyle={LEGEND_STYLE} />
              {present.map((r, i) => (
                <Area key={r} type="monotone" dataKey={r} name={t(`rules.${r}.title`)} stackId="1" stroke={seriesColor(i)} fill={seriesColor(i)} fillOpacity={0.25} isAnimationActive={false} />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}
