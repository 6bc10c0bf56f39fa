import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Time } from "@/components/ui/time";
import { modelLabel } from "@/lib/keys/catalogue";
import type { HistoryEvent, RequestView } from "@/lib/requests/view";
import { DurationText } from "./status-badge";

/** What happened to a request, oldest first: submitted, decided (and what was narrowed), picked up, expired, cancelled. */
export async function RequestHistory({ request }: { request: RequestView }) {
  const t = await getTranslations("requests.history");
  const line = (e: HistoryEvent) => {
    switch (e.type) {
      case "submitted":
        return t("submitted", { by: e.by });
      case "approved":
        return e.auto ? t("autoApproved") : t("approved", { by: e.by ?? "—" });
      case "denied":
        return t("denied", { by: e.by ?? "—" });
      case "pickedUp":
        return e.shortTerm ? t("pickedUpShortTerm") : t("pickedUp");
      case "expired":
        return t("expired");
      case "cancelled":
        return t("cancelled");
    }
  };
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5">
      {request.history.map((e, i) => (
        <li key={`${e.type}-${i}`} className="text-sm">
          <span aria-hidden className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-600" />
          <p className="font-medium text-slate-900">{line(e)}</p>
          <Time value={e.at} className="block text-xs text-slate-500" />
          {e.type === "approved" && e.narrowed.duration ? (
            <p className="mt-1 text-slate-700">
              {t("narrowedDuration")} <DurationText kind={request.kind} value={e.narrowed.duration[0]} /> → <DurationText kind={request.kind} value={e.narrowed.duration[1]} />
            </p>
          ) : null}
          {e.type === "approved" && e.narrowed.modelsRemoved ? (
            <p className="mt-1 text-slate-700">{t("narrowedModels", { models: e.narrowed.modelsRemoved.map(modelLabel).join(", ") })}</p>
          ) : null}
          {e.type === "approved" && e.narrowed.restrictedTo ? (
            <p className="mt-1 text-slate-700">{t("restrictedTo", { models: e.narrowed.restrictedTo.map(modelLabel).join(", ") })}</p>
          ) : null}
          {(e.type === "approved" || e.type === "denied") && e.comment ? (
            <blockquote className="mt-1 whitespace-pre-line border-l-2 border-slate-300 pl-3 text-slate-700">{e.comment}</blockquote>
          ) : null}
          {e.type === "pickedUp" && e.keyId ? (
            <Link href={`/keys/${e.keyId}`} className="mt-1 inline-block font-medium text-brand-700 hover:underline">
              {t("openKey")}
            </Link>
          ) : null}
          {e.type === "pickedUp" && e.shortTerm ? (
            <Link href="/short-term-keys" className="mt-1 inline-block font-medium text-brand-700 hover:underline">
              {t("openShortTerm")}
            </Link>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
