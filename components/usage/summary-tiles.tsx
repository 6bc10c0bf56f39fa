import { getFormatter, getTranslations } from "next-intl/server";
import type { UsageOverview } from "@/lib/usage/queries";
import { Card } from "@/components/ui/card";

/** Totals for the filtered range: calls, errors (with rate), keys and people, models. */
export async function SummaryTiles({ totals }: { totals: UsageOverview["totals"] }) {
  const t = await getTranslations("usage.summary");
  const format = await getFormatter();
  const rate = totals.calls > 0 ? totals.errors / totals.calls : 0;
  const tiles = [
    { label: t("calls"), value: format.number(totals.calls) },
    { label: t("errors"), value: format.number(totals.errors), hint: t("errorRate", { rate: format.number(rate, { style: "percent", maximumFractionDigits: 1 }) }) },
    { label: t("subjects"), value: format.number(totals.subjects) },
    { label: t("models"), value: format.number(totals.models) },
  ];
  return (
    <dl className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {tiles.map((tile) => (
        <Card key={tile.label} className="p-4">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{tile.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{tile.value}</dd>
          {tile.hint ? <dd className="text-xs text-slate-600">{tile.hint}</dd> : null}
        </Card>
      ))}
    </dl>
  );
}
