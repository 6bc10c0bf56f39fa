"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { BulkOperationName } from "@/lib/keys/bulk";
import { matchingKeyIds } from "@/lib/keys/bulk-actions";
import type { BulkOptions } from "@/lib/keys/bulk-loaders";
import { BULK_MAX_KEYS } from "@/lib/keys/bulk-limits";
import type { KeyFilters } from "@/lib/keys/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { BulkDialog } from "./bulk-dialog";
import type { KeyFilterValues } from "./keys-url";

/**
 * The inventory's selection bar: how many keys are selected, "select all matching" (the filter's
 * keys, from the server, up to one batch), and the bulk operations the viewer's role allows.
 */
export function BulkBar({
  selected,
  onChange,
  total,
  filters,
  options,
}: {
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  /** Keys matching the current filters (all pages). */
  total: number;
  filters: KeyFilterValues & Pick<KeyFilters, "sort" | "dir">;
  options: BulkOptions;
}) {
  const t = useTranslations("bulk");
  const [run, setRun] = useState<{ op: BulkOperationName; keyIds: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (selected.size === 0 && !run) return null;
  const tooMany = selected.size > BULK_MAX_KEYS;

  const selectMatching = () =>
    startTransition(async () => {
      setError(null);
      // Paging is ignored on the server: every key the filters match, in the viewer's scope.
      const result = await matchingKeyIds(filters);
      if (!result.ok) return setError(result.error);
      onChange(new Set(result.data.ids));
    });

  const ops: BulkOperationName[] = ["disable", "enable", ...(options.canReassign ? (["team", "owner"] as const) : []), ...(options.canDelete ? (["delete"] as const) : [])];
  return (
    <div role="toolbar" aria-label={t("toolbarLabel")} className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-brand-50 px-4 py-2 text-sm">
      <span className="font-medium text-slate-900" aria-live="polite">
        {t("selected", { count: selected.size })}
      </span>
      {total > selected.size ? (
        <Button variant="ghost" size="sm" onClick={selectMatching} disabled={pending}>
          {total > BULK_MAX_KEYS ? t("selectFirstMatching", { max: BULK_MAX_KEYS, total }) : t("selectAllMatching", { total })}
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" onClick={() => onChange(new Set())}>
        {t("clear")}
      </Button>
      <span className="flex-1" />
      {ops.map((o) => (
        <Button key={o} variant={o === "delete" ? "danger" : "secondary"} size="sm" disabled={tooMany || selected.size === 0} onClick={() => setRun({ op: o, keyIds: [...selected] })}>
          {t(`actions.${o}`)}
        </Button>
      ))}
      {tooMany ? (
        <Alert label={t("toolbarLabel")} tone="warning" className="basis-full">
          {t("tooMany", { max: BULK_MAX_KEYS, count: selected.size })}
        </Alert>
      ) : null}
      {error ? (
        <Alert label={t("toolbarLabel")} className="basis-full">
          {error}
        </Alert>
      ) : null}
      {run ? <BulkDialog op={run.op} keyIds={run.keyIds} options={options} onClose={() => setRun(null)} onDone={() => onChange(new Set())} /> : null}
    </div>
  );
}
