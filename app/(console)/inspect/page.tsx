import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { InspectPanel } from "@/components/inspect/inspect-panel";
import { PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspect");
  return { title: t("title") };
}

export default async function InspectPage() {
  const user = await requireUser();
  if (!can(user.role, "inspect.use")) notFound();
  const t = await getTranslations("inspect");
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title={t("title")} description={t("intro")} />
      <InspectPanel now={new Date()} />
      <section aria-labelledby="inspect-privacy" className="mt-8 text-sm text-slate-600">
        <h2 id="inspect-privacy" className="font-medium text-slate-800">
          {t("privacy.title")}
        </h2>
        <p className="mt-1">{t("privacy.body")}</p>
      </section>
    </div>
  );
}
