"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

export interface ResultRow {
  id: string;
  label: string;
  /** What was done to it (offboarding's step), when the list mixes kinds of item. */
  step?: string;
  outcome: "done" | "failed" | "skipped";
  note: string | null;
}

const TONE = { done: "success", failed: "danger", skipped: "warning" } as const;

/**
 * The per-item result of a bulk action or an offboarding: counts first (announced), then one row
 * per item with its outcome and, for failures and skips, the reason. Failures are listed first:
 * they are what the person has to act on.
 */
export function ResultList({ rows, label }: { rows: ResultRow[]; label: string }) {
  const t = useTranslations("bulk.results");
  const order = { failed: 0, skipped: 1, done: 2 } as const;
  const sorted = [...rows].sort((a, b) => order[a.outcome] - order[b.outcome]);
  const count = (o: ResultRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  return (
    <div>
      <p role="status" className="text-sm font-medium text-slate-900">
        {t("summary", { done: count("done"), failed: count("failed"), skipped: count("skipped") })}
      </p>
      <ul aria-label={label} className="mt-3 max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
        {sorted.map((r) => (
          <li key={`${r.step ?? ""}:${r.id}`} className="flex items-start justify-between gap-3 px-3 py-2 text-sm" data-outcome={r.outcome}>
            <div className="min-w-0">
              <p className="font-medium text-slate-900 [overflow-wrap:anywhere]">
                {r.step ? <span className="font-normal text-slate-600">{`${r.step}: `}</span> : null}
                {r.label}
              </p>
              {r.note ? <p className="text-xs text-slate-700">{r.note}</p> : null}
            </div>
            <Badge tone={TONE[r.outcome]}>{t(r.outcome)}</Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}
