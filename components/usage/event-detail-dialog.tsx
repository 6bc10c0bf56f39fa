"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { modelLabel } from "@/lib/keys/catalogue";
import type { EventDetail } from "@/lib/usage/queries";
import { Dialog } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";

/**
 * The drill-down: every normalized field of one call and CloudTrail's record as read. Opened by
 * ?event=… in the URL (shareable); closing goes back to the list with the same filters.
 */
export function EventDetailDialog({ event, closeHref }: { event: EventDetail; closeHref: string }) {
  const t = useTranslations("usage.detail");
  const router = useRouter();
  const w = event.who;
  const fields: [string, React.ReactNode][] = [
    [t("time"), <Time key="t" value={event.eventTime} style="dateTimeSeconds" />],
    [t("eventId"), event.eventId],
    [t("operation"), event.eventName],
    [t("model"), event.modelId ? `${modelLabel(event.modelId)} (${event.modelId})` : "—"],
    [t("region"), event.region],
    [t("inferenceRegion"), event.inferenceRegion || "—"],
    [t("identityType"), event.identityType === "long-term" ? t("longTerm") : t("shortTerm")],
    [
      t("who"),
      w.keyId ? (
        <Link href={`/keys/${w.keyId}`} className="font-medium text-brand-700 hover:underline">
          {w.label}
        </Link>
      ) : w.kind === "person" ? (
        `${w.label} (${w.detail})`
      ) : (
        t("unattributed")
      ),
    ],
    [t("team"), w.team ?? "—"],
    [t("principalName"), event.principalName || "—"],
    [t("principalArn"), event.principalArn || "—"],
    [t("sourceIdentity"), event.sourceIdentity ?? "—"],
    [t("accessKeyId"), event.accessKeyId ?? "—"],
    [t("sourceIp"), event.sourceIp || "—"],
    [t("userAgent"), event.userAgent || "—"],
    [t("result"), event.errorCode ? t("failed") : t("succeeded")],
    [t("errorCode"), event.errorCode ?? "—"],
    [t("errorMessage"), event.errorMessage ?? "—"],
  ];
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) router.push(closeHref, { scroll: false });
      }}
      title={t("title")}
      description={t("description")}
      size="lg"
    >
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[11rem_1fr]">
        {fields.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="text-slate-900 [overflow-wrap:anywhere]">{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-5 text-sm font-semibold text-slate-900">{t("raw")}</h3>
      {event.raw ? (
        <pre tabIndex={0} aria-label={t("raw")} className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
          {event.raw}
        </pre>
      ) : (
        <p className="mt-2 text-sm text-slate-600">{t("noRaw")}</p>
      )}
    </Dialog>
  );
}
