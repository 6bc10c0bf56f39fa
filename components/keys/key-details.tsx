import type { ReactNode } from "react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Time } from "@/components/ui/time";
import type { KeyDetail } from "@/lib/keys/detail";
import { Card } from "@/components/ui/card";
import { ExpiresText, ManagedBadge, RelativeTime } from "./key-badges";

/** The key's record: who it is for, what IAM knows it as, when it was made and when it ends. */
export async function KeyDetails({ keyItem: key, now }: { keyItem: KeyDetail["key"]; now: Date }) {
  const t = await getTranslations("keys.detail.fields");
  const absolute = (iso: string | null) => (iso ? <Time value={iso} /> : null);
  const rows: [string, ReactNode][] = [
    [
      t("owner"),
      key.owner ? (
        <>
          {key.owner.name} <span className="text-slate-600">({key.owner.email})</span>
        </>
      ) : (
        <span className="text-slate-600">{t("noOwner")}</span>
      ),
    ],
    [t("team"), key.team?.name ?? <span className="text-slate-600">—</span>],
    [t("purpose"), key.purpose || <span className="text-slate-600">—</span>],
    [
      t("iamUser"),
      <>
        <span className="break-all font-mono text-xs">{key.iamUserName}</span>
        <span className="block text-xs text-slate-600">{key.consoleUser ? t("consoleUser") : t("foreignUser")}</span>
      </>,
    ],
    [t("credentialId"), <span key="c" className="break-all font-mono text-xs">{key.credentialId ?? "—"}</span>],
    [t("managed"), <ManagedBadge key="m" managed={key.managed} />],
    [
      t("created"),
      key.createdAt ? (
        <>
          {absolute(key.createdAt)} <span className="text-slate-600">(<RelativeTime value={key.createdAt} now={now} />)</span>
        </>
      ) : (
        "—"
      ),
    ],
    [
      t("expires"),
      <>
        <ExpiresText expiresAt={key.expiresAt} now={now} />
        {key.expiresAt ? <span className="block text-xs text-slate-600">{absolute(key.expiresAt)}</span> : <span className="block text-xs text-slate-600">{t("neverHint")}</span>}
      </>,
    ],
  ];
  // Issue 6: a key picked up from a request links back to it.
  if (key.request) {
    const tr = await getTranslations("requests.detail");
    rows.push([
      tr("title"),
      <Link key="r" href={`/requests/${key.request.id}`} className="font-medium text-brand-700 hover:underline">
        {key.request.label}
      </Link>,
    ]);
  }
  // Shown only once the usage sync has recorded a use: "never" would be a guess until then.
  if (key.lastUsedAt) rows.push([t("lastUsed"), <RelativeTime key="l" value={key.lastUsedAt} now={now} />]);

  return (
    <Card className="p-5">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      <dl className="mt-3 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
