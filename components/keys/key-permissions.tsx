import { getTranslations } from "next-intl/server";
import type { KeyPolicies } from "@/lib/keys/detail";
import { describeRestrictions, mantleUnbound } from "@/lib/keys/restriction-policy";
import { ApplyRestrictionsButton } from "./apply-restrictions-button";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

/**
 * What the key may do, read live from IAM: managed policies, the restriction sentence ("may call:
 * Claude 3.5 Haiku, from 10.0.0.0/8, until 2027-01-31") and any statement the reader does not
 * understand, as JSON, so nothing that limits or widens the key stays hidden; and every policy
 * document itself, formatted, as the AWS console shows it.
 */
export async function KeyPermissions({ policies, rebind }: { policies: KeyPolicies | null; rebind?: { keyId: string; name: string } }) {
  const t = await getTranslations("keys.detail.permissions");
  const te = await getTranslations("errors");
  const tp = await getTranslations("keyPolicy");

  return (
    <Card className="p-5">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      {policies === null ? (
        <p className="mt-2 text-sm text-slate-600">{t("removed")}</p>
      ) : !policies.ok ? (
        <Alert label={t("unreadableLabel")} tone="warning" className="mt-3">
          {te(policies.error, policies.params)}
        </Alert>
      ) : (
        <dl className="mt-3 space-y-4 text-sm">
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("restrictions")}</dt>
            <dd className="mt-1 text-slate-900">{describeRestrictions(policies.readable, (key, params) => tp(key, params))}</dd>
            {rebind && mantleUnbound(policies.readable) ? (
              <Alert label={t("rebind.label")} tone="warning" className="mt-2">
                <div className="flex flex-wrap items-center justify-between gap-3">
                  <p>{t("rebind.notice")}</p>
                  <ApplyRestrictionsButton keyId={rebind.keyId} name={rebind.name} />
                </div>
              </Alert>
            ) : null}
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("managed")}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {policies.managed.length ? policies.managed.map((p) => <Badge key={p} className="font-mono">{p}</Badge>) : <span className="text-slate-600">{t("none")}</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("inline")}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {policies.inline.length ? policies.inline.map((p) => <Badge key={p} className="font-mono">{p}</Badge>) : <span className="text-slate-600">{t("none")}</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("documents")}</dt>
            <dd className="mt-1 space-y-2">
              <p className="text-xs text-slate-600">{t("documentsHint")}</p>
              {policies.documents.map((d) => {
                const label = t(d.kind === "managed" ? "managedDocument" : "inlineDocument", { name: d.name });
                return (
                  <details key={`${d.kind}-${d.name}`} className="rounded-md border border-slate-200">
                    <summary className="cursor-pointer px-3 py-2 font-mono text-xs font-medium text-slate-800 hover:bg-slate-50">{label}</summary>
                    {d.json === null ? (
                      <p className="px-3 pb-3 text-xs text-slate-600">{t("documentUnreadable")}</p>
                    ) : (
                      <pre role="region" tabIndex={0} aria-label={label} className="max-h-96 overflow-auto rounded-b-md bg-slate-900 p-3 text-xs text-slate-100">
                        {d.json}
                      </pre>
                    )}
                  </details>
                );
              })}
            </dd>
          </div>
          {policies.readable.other.length > 0 ? (
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("other")}</dt>
              <dd className="mt-1">
                <p className="mb-1 text-xs text-slate-600">{t("otherHint")}</p>
                <pre tabIndex={0} aria-label={t("other")} className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                  {JSON.stringify(policies.readable.other, null, 2)}
                </pre>
              </dd>
            </div>
          ) : null}
        </dl>
      )}
    </Card>
  );
}
