import type { Metadata } from "next";
import Link from "next/link";
import { Download, Plus } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { loadBulkOptions } from "@/lib/keys/bulk-loaders";
import { loadKeysPage, loadOwnerChoices, loadPendingCleanups } from "@/lib/keys/loaders";
import { usageRecorded } from "@/lib/keys/summary";
import { costAsOf } from "@/lib/cost/queries";
import { CostAsOf } from "@/components/cost/cost-as-of";
import { KeysEmpty } from "@/components/keys/keys-empty";
import { KeysFilters } from "@/components/keys/keys-filters";
import { KeysPagination } from "@/components/keys/keys-pagination";
import { KeysSelectable } from "@/components/keys/keys-selectable";
import { KeysTable } from "@/components/keys/keys-table";
import { PendingCleanups } from "@/components/keys/pending-cleanups";
import { isFiltered, keysHref, keysQuery } from "@/components/keys/keys-url";
import { RefreshButton } from "@/components/keys/refresh-button";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("keys");
  return { title: t("title") };
}

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Permission and scope are applied inside the loader (admin all, lead led teams + own, developer own).
  const data = await loadKeysPage(await searchParams);
  const t = await getTranslations("keys");
  const { user, filters, list } = data;
  const isAdmin = data.can.issue;
  const [showLastUsed, owners, cleanups, bulk, asOf] = await Promise.all([
    usageRecorded(db(), user),
    isAdmin ? loadOwnerChoices() : null,
    loadPendingCleanups(user),
    loadBulkOptions(user),
    costAsOf(db()),
  ]);
  const now = new Date();
  const filtered = isFiltered(filters);

  return (
    <div className="mx-auto max-w-[96rem]">
      <PageHeader
        title={t("title")}
        description={t(`intro.${user.role}`)}
        actions={
          <div className="flex flex-wrap items-center justify-end gap-2">
            {data.can.refresh ? <RefreshButton lastRefresh={data.lastRefresh} now={now} /> : null}
            {data.can.export ? (
              // A plain link, not client navigation: the route answers with a file download.
              <a
                href={`/keys/export${keysQuery(filters, { page: undefined, pageSize: undefined })}`}
                className="inline-flex h-10 items-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-800 hover:bg-slate-50"
              >
                <Download aria-hidden className="h-4 w-4" />
                {t("exportCsv")}
              </a>
            ) : null}
            {isAdmin ? (
              <Link href="/keys/new" className="inline-flex h-10 items-center gap-2 rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
                <Plus aria-hidden className="h-4 w-4" />
                {t("issue")}
              </Link>
            ) : null}
          </div>
        }
      />
      {data.filtersValid ? null : (
        <Alert label={t("invalidFiltersLabel")} tone="warning" className="mb-4">
          {t("invalidFilters")}
        </Alert>
      )}
      <PendingCleanups rows={cleanups} />
      <Card>
        <KeysFilters filters={filters} options={data.options} showUnused={showLastUsed} />
        {list.rows.length > 0 ? (
          <>
            {bulk ? (
              // Keyed by the filters: a new filter set starts with nothing selected; paging keeps the selection.
              <KeysSelectable
                key={keysQuery(filters, { page: undefined, pageSize: undefined, sort: undefined, dir: undefined })}
                total={list.total}
                bulk={bulk}
                rows={list.rows}
                filters={filters}
                showLastUsed={showLastUsed}
                isAdmin={isAdmin}
                owners={owners}
                now={now}
                showAccount={data.options.accounts.length > 0}
              />
            ) : (
              <KeysTable rows={list.rows} filters={filters} showLastUsed={showLastUsed} isAdmin={isAdmin} owners={owners} now={now} showAccount={data.options.accounts.length > 0} />
            )}
            <KeysPagination filters={filters} page={list.page} pages={list.pages} total={list.total} pageSize={list.pageSize} shown={list.rows.length} />
            {/* The "cost, 30 days" column's as-of (issue 15). */}
            <CostAsOf asOf={asOf} className="border-t border-slate-200 px-4 py-2" />
          </>
        ) : list.total > 0 ? (
          <div className="px-4 py-10 text-center text-sm text-slate-600">
            <p>{t("pastEnd", { pages: list.pages })}</p>
            <Link href={keysHref(filters, { page: 1 })} className="mt-2 inline-block font-medium text-brand-700 hover:underline">
              {t("firstPage")}
            </Link>
          </div>
        ) : (
          <KeysEmpty role={user.role} filtered={filtered} clearHref={keysHref({ sort: filters.sort, dir: filters.dir, pageSize: filters.pageSize })} />
        )}
      </Card>
    </div>
  );
}
