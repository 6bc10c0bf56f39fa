import type { Metadata } from "next";
import Link from "next/link";
import { randomUUID } from "node:crypto";
import { ArrowLeft } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { loadIssueForm } from "@/lib/keys/loaders";
import { IssueKeyPanel } from "@/components/keys/issue/issue-key-panel";
import { PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("keys.new");
  return { title: t("title") };
}

export default async function NewKeyPage() {
  const options = await loadIssueForm();
  const t = await getTranslations("keys.new");
  const now = new Date();
  return (
    <div className="mx-auto max-w-6xl">
      <Link href="/keys" className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="h-4 w-4" />
        {t("back")}
      </Link>
      <PageHeader title={t("title")} description={t("intro", { region: options.region })} />
      {/* One idempotency token per rendered form: a double submit creates one key. */}
      <IssueKeyPanel options={options} initialToken={randomUUID()} now={now} today={now.toISOString().slice(0, 10)} />
    </div>
  );
}
