"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { KEY_PAGE_SIZES } from "@/lib/keys/schemas";
import { keysHref, type KeyFilterValues } from "./keys-url";

const linkClass = "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50";
const disabledClass = "inline-flex h-8 items-center rounded-md border border-slate-200 px-3 text-sm text-slate-500";

export function KeysPagination({ filters, page, pages, total, pageSize, shown }: { filters: KeyFilterValues; page: number; pages: number; total: number; pageSize: number; shown: number }) {
  const t = useTranslations("keys.pagination");
  const tc = useTranslations("common");
  const router = useRouter();
  const [, startTransition] = useTransition();
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;

  return (
    <nav aria-label={t("label")} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm">
      <p className="text-slate-600" aria-live="polite">
        {t("range", { from, to: from + shown - 1, total })}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-slate-700">
          {t("pageSize")}
          <select
            value={pageSize}
            onChange={(e) => startTransition(() => router.push(keysHref(filters, { pageSize: e.target.value, page: 1 })))}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          >
            {KEY_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {page > 1 ? (
          <Link className={linkClass} href={keysHref(filters, { page: Math.min(page - 1, pages) })} rel="prev">
            {tc("previous")}
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            {tc("previous")}
          </span>
        )}
        <span className="text-slate-700" aria-current="page">
          {tc("pageOf", { page, pages })}
        </span>
        {page < pages ? (
          <Link className={linkClass} href={keysHref(filters, { page: page + 1 })} rel="next">
            {tc("next")}
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            {tc("next")}
          </span>
        )}
      </div>
    </nav>
  );
}
