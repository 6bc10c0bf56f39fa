"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { Ban, CircleAlert, CircleCheck } from "lucide-react";
import { toast } from "sonner";
import { disableKey } from "@/lib/keys/actions";
import type { InspectedLongTermKey, InspectResult } from "@/lib/inspect/service";
import { SHORT_TERM_SOON_MS } from "@/lib/keys/expiring";
import { ExpiresText, KeyStatusBadge, ManagedBadge, RelativeTime, RemovedBadge } from "@/components/keys/key-badges";
import { RevokeShortTermButton } from "@/components/shortterm/revoke-short-term-button";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[11rem_minmax(0,1fr)]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-slate-600">{label}</dt>
          <dd className="break-all text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The inspector's answer for each kind of input, with one-click containment where the viewer may. */
export function InspectResultCard({ result, now }: { result: InspectResult; now: Date }) {
  const t = useTranslations("inspect");
  const te = useTranslations("errors.inspect");
  if (result.kind === "invalid") {
    return (
      <Alert label={t("invalidLabel")}>
        <p className="font-medium">{t("invalidTitle")}</p>
        <p className="mt-1">{te(result.reason)}</p>
      </Alert>
    );
  }
  return result.kind === "long-term" ? <LongTermResult result={result} now={now} /> : <ShortTermResult result={result} now={now} />;
}

function LongTermResult({ result, now }: { result: Extract<InspectResult, { kind: "long-term" }>; now: Date }) {
  const t = useTranslations("inspect.longTerm");
  return (
    <Card className="p-5">
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
        {result.sameAccount ? <Badge tone="info">{result.accountName ?? t("thisAccount")}</Badge> : <Badge tone="danger">{t("otherAccount")}</Badge>}
      </div>
      <Facts
        rows={[
          [t("iamUser"), <span key="u" className="font-mono">{result.userName}</span>],
          [t("account"), <span key="a" className="font-mono">{result.accountId}</span>],
        ]}
      />
      {!result.sameAccount ? (
        <Alert label={t("otherAccountLabel")} tone="warning" className="mt-4">
          {t("otherAccountHint", { account: result.accountId, user: result.userName })}
        </Alert>
      ) : result.matches.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600">
          {t("noMatch")}{" "}
          <Link href="/keys" className="font-medium text-brand-700 hover:underline">
            {t("openInventory")}
          </Link>
        </p>
      ) : (
        <div className="mt-5">
          <h3 className="text-sm font-semibold text-slate-900">{t("matches", { count: result.matches.length })}</h3>
          <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
            {result.matches.map((m) => (
              <MatchRow key={m.keyId} match={m} now={now} />
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

function MatchRow({ match, now }: { match: InspectedLongTermKey; now: Date }) {
  const t = useTranslations("inspect.longTerm");
  const ta = useTranslations("keys.actions");
  const [status, setStatus] = useState(match.status);
  const canDisable = match.canDisable && status === "Active";
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 p-3">
      <div className="min-w-0 space-y-1 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/keys/${match.keyId}`} className="font-medium text-brand-700 hover:underline">
            {match.name}
          </Link>
          <KeyStatusBadge status={status} />
          <ManagedBadge managed={match.managed} />
          <RemovedBadge state={match.state} />
        </div>
        <p className="text-slate-700">
          {match.owner ? `${match.owner.name} (${match.owner.email})` : t("noOwner")}
          {match.team ? ` · ${match.team.name}` : ""}
        </p>
        <p className="text-xs text-slate-600">
          {t("expires")} <ExpiresText expiresAt={match.expiresAt} now={now} />
          {match.lastUsedAt ? (
            <>
              {" · "}
              {t("lastUsed")} <RelativeTime value={match.lastUsedAt} now={now} />
            </>
          ) : null}
        </p>
      </div>
      {canDisable ? (
        <ConfirmDialog
          title={ta("disable.title", { name: match.name })}
          description={ta("disable.description")}
          confirmLabel={ta("disable.confirm")}
          pendingLabel={ta("disable.pending")}
          errorLabel={ta("errorLabel")}
          trigger={
            <Button variant="danger" size="sm">
              <Ban aria-hidden className="h-4 w-4" />
              {t("disable")}
            </Button>
          }
          onConfirm={async () => {
            const result = await disableKey({ keyId: match.keyId });
            if (!result.ok) return result.error;
            setStatus("Inactive");
            toast.success(ta("disable.done", { name: match.name }));
          }}
        />
      ) : status === "Inactive" && match.state === "present" ? (
        <p className="flex items-center gap-1 text-sm text-emerald-800">
          <CircleCheck aria-hidden className="h-4 w-4" />
          {t("contained")}
        </p>
      ) : null}
    </li>
  );
}

function ShortTermResult({ result, now }: { result: Extract<InspectResult, { kind: "short-term" }>; now: Date }) {
  const t = useTranslations("inspect.shortTerm");
  const f = useTimeFormat();
  const [revoked, setRevoked] = useState(result.issuance?.revoked ?? false);
  const at = (iso: string) => f.withZone(iso, "dateTimeSeconds");
  const issuance = result.issuance;
  return (
    <Card className="p-5">
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
        {result.expired ? <Badge tone="neutral">{t("expired")}</Badge> : revoked ? <Badge tone="danger">{t("revoked")}</Badge> : <Badge tone="success">{t("valid")}</Badge>}
      </div>
      <Facts
        rows={[
          [t("accessKeyId"), <span key="k" className="font-mono">{result.accessKeyId}</span>],
          [t("region"), result.region],
          ...(result.accountId ? ([[t("account"), <span key="a" className="font-mono">{result.accountId}</span>]] as [string, ReactNode][]) : []),
          [t("issued"), <span key="i">{at(result.issuedAt)} (<RelativeTime value={result.issuedAt} now={now} />)</span>],
          [t("expires"), <span key="e">{at(result.expiresAt)} (<ExpiresText expiresAt={result.expiresAt} now={now} soonWithinMs={SHORT_TERM_SOON_MS} />)</span>],
          [t("signedWith"), result.temporaryCredentials ? t("roleSession") : t("userKey")],
          ...(issuance
            ? ([
                [t("person"), `${issuance.person.name} (${issuance.person.email})`],
                [t("sourceIdentity"), <span key="s" className="font-mono">{issuance.sourceIdentity}</span>],
                [t("role"), <span key="r" className="font-mono text-xs">{issuance.roleArn}</span>],
              ] as [string, ReactNode][])
            : []),
        ]}
      />
      {issuance ? null : (
        <p className="mt-4 flex items-start gap-2 text-sm text-slate-700">
          <CircleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" />
          {t("noIssuance")}
        </p>
      )}
      {issuance && result.canRevoke ? (
        <div className="mt-5 flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
          {revoked ? (
            <p className="flex items-center gap-1 text-sm text-emerald-800">
              <CircleCheck aria-hidden className="h-4 w-4" />
              {t("contained", { name: issuance.person.name })}
            </p>
          ) : (
            <>
              <RevokeShortTermButton person={issuance.person} onRevoked={() => setRevoked(true)} />
              <p className="text-xs text-slate-600">{t("revokeHint")}</p>
            </>
          )}
        </div>
      ) : null}
    </Card>
  );
}
