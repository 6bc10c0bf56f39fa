import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Plus } from "lucide-react";
import { loadRequestsPage } from "@/lib/requests/loaders";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { ApprovalsTable, QueueFiltersForm } from "@/components/requests/approvals-table";
import { MyRequestsTable } from "@/components/requests/my-requests-table";
import { RequestsTabs } from "@/components/requests/requests-tabs";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("requests");
  return { title: t("title") };
}

export default async function RequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const data = await loadRequestsPage(await searchParams);
  const t = await getTranslations();
  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader
        title={t("requests.title")}
        description={data.canDecide ? t("requests.introApprover") : t("requests.intro")}
        actions={
          data.canCreate ? (
            <Link href="/requests/new" className="inline-flex h-10 items-center gap-2 rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
              <Plus aria-hidden className="h-4 w-4" />
              {t("requests.new.open")}
            </Link>
          ) : undefined
        }
      />
      <RequestsTabs tab={data.tab} pending={data.pending} canDecide={data.canDecide} />
      {data.tab === "mine" && data.mine ? (
        <Card>
          <MyRequestsTable rows={data.mine} />
        </Card>
      ) : null}
      {data.tab === "approvals" && data.queue ? (
        <Card>
          <QueueFiltersForm filters={data.filters} teams={data.teams} />
          {!data.filtersValid ? (
            <Alert label={t("requests.queue.invalidLabel")} tone="warning" className="m-4">
              {t("requests.queue.invalidFilters")}
            </Alert>
          ) : null}
          <ApprovalsTable rows={data.queue.rows} filtered={data.filters.status !== "pending" || Boolean(data.filters.teamId)} />
          {data.queue.pages > 1 ? (
            <nav aria-label={t("requests.queue.pagination")} className="flex items-center justify-between border-t border-slate-200 p-4 text-sm">
              <span>{t("common.pageOf", { page: data.queue.page, pages: data.queue.pages })}</span>
              <span className="flex gap-2">
                {data.queue.page > 1 ? (
                  <Link className="font-medium text-brand-700 hover:underline" href={`/requests?${new URLSearchParams({ tab: "approvals", status: data.filters.status, ...(data.filters.teamId ? { teamId: data.filters.teamId } : {}), page: String(data.queue.page - 1) })}`}>
                    {t("common.previous")}
                  </Link>
                ) : null}
                {data.queue.page < data.queue.pages ? (
                  <Link className="font-medium text-brand-700 hover:underline" href={`/requests?${new URLSearchParams({ tab: "approvals", status: data.filters.status, ...(data.filters.teamId ? { teamId: data.filters.teamId } : {}), page: String(data.queue.page + 1) })}`}>
                    {t("common.next")}
                  </Link>
                ) : null}
              </span>
            </nav>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
