import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { auditFilterQuery } from "@/lib/audit/filters";
import type { AuditFilters } from "@/lib/audit/queries";

const linkClass = "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50";
const disabledClass = "inline-flex h-8 items-center rounded-md border border-slate-200 px-3 text-sm text-slate-500";

export async function AuditPagination({ filters, page, pages, total }: { filters: AuditFilters; page: number; pages: number; total: number }) {
  const t = await getTranslations();
  return (
    <nav aria-label={t("audit.pagination")} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm">
      <p className="text-slate-600">{t("audit.total", { count: total })}</p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={`/audit${auditFilterQuery(filters, Math.min(page - 1, pages))}`} rel="prev">
            {t("common.previous")}
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            {t("common.previous")}
          </span>
        )}
        <span className="text-slate-700" aria-current="page">
          {t("common.pageOf", { page, pages })}
        </span>
        {page < pages ? (
          <Link className={linkClass} href={`/audit${auditFilterQuery(filters, page + 1)}`} rel="next">
            {t("common.next")}
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            {t("common.next")}
          </span>
        )}
      </div>
    </nav>
  );
}
