import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { emailsIn, peopleNames } from "@/lib/audit/names";
import { db } from "@/lib/db";
import { loadKeyDetail, loadOwnerChoices } from "@/lib/keys/loaders";
import { findKeyInScope, keyReadScope } from "@/lib/keys/scope";
import { KeyStatusBadge, ManagedBadge, RemovedBadge } from "@/components/keys/key-badges";
import { CleanupRetryButton } from "@/components/keys/cleanup-retry-button";
import { KeyDetailActions } from "@/components/keys/key-detail-actions";
import { KeyDetails } from "@/components/keys/key-details";
import { KeyHistory } from "@/components/keys/key-history";
import { KeyPermissions } from "@/components/keys/key-permissions";
import { KeyUsageCard } from "@/components/usage/key-usage-card";
import { KeyBudgetCard } from "@/components/budgets/key-budget-card";
import { KeyHygieneActions } from "@/components/keys/rotation/key-hygiene-actions";
import { RotationPanel } from "@/components/keys/rotation/rotation-panel";
import { loadKeyHygiene } from "@/lib/keys/hygiene-loader";
import { KeyCost } from "@/components/cost/key-cost";
import { Alert } from "@/components/ui/alert";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // The name only (scoped, from the database): the page's loader also reads IAM, once is enough.
  const user = await requireUser();
  const key = await findKeyInScope(db(), (await params).id, keyReadScope(user)).catch(() => null);
  const t = await getTranslations("keys");
  return { title: key?.name ?? t("title") };
}

export default async function KeyPage({ params }: Props) {
  // 404 for unknown ids and keys outside the viewer's scope (the loader, and the layout before it).
  const { user, key, policies, history } = await loadKeyDetail((await params).id);
  const t = await getTranslations("keys.detail");
  const tc = await getTranslations("keys.cleanup");
  const isAdmin = user.role === "admin";
  const owners = key.can.adopt ? await loadOwnerChoices() : null;
  const now = new Date();
  // Edit and rotate (issue 16): what to offer this viewer, the rotation's state.
  const hygiene = await loadKeyHygiene(user, key);

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <Link href="/keys" className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
          <ArrowLeft aria-hidden className="h-4 w-4" />
          {t("back")}
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="break-all text-2xl font-semibold tracking-tight text-slate-900">{key.name}</h1>
              <KeyStatusBadge status={key.status} />
              <ManagedBadge managed={key.managed} />
              <RemovedBadge state={key.state} />
            </div>
            <p className="mt-1 text-sm text-slate-600">{key.purpose || t("noPurpose")}</p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <KeyHygieneActions keyId={key.id} name={key.name} hygiene={hygiene} />
            <KeyDetailActions keyItem={key} isAdmin={isAdmin} owners={owners} />
          </div>
        </div>
      </div>
      {key.state === "gone" ? (
        <Alert label={t("goneLabel")} tone="warning">
          {t("gone")}
        </Alert>
      ) : key.state === "deleted" && key.cleanup ? (
        <Alert label={tc("label")} tone="warning">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p>
              <strong>{tc("label")}.</strong> {tc("keyNotice", { user: key.iamUserName, error: key.cleanup.lastError ?? tc("none"), attempts: key.cleanup.attempts })}
            </p>
            {isAdmin ? <CleanupRetryButton iamUserName={key.iamUserName} /> : null}
          </div>
        </Alert>
      ) : key.state === "deleted" ? (
        <Alert label={t("deletedLabel")} tone="info">
          {t("deleted")}
        </Alert>
      ) : !key.managed && isAdmin ? (
        <Alert label={t("unmanagedLabel")} tone="info">
          {t("unmanaged")}
        </Alert>
      ) : null}
      <RotationPanel keyId={key.id} name={key.name} iamUserName={key.iamUserName} rotation={hygiene.rotation} nowMs={now.getTime()} />
      <div className="grid gap-6 lg:grid-cols-2">
        <KeyDetails keyItem={key} now={now} />
        <KeyPermissions policies={policies} rebind={isAdmin && key.managed && key.state === "present" ? { keyId: key.id, name: key.name } : undefined} />
      </div>
      <KeyBudgetCard keyId={key.id} viewer={user} />
      <KeyHistory history={history} keyName={key.name} names={await peopleNames(db(), history.flatMap(emailsIn))} />
      <KeyCost keyId={key.id} viewer={user} />
      <KeyUsageCard keyId={key.id} viewer={user} />
    </div>
  );
}
