import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { getTimeFormat } from "@/lib/time/server";
import { AlertTriangle, Clock, Globe } from "lucide-react";
import type { SessionUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { modelLabel } from "@/lib/keys/catalogue";
import { NEW_IP_DAYS, REFUSED_DAYS, UNUSED_DAYS } from "@/lib/usage/anomalies";
import { keyUsage } from "@/lib/usage/key-usage";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { KeyUsageChart } from "./key-usage-chart";

/**
 * The key page's usage section: calls per day (30 days), anomaly badges, top models and source
 * IPs. Self-contained: it checks the viewer's permission and the key's scope on its own, and
 * renders nothing for a key the viewer may not see.
 */
export async function KeyUsageCard({ keyId, viewer }: { keyId: string; viewer: Pick<SessionUser, "id" | "role" | "ledTeamIds"> }) {
  if (!can(viewer.role, "usage.read")) return null;
  const now = new Date();
  const usage = await keyUsage(db(), viewer, keyId, now);
  if (!usage) return null;
  const t = await getTranslations("usage.keyCard");
  const tu = await getTranslations("usage");
  const format = await getFormatter();
  const f = await getTimeFormat();
  const { anomalies } = usage;
  return (
    <Card className="p-5">
      <section aria-labelledby="key-usage-title">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="key-usage-title" className="text-base font-semibold text-slate-900">
              {t("title")}
            </h2>
            <p className="text-sm text-slate-600">
              {t("summary", { calls: usage.totals.calls, errors: usage.totals.errors })}
              {usage.key.lastUsedAt ? ` · ${t("lastUsed", { when: f.relative(usage.key.lastUsedAt, now) })}` : ""}
            </p>
          </div>
          <Link href={`/usage?who=${encodeURIComponent(usage.subject)}`} className="text-sm font-medium text-brand-700 hover:underline">
            {t("viewAll")}
          </Link>
        </div>
        <ul className="mt-3 flex flex-wrap gap-2" aria-label={t("anomaliesLabel")}>
          {anomalies.newSourceIps > 0 ? (
            <li>
              <Badge tone="warning">
                <Globe aria-hidden className="mr-1 h-3.5 w-3.5" />
                {t("newIps", { count: anomalies.newSourceIps, days: NEW_IP_DAYS })}
              </Badge>
            </li>
          ) : null}
          {anomalies.refusedCalls > 0 ? (
            <li>
              <Badge tone="danger">
                <AlertTriangle aria-hidden className="mr-1 h-3.5 w-3.5" />
                {t("refused", { count: anomalies.refusedCalls, days: REFUSED_DAYS })}
              </Badge>
            </li>
          ) : null}
          {anomalies.unused ? (
            <li>
              <Badge tone="info">
                <Clock aria-hidden className="mr-1 h-3.5 w-3.5" />
                {t("unused", { days: UNUSED_DAYS })}
              </Badge>
            </li>
          ) : null}
          {anomalies.newSourceIps === 0 && anomalies.refusedCalls === 0 && !anomalies.unused ? (
            <li className="text-sm text-slate-600">{anomalies.synced ? t("noAnomalies") : t("notSynced")}</li>
          ) : null}
        </ul>
        <div className="mt-4 grid gap-6 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <KeyUsageChart days={usage.days} />
          </div>
          <div className="space-y-4 text-sm">
            <div>
              <h3 className="font-semibold text-slate-900">{t("models")}</h3>
              {usage.models.length === 0 ? (
                <p className="text-slate-600">{t("none")}</p>
              ) : (
                <ul className="mt-1 space-y-0.5">
                  {usage.models.map((m) => (
                    <li key={m.modelId} className="flex justify-between gap-2">
                      <span title={m.modelId}>{m.modelId ? modelLabel(m.modelId) : "—"}</span>
                      <span className="tabular-nums text-slate-600">{format.number(m.calls)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="font-semibold text-slate-900">{t("apis")}</h3>
              {usage.apis.length === 0 ? (
                <p className="text-slate-600">{t("none")}</p>
              ) : (
                <ul aria-label={t("apis")} className="mt-1 space-y-0.5">
                  {usage.apis.map((a) => (
                    <li key={`${a.endpoint}-${a.api}`} className="flex justify-between gap-2">
                      <span>
                        {tu(`apis.${a.api}` as "apis.other")} <span className="text-slate-500">· {tu(`endpoints.${a.endpoint}` as "endpoints.runtime")}</span>
                      </span>
                      <span className="tabular-nums text-slate-600">{format.number(a.calls)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="font-semibold text-slate-900">{t("sourceIps")}</h3>
              {usage.sourceIps.length === 0 ? (
                <p className="text-slate-600">{t("none")}</p>
              ) : (
                <ul className="mt-1 space-y-0.5">
                  {usage.sourceIps.map((ip) => (
                    <li key={ip.sourceIp} className="flex items-center justify-between gap-2">
                      <span className="font-mono text-xs">
                        {ip.sourceIp} {ip.isNew ? <Badge tone="warning">{t("new")}</Badge> : null}
                      </span>
                      <span className="text-xs text-slate-600">{t("ipSeen", { calls: ip.calls, when: f.relative(ip.lastSeenAt, now) })}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      </section>
    </Card>
  );
}
