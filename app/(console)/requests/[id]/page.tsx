import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { findCatalogueEntry, modelLabel } from "@/lib/keys/catalogue";
import { loadRequestDetail } from "@/lib/requests/loaders";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { CancelRequestButton } from "@/components/requests/cancel-request-button";
import { DecideForm } from "@/components/requests/decide-form";
import { PickUpPanel } from "@/components/requests/pickup-panel";
import { RequestHistory } from "@/components/requests/request-history";
import { DurationText, RequestStatusBadge } from "@/components/requests/status-badge";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("requests.detail");
  return { title: t("title") };
}

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, request, regions, limits, models } = await loadRequestDetail(id);
  const t = await getTranslations("requests");
  const mine = request.requester.id === user.id;
  const approver = !mine && (user.role === "admin" || (user.role === "lead" && user.ledTeamIds.includes(request.team.id)));
  const when = (iso: string) => <Time value={iso} />;
  const modelsText = (list: string[]) => (list.length === 0 ? t("detail.anyModel") : list.map(modelLabel).join(", "));
  // An approver narrows: from what was asked, or from the policy's models when any model was asked.
  const decideModels = request.requested.models.length > 0 ? request.requested.models.flatMap((m) => findCatalogueEntry(m) ?? []) : models;
  const fact = (label: string, value: React.ReactNode, className?: string) => (
    <div className={className}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{value}</dd>
    </div>
  );

  return (
    <div className="mx-auto max-w-5xl">
      <Link href={mine ? "/requests" : "/requests?tab=approvals"} className="text-sm font-medium text-brand-700 hover:underline">
        ← {t("backToRequests")}
      </Link>
      <div className="mt-3">
        <PageHeader
          title={request.label}
          description={t("detail.subtitle", { kind: t(`kinds.${request.kind}`), team: request.team.name, requester: request.requester.name })}
          actions={<RequestStatusBadge status={request.status} />}
        />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card className="p-5">
            <h2 className="mb-3 text-base font-semibold text-slate-900">{t("detail.asked")}</h2>
            <dl className="grid gap-4 sm:grid-cols-2">
              {request.keyName ? fact(t("detail.keyName"), request.keyName) : null}
              {fact(t("detail.purpose"), request.purpose)}
              {fact(t("detail.requester"), `${request.requester.name} (${request.requester.email})`)}
              {fact(t("detail.team"), request.team.name)}
              {fact(t("detail.duration"), <DurationText kind={request.kind} value={request.requested.duration} />)}
              {request.kind === "long-term" ? fact(t("detail.models"), modelsText(request.requested.models)) : null}
              {fact(t("detail.justification"), <span className="whitespace-pre-line">{request.justification}</span>, "sm:col-span-2")}
            </dl>
          </Card>
          {request.approved ? (
            <Card className="p-5">
              <h2 className="mb-3 text-base font-semibold text-slate-900">{t("detail.granted")}</h2>
              <dl className="grid gap-4 sm:grid-cols-2">
                {fact(t("detail.duration"), <DurationText kind={request.kind} value={request.approved.duration} />)}
                {request.kind === "long-term" ? fact(t("detail.models"), modelsText(request.approved.models)) : null}
                {request.pickupBy && request.status === "approved" ? fact(t("detail.pickupBy"), when(request.pickupBy)) : null}
              </dl>
            </Card>
          ) : null}
          {/* Always mounted for the requester: the pick-up re-renders this page (the request is now
              picked up), and the one-time reveal must survive that in the panel's own state. */}
          {mine ? <PickUpPanel requestId={request.id} kind={request.kind} regions={regions} pickupBy={request.pickupBy} pickable={request.can.pickUp} /> : null}
          {/* Mounted for every approver, so "someone else decided first" stays readable after the page reloads. */}
          {approver ? (
            <DecideForm
              requestId={request.id}
              open={request.can.decide}
              kind={request.kind}
              requested={request.requested}
              models={decideModels}
              minDuration={request.kind === "long-term" ? 1 : limits.minMinutes}
            />
          ) : null}
          {mine && request.status === "pending" ? (
            <Alert label={t("detail.ownPendingLabel")} tone="info">
              {t("detail.ownPending")}
            </Alert>
          ) : null}
        </div>
        <div className="space-y-6">
          <Card className="p-5">
            <h2 className="mb-4 text-base font-semibold text-slate-900">{t("detail.history")}</h2>
            <RequestHistory request={request} />
          </Card>
          {request.can.cancel ? (
            <Card className="p-5">
              <p className="mb-3 text-sm text-slate-600">{t("cancel.hint")}</p>
              <CancelRequestButton requestId={request.id} label={request.label} />
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}
