import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { accountsDeps } from "@/lib/accounts/deps";
import { listAccounts } from "@/lib/accounts/service";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { AccountsTable } from "@/components/accounts/accounts-table";
import { AddAccountDialog } from "@/components/accounts/add-account-dialog";
import { DiscoverDialog } from "@/components/accounts/discover-dialog";
import { Card, PageHeader } from "@/components/ui/card";
import { ModelsLoggingSection } from "@/components/models/models-logging-section";
import { loggingStatuses } from "@/lib/invocation-logging/service";
import { catalogueReads } from "@/lib/models/service";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("accounts");
  return { title: t("title") };
}

export default async function AccountsPage() {
  const user = await requireUser();
  // The page checks for itself: the nav hiding the link is not security.
  if (!can(user.role, "accounts.manage")) notFound();
  const t = await getTranslations("accounts");
  const deps = accountsDeps();
  const [accounts, teams, logging, reads] = await Promise.all([
    listAccounts(deps),
    deps.db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    loggingStatuses(deps.db),
    catalogueReads(deps.db),
  ]);
  // Invocation logging and the models read from AWS (issue 15), per account × region.
  const regionRows = accounts.flatMap((a) =>
    a.regions.map((region) => ({
      accountId: a.id,
      accountName: a.name,
      region,
      logging: logging.find((l) => l.accountId === a.id && l.region === region) ?? null,
      models: reads.find((m) => m.accountId === a.id && m.region === region) ?? null,
    })),
  );
  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <PageHeader title={t("title")} description={t("intro")} actions={
          <div className="flex flex-wrap gap-2">
            <DiscoverDialog />
            <AddAccountDialog />
          </div>
        } />
      <section aria-labelledby="accounts-heading">
        <Card>
          <h2 id="accounts-heading" className="px-4 pt-4 text-base font-semibold text-slate-900">
            {t("sectionTitle")}
          </h2>
          <AccountsTable accounts={accounts} teams={teams} now={new Date()} />
        </Card>
      </section>
      <section aria-labelledby="logging-heading">
        <Card>
          <ModelsLoggingSection rows={regionRows} now={new Date()} />
        </Card>
      </section>
    </div>
  );
}
