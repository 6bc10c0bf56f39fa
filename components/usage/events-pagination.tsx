import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { usageQuery, type UsageFilters } from "@/lib/usage/filters";

const linkClass = "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50";
const disabledClass = "inline-flex h-8 items-center rounded-md border border-slate-200 px-3 text-sm text-slate-500";

export async function EventsPagination({ filters, page, pages, total }: { filters: UsageFilters; page: number; pages: number; total: number }) {
  const t = await getTranslations();
  const href = (p: number) => `/usage${usageQuery(filters, { page: p, event: undefined })}`;
  return (
    <nav aria-label={t("usage.events.pagination")} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm">
      <p className="text-slate-600">{t("usage.events.total", { count: total })}</p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={href(page - 1)} rel="prev" scroll={false}>
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
          <Link className={linkClass} href={href(page + 1)} rel="next" scroll={false}>
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
