import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadSettingsPage } from "@/lib/policy/loaders";
import { Card, PageHeader } from "@/components/ui/card";
import { DeliveryLog } from "@/components/settings/delivery-log";
import { PolicyForm } from "@/components/settings/policy-form";
import { WebhookForm } from "@/components/settings/webhook-form";
import { MailForm } from "@/components/settings/mail-form";
import { SectionCard } from "@/components/ui/section-card";
import { UsageTrailForm } from "@/components/settings/usage-trail-form";
import { SsoMappings } from "@/components/settings/sso-mappings";
import { loadSsoSettings } from "@/lib/sso/loaders";
import { PricesSection } from "@/components/cost/prices-section";
import { loadPriceSettings } from "@/lib/cost/loaders";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("policy");
  return { title: t("title") };
}

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const data = await loadSettingsPage(await searchParams);
  const sso = await loadSsoSettings();
  const prices = await loadPriceSettings();
  const t = await getTranslations();
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader title={t("policy.title")} description={t("policy.intro")} />
      <Card className="flex flex-wrap items-baseline justify-between gap-2 p-4">
        <Link href="/settings/guardrails" className="text-sm font-medium text-brand-700 underline">
          {t("guardrails.settingsLink")}
        </Link>
        <p className="text-sm text-slate-600">{t("guardrails.settingsLinkHint")}</p>
      </Card>
      <section aria-labelledby="policy-title">
        <Card className="p-6">
          <h2 id="policy-title" className="text-base font-semibold text-slate-900">
            {t("policy.form.title")}
          </h2>
          <p className="mb-5 mt-1 text-sm text-slate-600">{t("policy.form.intro")}</p>
          <PolicyForm policy={data.policy} models={data.options.models} extraPolicies={data.options.extraPolicies} shortTermCeilingMinutes={data.options.shortTermCeilingMinutes} />
        </Card>
      </section>
      {data.webhook ? (
        <section aria-labelledby="webhook-title">
          <Card className="p-6">
            <h2 id="webhook-title" className="text-base font-semibold text-slate-900">
              {t("notifications.webhook.title")}
            </h2>
            <p className="mb-5 mt-1 text-sm text-slate-600">{t("notifications.webhook.intro", { attempts: data.options.webhookMaxAttempts })}</p>
            <WebhookForm settings={data.webhook} />
          </Card>
        </section>
      ) : null}
      {data.mail ? (
        <SectionCard id="mail-title" title={t("mail.title")} intro={t("mail.intro", { attempts: data.options.mailMaxAttempts })}>
          <MailForm settings={data.mail} />
        </SectionCard>
      ) : null}
      {data.usageTrail ? (
        <section aria-labelledby="usage-trail-title">
          <Card className="p-6">
            <h2 id="usage-trail-title" className="text-base font-semibold text-slate-900">
              {t("usage.trail.title")}
            </h2>
            <p className="mb-5 mt-1 text-sm text-slate-600">{t("usage.trail.intro")}</p>
            <UsageTrailForm settings={data.usageTrail} />
          </Card>
        </section>
      ) : null}
      {prices ? (
        <section aria-labelledby="prices-title" id="prices">
          <Card className="p-6">
            <h2 id="prices-title" className="text-base font-semibold text-slate-900">
              {t("cost.prices.title")}
            </h2>
            <p className="mt-1 text-sm text-slate-600">{t("cost.prices.intro", { asOf: prices.asOf })}</p>
            <p className="mt-1 text-xs text-slate-500">{t("cost.prices.regionNote")}</p>
            <p className="mb-5 mt-2 text-xs text-slate-600">
              <span className="font-medium">{t("cost.prices.notPricedTitle")}:</span> {t("cost.prices.notPriced")}
            </p>
            <PricesSection rows={prices.rows} regions={prices.regions} models={prices.models} />
          </Card>
        </section>
      ) : null}
      {sso ? (
        <section aria-labelledby="sso-title">
          <Card className="p-6">
            <h2 id="sso-title" className="text-base font-semibold text-slate-900">
              {t("ssoMappings.title")}
            </h2>
            <p className="mb-5 mt-1 text-sm text-slate-600">{t("ssoMappings.intro", { name: sso.displayName, claim: sso.groupsClaim })}</p>
            <SsoMappings readOnly={sso.readOnly} teams={sso.teams} mappings={sso.mappings} />
          </Card>
        </section>
      ) : null}
      {data.deliveries ? (
        <section aria-labelledby="deliveries" id="deliveries-section">
          <Card>
            <div className="border-b border-slate-200 p-4">
              <h2 id="deliveries" className="text-base font-semibold text-slate-900">
                {t("notifications.deliveries.title")}
              </h2>
              <p className="mt-1 text-sm text-slate-600">{t("notifications.deliveries.intro", { total: data.deliveries.total })}</p>
            </div>
            <DeliveryLog deliveries={data.deliveries} maxAttempts={data.options.webhookMaxAttempts} />
          </Card>
        </section>
      ) : null}
    </div>
  );
}
