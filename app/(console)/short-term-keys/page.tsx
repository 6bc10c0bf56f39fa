import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadShortTermPage } from "@/lib/shortterm/loaders";
import { PersonCost } from "@/components/cost/person-cost";
import { GenerateShortTermForm } from "@/components/shortterm/generate-short-term-form";
import { IssuancesTable } from "@/components/shortterm/issuances-table";
import { RevokeShortTermButton } from "@/components/shortterm/revoke-short-term-button";
import { shortTermHref } from "@/components/shortterm/short-term-url";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("shortterm");
  return { title: t("title") };
}

const pageLink = "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50";

export default async function ShortTermKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The loader checks shortterm.read and scopes the list (admin all, lead led teams' members + own, developer own).
  const data = await loadShortTermPage(await searchParams);
  const t = await getTranslations("shortterm");
  const tc = await getTranslations("common");
  const { user, filters, list } = data;
  const now = new Date();
  const person = filters.userId ? list.rows.find((r) => r.user.id === filters.userId)?.user : undefined;

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <PageHeader title={t("title")} description={t("intro")} />
      {!data.enabled ? (
        <Alert label={t("disabledLabel")} tone="warning">
          <p className="font-medium">{t("disabledTitle")}</p>
          <p className="mt-1">{user.role === "admin" ? t("disabledAdmin") : t("disabledOthers")}</p>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="p-5">
          {data.enabled && data.can.generate ? (
            <GenerateShortTermForm regions={data.regions} accounts={data.accounts} defaultRegion={data.defaultRegion} maxMinutes={data.maxMinutes} email={user.email} />
          ) : data.enabled && !data.selfService ? (
            // The organisation's policy (issue 6) makes developers ask first.
            <div className="text-sm text-slate-700">
              <p className="font-medium text-slate-900">{t("generate.needsRequestTitle")}</p>
              <p className="mt-1">{t("generate.needsRequest")}</p>
              <Link href="/requests/new" className="mt-3 inline-flex h-10 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
                {t("generate.requestKey")}
              </Link>
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t("generate.unavailable")}</p>
          )}
        </Card>
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">{t("how.title")}</h2>
          <ul className="mt-3 list-disc space-y-2 pl-5 text-sm text-slate-700">
            <li>{t("how.signed")}</li>
            <li>{t("how.expiry", { hours: data.maxMinutes / 60 })}</li>
            <li>{t("how.revoke")}</li>
            <li>{t("how.recorded")}</li>
          </ul>
        </Card>
      </div>

      <section aria-labelledby="issuances-heading">
        <Card>
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 p-4">
            <div>
              <h2 id="issuances-heading" className="text-base font-semibold text-slate-900">
                {person ? t("list.titleFor", { name: person.name }) : t(`list.title.${user.role}`)}
              </h2>
              <p className="mt-1 text-sm text-slate-600">{t("list.intro")}</p>
            </div>
            <div className="flex flex-wrap items-center gap-2">
              {person && data.can.revoke ? <RevokeShortTermButton person={person} /> : null}
              <Link href={shortTermHref({ userId: filters.userId, activeOnly: !filters.activeOnly })} className={pageLink}>
                {filters.activeOnly ? t("list.showAll") : t("list.activeOnly")}
              </Link>
              {filters.userId ? (
                <Link href={shortTermHref({ activeOnly: filters.activeOnly })} className={pageLink}>
                  {t("list.everyone")}
                </Link>
              ) : null}
            </div>
          </div>
          {list.rows.length > 0 ? (
            <>
              <IssuancesTable rows={list.rows} showPerson={user.role !== "developer"} canRevoke={data.can.revoke} activeOnly={filters.activeOnly} now={now} />
              {list.pages > 1 ? (
                <nav aria-label={t("list.pagination")} className="flex items-center justify-end gap-2 border-t border-slate-200 px-4 py-3 text-sm">
                  {list.page > 1 ? (
                    <Link className={pageLink} href={shortTermHref({ ...filters, page: list.page - 1 })} rel="prev">
                      {tc("previous")}
                    </Link>
                  ) : null}
                  <span aria-current="page">{tc("pageOf", { page: list.page, pages: list.pages })}</span>
                  {list.page < list.pages ? (
                    <Link className={pageLink} href={shortTermHref({ ...filters, page: list.page + 1 })} rel="next">
                      {tc("next")}
                    </Link>
                  ) : null}
                </nav>
              ) : null}
            </>
          ) : (
            <div className="px-4 py-12 text-center text-sm text-slate-600">
              <p className="font-medium text-slate-900">{filters.userId || filters.activeOnly ? t("list.emptyFiltered") : t("list.empty")}</p>
              <p className="mt-1">{data.enabled && data.can.generate ? t("list.emptyHint") : null}</p>
            </div>
          )}
        </Card>
      </section>
      {/* Issue 15: the person's short-term keys' tokens and cost (a developer: their own). */}
      {person ? <PersonCost person={person} viewer={user} /> : user.role === "developer" ? <PersonCost person={{ id: user.id, name: user.name }} viewer={user} /> : null}
    </div>
  );
}
