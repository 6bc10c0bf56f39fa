import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { loadSettingsPage } from "@/lib/policy/loaders";
import { Card, PageHeader } from "@/components/ui/card";
import { DeliveryLog } from "@/components/settings/delivery-log";
import { PolicyForm } from "@/components/settings/policy-form";
import { WebhookForm } from "@/components/settings/webhook-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("policy");
  return { title: t("title") };
}

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const data = await loadSettingsPage(await searchParams);
  const t = await getTranslations();
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader title={t("policy.title")} description={t("policy.intro")} />
      <section aria-labelledby="policy-title">
        <Card className="p-6">
          <h2 id="policy-title" className="text-base font-semibold text-slate-900">
            {t("policy.form.title")}
          </h2>
          <p className="mb-5 mt-1 text-sm text-slate-600">{t("policy.form.intro")}</p>
          <PolicyForm policy={data.policy} models={data.options.models} extraPolicies={data.options.extraPolicies} shortTermCeilingMinutes={data.options.shortTermCeilingMinutes} />
        </Card>
      </section>
      <section aria-labelledby="sso-title">
        <Card className="p-6">
          <h2 id="sso-title" className="text-base font-semibold text-slate-900">
            {t("policy.sso.title")}
          </h2>
          {data.sso ? (
            <>
              <p className="mb-4 mt-1 text-sm text-slate-600">{t("policy.sso.intro", { idp: data.sso.displayName, issuer: data.sso.issuer, claim: data.sso.groupsClaim })}</p>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t("policy.sso.mappings")}</caption>
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="py-2">
                      {t("policy.sso.group")}
                    </th>
                    <th scope="col" className="py-2">
                      {t("policy.sso.role")}
                    </th>
                    <th scope="col" className="py-2">
                      {t("policy.sso.teams")}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-200">
                  {data.sso.mappings.map((m) => (
                    <tr key={m.group}>
                      <td className="py-2 font-mono text-xs">{m.group}</td>
                      <td className="py-2">{t(`roles.${m.role}`)}</td>
                      <td className="py-2">{m.teams.map((team) => (m.leads.includes(team) ? t("policy.sso.leads", { team }) : team)).join(", ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="mt-4 text-sm text-slate-600">
                {data.sso.localSignIn === "off" ? t("policy.sso.localOff", { count: data.sso.breakGlass }) : t("policy.sso.localOn")} {t("policy.sso.howToChange")}
              </p>
            </>
          ) : (
            <p className="mt-1 text-sm text-slate-600">{t("policy.sso.off")}</p>
          )}
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
