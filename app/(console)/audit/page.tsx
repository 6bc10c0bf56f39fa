import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Download } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { auditFilterQuery, parseAuditFilters } from "@/lib/audit/filters";
import { emailsIn, peopleNames } from "@/lib/audit/names";
import { listAudit } from "@/lib/audit/queries";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { AuditFiltersForm } from "@/components/audit/audit-filters";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { AuditTable } from "@/components/audit/audit-table";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!can(user.role, "audit.read")) notFound();
  const t = await getTranslations();
  const parsed = parseAuditFilters(await searchParams);
  const filters = parsed.filters;
  // Scope (admin: all; lead: led teams + own actions) is applied inside the query.
  const { rows, total, pages } = await listAudit(db(), user, filters);
  const filtered = Boolean(filters.actor || filters.action || filters.result || filters.from || filters.to);
  const exportHref = `/audit/export${auditFilterQuery(filters)}`;

  return (
    <div className="mx-auto max-w-[96rem]">
      <PageHeader
        title={t("audit.title")}
        description={user.role === "admin" ? t("audit.introAdmin") : t("audit.introLead")}
        actions={
          can(user.role, "audit.export") ? (
            // A plain link, not client navigation: the route answers with a file download.
            <a href={exportHref} className="inline-flex h-10 items-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-800 hover:bg-slate-50">
              <Download aria-hidden className="h-4 w-4" />
              {t("common.exportCsv")}
            </a>
          ) : undefined
        }
      />
      {parsed.ok ? null : (
        <Alert label={t("audit.invalidLabel")} tone="warning" className="mb-4">
          {t("audit.invalidFilters", { fields: parsed.invalid.map((f) => fieldLabel(t, f)).join(", ") })}
        </Alert>
      )}
      <Card>
        <AuditFiltersForm filters={filters} />
        {rows.length > 0 ? (
          <>
            <AuditTable rows={rows} names={await peopleNames(db(), rows.flatMap(emailsIn))} />
            <AuditPagination filters={filters} page={filters.page} pages={pages} total={total} />
          </>
        ) : total > 0 ? (
          <div className="px-4 py-10 text-center text-sm text-slate-600">
            <p>{t("audit.pastEnd", { pages })}</p>
            <Link href={`/audit${auditFilterQuery(filters, 1)}`} className="mt-2 inline-block font-medium text-brand-700 hover:underline">
              {t("audit.firstPage")}
            </Link>
          </div>
        ) : (
          <div className="px-4 py-10 text-center text-sm text-slate-600">
            <p className="font-medium text-slate-800">{filtered ? t("audit.emptyFiltered") : t("audit.empty")}</p>
            <p className="mt-1">{filtered ? t("audit.emptyFilteredHint") : t("audit.emptyHint")}</p>
            {filtered ? (
              <Link href="/audit" className="mt-3 inline-block font-medium text-brand-700 hover:underline">
                {t("common.clearFilters")}
              </Link>
            ) : null}
          </div>
        )}
      </Card>
    </div>
  );
}

type T = Awaited<ReturnType<typeof getTranslations>>;

function fieldLabel(t: T, field: string): string {
  switch (field) {
    case "actor":
    case "action":
    case "result":
    case "from":
    case "to":
    case "page":
      return t(`audit.filters.${field}`);
    default:
      return field;
  }
}
