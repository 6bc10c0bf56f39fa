import { Download } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { type CostOverview, type CostRanked, OTHER_COST_SERIES } from "@/lib/cost/queries";
import type { UsageFilters } from "@/lib/usage/filters";
import { Card } from "@/components/ui/card";
import { CostAsOf } from "./cost-as-of";
import { CostByModelChart } from "./cost-by-model-chart";
import { CostRankingChart, type RankedRow } from "./cost-ranking-chart";
import { tokens, usd } from "./money";

const ranked = (rows: CostRanked[], kind: (k: CostRanked["kind"]) => string): RankedRow[] =>
  rows.map((r) => ({
    label: r.kind === "key" ? r.label : `${r.label} · ${kind(r.kind)}`,
    drill: { who: r.subject },
    costUsd: r.costUsd,
    unpricedCalls: r.unpricedCalls,
    inputTokens: r.tokens.input,
    outputTokens: r.tokens.output,
  }));

/**
 * /usage's tokens and cost (issue 15), from the invocation-log rollups, under the page's filters
 * and the viewer's scope: totals, cost per day by model, the costliest keys and people, cost per
 * team. Unpriced calls are named as such, never shown as $0; the whole section says as of when.
 */
export async function CostSection({ cost, filters, showTeams, exportHref }: { cost: CostOverview; filters: UsageFilters; showTeams: boolean; exportHref: string | null }) {
  const t = await getTranslations("costViews");
  const tk = await getTranslations("usage.charts.kinds");
  const format = await getFormatter();
  const { totals } = cost;
  const kind = (k: CostRanked["kind"]) => tk(k);
  const tiles = [
    { label: t("tiles.cost"), value: usd(format, totals.costUsd), hint: totals.unpricedCalls > 0 ? t("unpricedCalls", { count: totals.unpricedCalls }) : t("allPriced"), warn: totals.unpricedCalls > 0 },
    { label: t("tiles.input"), value: tokens(format, totals.tokens.input) },
    { label: t("tiles.output"), value: tokens(format, totals.tokens.output) },
    { label: t("tiles.cache"), value: `${tokens(format, totals.tokens.cacheRead)} / ${tokens(format, totals.tokens.cacheWrite)}`, hint: t("tiles.cacheHint") },
  ];
  return (
    <section aria-labelledby="cost-title" className="mb-6" data-testid="cost-section">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="cost-title" className="text-base font-semibold text-slate-900">
          {t("title")}
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <CostAsOf asOf={cost.asOf} />
          {exportHref ? (
            // A plain link, not client navigation: the route answers with a file download.
            <a href={exportHref} className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
              <Download aria-hidden className="h-4 w-4" />
              {t("exportCsv")}
            </a>
          ) : null}
        </div>
      </div>
      {filters.result || filters.api ? <p className="mb-3 text-xs text-slate-600">{t("filtersIgnored")}</p> : null}
      <dl className="mb-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {tiles.map((tile) => (
          <Card key={tile.label} className="p-4">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{tile.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{tile.value}</dd>
            {tile.hint ? <dd className={tile.warn ? "text-xs font-medium text-amber-800" : "text-xs text-slate-600"}>{tile.hint}</dd> : null}
          </Card>
        ))}
      </dl>
      {totals.calls === 0 ? (
        <Card className="px-4 py-6 text-center text-sm text-slate-600">{t("noRecords")}</Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <CostByModelChart days={cost.days} series={cost.series} otherKey={OTHER_COST_SERIES} filters={filters} />
          <CostRankingChart title={t("topKeys.title")} description={t("topKeys.description")} head={t("topKeys.head")} rows={ranked(cost.topKeys, kind)} filters={filters} />
          <CostRankingChart title={t("topPeople.title")} description={t("topPeople.description")} head={t("topPeople.head")} rows={ranked(cost.topPeople, kind)} filters={filters} color={2} />
          {showTeams ? (
            <CostRankingChart
              title={t("teams.title")}
              description={t("teams.description")}
              head={t("teams.head")}
              rows={cost.teams.map((x) => ({ label: x.name, drill: { team: x.id }, costUsd: x.costUsd, unpricedCalls: x.unpricedCalls, inputTokens: x.tokens.input, outputTokens: x.tokens.output }))}
              filters={filters}
              color={3}
            />
          ) : null}
        </div>
      )}
    </section>
  );
}
