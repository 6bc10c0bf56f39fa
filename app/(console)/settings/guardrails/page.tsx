import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { loadGuardrailsPage } from "@/lib/guardrails/loaders";
import { Card, PageHeader } from "@/components/ui/card";
import { GuardrailOptionsForm } from "@/components/guardrails/options-form";
import { GuardrailPolicy } from "@/components/guardrails/policy";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("guardrails");
  return { title: t("title") };
}

export default async function GuardrailsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const data = await loadGuardrailsPage(await searchParams);
  const t = await getTranslations("guardrails");
  const { inputs } = data;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader title={t("title")} description={t("intro")} />
      <section aria-labelledby="guardrail-inputs">
        <Card className="p-6">
          <h2 id="guardrail-inputs" className="text-base font-semibold text-slate-900">
            {t("inputs.title")}
          </h2>
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-slate-500">{t("inputs.maxAge")}</dt>
            <dd>{inputs.maxKeyAgeDays === null ? t("inputs.noMaxAge") : t("inputs.days", { days: inputs.maxKeyAgeDays })}</dd>
            <dt className="text-slate-500">{t("inputs.models")}</dt>
            <dd>{inputs.allowedModels.length === 0 ? t("inputs.anyModel") : inputs.allowedModels.join(", ")}</dd>
            <dt className="text-slate-500">{t("inputs.regions")}</dt>
            <dd className="font-mono text-xs">{inputs.regions.join(", ")}</dd>
            <dt className="text-slate-500">{t("inputs.principals")}</dt>
            <dd className="break-all font-mono text-xs">{inputs.consolePrincipalArns.length === 0 ? t("inputs.noPrincipals") : inputs.consolePrincipalArns.join(", ")}</dd>
          </dl>
          <a href="/settings" className="mt-3 inline-block text-sm text-brand-700 underline">
            {t("inputs.policyLink")}
          </a>
        </Card>
      </section>
      <section aria-labelledby="guardrail-options">
        <Card className="p-6">
          <h2 id="guardrail-options" className="text-base font-semibold text-slate-900">
            {t("options.title")}
          </h2>
          <GuardrailOptionsForm denyLongTerm={data.options.denyLongTerm} customStatements={data.options.customStatements} />
        </Card>
      </section>
      <GuardrailPolicy policy={data.scp} options={data.options} title={t("scp.title")} intro={t("scp.intro")} />
      <GuardrailPolicy policy={data.boundary} options={data.options} title={t("boundary.title")} intro={t("boundary.intro")} />
    </div>
  );
}
