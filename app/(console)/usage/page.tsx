import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Download } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { loadUsageDashboard } from "@/lib/usage/dashboard";
import { parseUsageFilters, usageQuery } from "@/lib/usage/filters";
import { OTHER_SERIES } from "@/lib/usage/queries";
import { CostSection } from "@/components/cost/cost-section";
import { AnomaliesCard } from "@/components/usage/anomalies-card";
import { CallsByModelChart } from "@/components/usage/calls-by-model-chart";
import { ErrorRateChart } from "@/components/usage/error-rate-chart";
import { EventDetailDialog } from "@/components/usage/event-detail-dialog";
import { EventsPagination } from "@/components/usage/events-pagination";
import { EventsTable } from "@/components/usage/events-table";
import { RegionsChart } from "@/components/usage/regions-chart";
import { ApisChart } from "@/components/usage/apis-chart";
import { SummaryTiles } from "@/components/usage/summary-tiles";
import { SyncPanel } from "@/components/usage/sync-panel";
import { TopSubjectsChart } from "@/components/usage/top-subjects-chart";
import { UsageEmpty } from "@/components/usage/usage-empty";
import { UsageFiltersForm } from "@/components/usage/usage-filters";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("usage");
  return { title: t("title") };
}

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!can(user.role, "usage.read")) notFound();
  const t = await getTranslations("usage");
  const parsed = parseUsageFilters(await searchParams);
  const filters = parsed.filters;
  const now = new Date();
  const settings = config();
  // Scope (admin all; lead: led teams' keys and members; developer: own) is applied in every query.
  const data = await loadUsageDashboard(db(), user, filters, now, settings.BEDROCK_REGIONS);
  const { overview, events } = data;
  const canSync = can(user.role, "usage.sync");
  const filtered = Boolean(filters.team || filters.who || filters.model || filters.region || filters.identity || filters.result);

  return (
    <div className="mx-auto max-w-[96rem]">
      <PageHeader
        title={t("title")}
        description={t(`intro.${user.role}`)}
        actions={
          can(user.role, "usage.export") && data.anyUsage ? (
            // A plain link, not client navigation: the route answers with a file download.
            <a
              href={`/usage/export${usageQuery(filters, { page: undefined, event: undefined })}`}
              className="inline-flex h-10 items-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              <Download aria-hidden className="h-4 w-4" />
              {t("exportCsv")}
            </a>
          ) : undefined
        }
      />
      <SyncPanel
        initial={data.sync}
        syncedThrough={data.syncedThrough}
        canSync={canSync}
        canResync={can(user.role, "usage.resync")}
        scheduleMinutes={settings.USAGE_SYNC_MINUTES}
        regions={settings.BEDROCK_REGIONS}
        now={now.toISOString()}
        trailBucket={data.trailBucket}
      />
      {parsed.ok ? null : (
        <Alert label={t("invalidLabel")} tone="warning" className="mb-4">
          {t("invalidFilters", { fields: parsed.invalid.join(", ") })}
        </Alert>
      )}
      {!data.anyUsage ? (
        <UsageEmpty canSync={canSync} scheduleMinutes={settings.USAGE_SYNC_MINUTES} synced={data.syncedThrough !== null} />
      ) : (
        <>
          <Card className="mb-6">
            <UsageFiltersForm filters={filters} options={data.options} />
            <p className="px-4 py-2 text-xs text-slate-600">{t("rangeShown", { from: overview.range.fromDay, to: overview.range.toDay })}</p>
          </Card>
          <SummaryTiles totals={overview.totals} />
          <CostSection
            cost={data.cost}
            filters={filters}
            showTeams={user.role !== "developer"}
            exportHref={can(user.role, "usage.export") ? `/usage/export/cost${usageQuery(filters, { page: undefined, event: undefined, result: undefined, api: undefined })}` : null}
          />
          <AnomaliesCard anomalies={data.anomalies} now={now} />
          {overview.totals.calls === 0 ? (
            <Card className="mb-6 px-4 py-10 text-center text-sm text-slate-600">
              <p className="font-medium text-slate-800">{t("noMatch")}</p>
              {filtered ? (
                <Link href="/usage" className="mt-2 inline-block font-medium text-brand-700 hover:underline">
                  {t("clearFilters")}
                </Link>
              ) : null}
            </Card>
          ) : (
            <div className="mb-6 grid gap-6 lg:grid-cols-2">
              <CallsByModelChart days={overview.days} series={overview.series} otherKey={OTHER_SERIES} filters={filters} />
              <ErrorRateChart days={overview.days} filters={filters} />
              <TopSubjectsChart rows={overview.top.map((s) => ({ subject: s.subject, label: s.label, kind: s.kind, calls: s.calls, errors: s.errors }))} filters={filters} />
              <RegionsChart regions={overview.regions} inference={overview.inferenceRegions} filters={filters} />
              <ApisChart apis={overview.apis} filters={filters} />
            </div>
          )}
          <Card>
            <h2 className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">{t("events.title")}</h2>
            {events.rows.length > 0 ? (
              <>
                <EventsTable rows={events.rows} filters={filters} />
                <EventsPagination filters={filters} page={events.page} pages={events.pages} total={events.total} />
              </>
            ) : (
              <p className="px-4 py-8 text-center text-sm text-slate-600">{t("events.none")}</p>
            )}
          </Card>
        </>
      )}
      {filters.event && data.detail ? <EventDetailDialog event={data.detail} closeHref={`/usage${usageQuery(filters, { event: undefined })}`} /> : null}
      {filters.event && !data.detail ? (
        <Alert label={t("detail.notFoundLabel")} tone="warning" className="mt-4">
          {t("detail.notFound")}
        </Alert>
      ) : null}
    </div>
  );
}
