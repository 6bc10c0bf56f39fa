import { getFormatter, getTranslations } from "next-intl/server";
import type { MonthlyCost } from "@/lib/cost/queries";
import { Card } from "@/components/ui/card";
import { CostAsOf } from "./cost-as-of";
import { tokens, usd } from "./money";

/**
 * This month's and last month's tokens and cost (UTC months, as the rollups' days) for a key or
 * a person's short-term keys. The caller has already checked scope.
 */
export async function MonthlyCostCard({ cost, title, testId }: { cost: MonthlyCost; title: string; testId?: string }) {
  const t = await getTranslations("costViews.monthly");
  const tc = await getTranslations("costViews");
  const format = await getFormatter();
  const monthName = (month: string) => format.dateTime(new Date(`${month}-01T00:00:00Z`), { month: "long", year: "numeric", timeZone: "UTC" });
  const rows = [
    { label: t("thisMonth", { month: monthName(cost.thisMonth.month) }), f: cost.thisMonth },
    { label: t("lastMonth", { month: monthName(cost.lastMonth.month) }), f: cost.lastMonth },
  ];
  return (
    <Card className="p-5" data-testid={testId}>
      <section aria-labelledby="monthly-cost-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="monthly-cost-title" className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <CostAsOf asOf={cost.asOf} />
        </div>
        <p className="mt-1 text-xs text-slate-600">{t("utc")}</p>
        {/* Focusable with a name: on a phone the table scrolls sideways, and keyboard users must reach it. */}
        <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="monthly-cost-title">
          <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  {t("month")}
                </th>
                {[tc("tiles.cost"), t("calls"), tc("tiles.input"), tc("tiles.output"), t("cacheRead"), t("cacheWrite")].map((h) => (
                  <th key={h} scope="col" className="px-2 py-1.5 text-right font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map(({ label, f }) => (
                <tr key={label}>
                  <th scope="row" className="px-2 py-1.5 font-normal text-slate-800">
                    {label}
                  </th>
                  <td className="px-2 py-1.5 text-right tabular-nums text-slate-900">
                    <span className="font-semibold">{f.calls > 0 && f.calls === f.unpricedCalls ? t("unpricedOnly") : usd(format, f.costUsd)}</span>
                    {f.unpricedCalls > 0 ? <span className="block text-xs text-amber-800">{tc("unpricedCalls", { count: f.unpricedCalls })}</span> : null}
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{format.number(f.calls)}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{tokens(format, f.tokens.input)}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{tokens(format, f.tokens.output)}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{tokens(format, f.tokens.cacheRead)}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{tokens(format, f.tokens.cacheWrite)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Card>
  );
}
