import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getTimeFormat } from "@/lib/time/server";
import { AlertTriangle, Clock, Globe } from "lucide-react";
import { NEW_IP_DAYS, REFUSED_DAYS, UNUSED_DAYS, type Anomalies } from "@/lib/usage/anomalies";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { Who } from "./who";

/**
 * The three anomalies, each a badge with its count (icon + text, not colour alone) and the first
 * few cases. Within the viewer's scope and the team / key filter; fixed look-back windows.
 */
export async function AnomaliesCard({ anomalies, now }: { anomalies: Anomalies; now: Date }) {
  const t = await getTranslations("usage.anomalies");
  const f = await getTimeFormat();
  const when = (iso: string) => <Time value={iso} now={now} />;
  const { counts } = anomalies;
  return (
    <Card className="mb-6 p-4">
      <section aria-labelledby="usage-anomalies">
        <h2 id="usage-anomalies" className="text-sm font-semibold text-slate-900">
          {t("title")}
        </h2>
        <div className="mt-3 grid gap-4 lg:grid-cols-3">
          <div>
            <Badge tone={counts.newSourceIps > 0 ? "warning" : "neutral"}>
              <Globe aria-hidden className="mr-1 h-3.5 w-3.5" />
              {t("newIps.badge", { count: counts.newSourceIps })}
            </Badge>
            <p className="mt-1 text-xs text-slate-600">{t("newIps.hint", { days: NEW_IP_DAYS })}</p>
            <ul className="mt-2 space-y-1 text-sm">
              {anomalies.newSourceIps.slice(0, 5).map((a) => (
                <li key={`${a.who.subject}-${a.sourceIp}`}>
                  <Who who={a.who} compact /> <span className="font-mono text-xs">{a.sourceIp}</span> <span className="text-xs text-slate-500">{when(a.firstSeenAt)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <Badge tone={counts.refusedKeys > 0 ? "danger" : "neutral"}>
              <AlertTriangle aria-hidden className="mr-1 h-3.5 w-3.5" />
              {t("refused.badge", { count: counts.refusedKeys })}
            </Badge>
            <p className="mt-1 text-xs text-slate-600">{t("refused.hint", { days: REFUSED_DAYS })}</p>
            <ul className="mt-2 space-y-1 text-sm">
              {anomalies.refusedKeys.slice(0, 5).map((a) => (
                <li key={a.who.subject}>
                  <Who who={a.who} compact /> <span className="text-xs text-slate-600">{t("refused.calls", { count: a.calls })}</span>{" "}
                  <span className="text-xs text-slate-500">{when(a.lastAt)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <Badge tone={anomalies.unusedKeys && counts.unusedKeys > 0 ? "info" : "neutral"}>
              <Clock aria-hidden className="mr-1 h-3.5 w-3.5" />
              {anomalies.unusedKeys ? t("unused.badge", { count: counts.unusedKeys, days: UNUSED_DAYS }) : t("unused.notYet")}
            </Badge>
            <p className="mt-1 text-xs text-slate-600">{t("unused.hint", { days: UNUSED_DAYS })}</p>
            <ul className="mt-2 space-y-1 text-sm">
              {(anomalies.unusedKeys ?? []).slice(0, 5).map((k) => (
                <li key={k.id}>
                  <Link href={`/keys/${k.id}`} className="font-medium text-brand-700 hover:underline">
                    {k.name}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">{k.lastUsedAt ? t("unused.lastUsed", { when: f.relative(k.lastUsedAt, now) }) : t("unused.never")}</span>
                </li>
              ))}
            </ul>
            {counts.unusedKeys > 0 ? (
              <Link href={`/keys?unusedForDays=${UNUSED_DAYS}&status=Active`} className="mt-1 inline-block text-xs font-medium text-brand-700 hover:underline">
                {t("unused.all")}
              </Link>
            ) : null}
          </div>
        </div>
      </section>
    </Card>
  );
}
