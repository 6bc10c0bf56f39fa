import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { AuditFilters } from "@/lib/audit/queries";
import { actionMessageKey, AUDIT_ACTION_GROUPS, KNOWN_AUDIT_ACTIONS } from "@/lib/audit/sentences";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";

/**
 * A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or shared,
 * and it works before (or without) JavaScript.
 */
export async function AuditFiltersForm({ filters }: { filters: Partial<AuditFilters> }) {
  const t = await getTranslations();
  return (
    <form method="get" action="/audit" role="search" aria-label={t("audit.filters.label")} className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-6 lg:items-start">
      <div className="lg:col-span-2">
        <TextField label={t("audit.filters.actor")} name="actor" type="search" defaultValue={filters.actor} maxLength={254} placeholder={t("audit.filters.actorPlaceholder")} />
      </div>
      <SelectField label={t("audit.filters.action")} name="action" defaultValue={filters.action ?? ""}>
        <option value="">{t("common.all")}</option>
        {/* An older link may carry a prefix or a code this list does not offer: keep it selectable. */}
        {filters.action && !KNOWN_AUDIT_ACTIONS.has(filters.action) ? <option value={filters.action}>{filters.action}</option> : null}
        {AUDIT_ACTION_GROUPS.map((g) => (
          <optgroup key={g.area} label={t(`auditSentences.areas.${g.area}` as "auditSentences.areas.keys")}>
            {g.actions.map((a) => (
              <option key={a} value={a}>
                {t(`auditSentences.actionNames.${actionMessageKey(a)}` as "auditSentences.actionNames.keys_issue")}
              </option>
            ))}
          </optgroup>
        ))}
      </SelectField>
      <SelectField label={t("audit.filters.result")} name="result" defaultValue={filters.result ?? ""}>
        <option value="">{t("common.all")}</option>
        <option value="success">{t("audit.result.success")}</option>
        <option value="failure">{t("audit.result.failure")}</option>
      </SelectField>
      <TextField label={t("audit.filters.from")} name="from" type="date" defaultValue={filters.from} />
      <TextField label={t("audit.filters.to")} name="to" type="date" defaultValue={filters.to} />
      <div className="flex gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit">{t("common.apply")}</Button>
        <Link href="/audit" className="inline-flex h-10 items-center rounded-md px-4 text-sm font-medium text-slate-700 hover:bg-slate-100">
          {t("common.clearFilters")}
        </Link>
      </div>
    </form>
  );
}
