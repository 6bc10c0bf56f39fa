import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadNewRequestForm } from "@/lib/requests/loaders";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { RequestForm } from "@/components/requests/request-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("requests.new");
  return { title: t("title") };
}

export default async function NewRequestPage() {
  const data = await loadNewRequestForm();
  const t = await getTranslations("requests");
  return (
    <div className="mx-auto max-w-3xl">
      <Link href="/requests" className="text-sm font-medium text-brand-700 hover:underline">
        ← {t("backToRequests")}
      </Link>
      <div className="mt-3">
        <PageHeader title={t("new.title")} description={t("new.intro")} />
      </div>
      <Card className="p-6">
        {data.teams.length === 0 ? (
          <Alert label={t("new.noTeamsLabel")} tone="warning">
            {t("new.noTeams")}
          </Alert>
        ) : (
          <RequestForm teams={data.teams} accounts={data.accounts} limits={data.limits} models={data.models} approval={data.approval} />
        )}
      </Card>
    </div>
  );
}
