"use client";

import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { iamUserNameFor } from "@/lib/keys/naming";
import { describeRestrictions } from "@/lib/keys/restriction-policy";
import { Card } from "@/components/ui/card";
import { cidrLines } from "./cidr-field";
import { expiryDate } from "./expiry-field";

// The server picks four random characters; the preview shows where they go.
const SUFFIX_PLACEHOLDER = "xxxx";

/**
 * What submitting will create, in the words the key page will use afterwards: the IAM user,
 * owner and team, expiry, policies and the restriction sentence.
 */
export function IssueSummary({
  name,
  owner,
  teamName,
  expiry,
  customDays,
  now,
  maxDays,
  extras,
  models,
  cidrs,
  notAfter,
}: {
  name: string;
  owner: { name: string; email: string } | undefined;
  teamName: string | undefined;
  expiry: string;
  customDays: string;
  now: Date;
  maxDays: number;
  extras: string[];
  models: CatalogueEntry[];
  cidrs: string;
  notAfter: string;
}) {
  const t = useTranslations("keys.form.summary");
  const tp = useTranslations("keyPolicy");
  const f = useTimeFormat();
  const date = expiryDate(expiry, customDays, now, maxDays);
  // The earlier of the two ends the key: the credential's expiry or the policy's not-after day (end of day, UTC).
  const cutOff = notAfter ? new Date(`${notAfter}T23:59:59.999Z`) : null;
  const cutOffFirst = cutOff !== null && (expiry === "never" || (date !== null && cutOff < date));
  const ranges = cidrLines(cidrs).flatMap((l) => (l.result.ok ? [l.result.cidr] : []));
  const sentence = describeRestrictions(
    { models: models.length ? models.map((m) => ({ id: m.id, label: m.label })) : null, cidrs: ranges.length ? ranges : null, notAfter: notAfter || null, other: [] },
    (key, params) => tp(key, params),
  );
  const rows: [string, React.ReactNode][] = [
    [t("iamUser"), <span key="u" className="break-all font-mono text-xs">{iamUserNameFor(name || "key", SUFFIX_PLACEHOLDER)}</span>],
    [t("owner"), owner ? `${owner.name}${teamName ? ` · ${teamName}` : ""}` : <span className="text-slate-500">—</span>],
    [
      t("expires"),
      cutOffFirst ? (
        t("cutOffFirst", { date: f.day(notAfter) })
      ) : expiry === "never" ? (
        <span className="font-medium text-amber-800">{t("never")}</span>
      ) : date ? (
        f.plain(date, "date")
      ) : (
        <span className="text-slate-500">—</span>
      ),
    ],
    [t("policies"), <span key="p" className="break-all font-mono text-xs">{["AmazonBedrockLimitedAccess", ...extras].join(", ")}</span>],
    [t("restrictions"), sentence],
  ];

  return (
    <Card className="p-5">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      <dl className="mt-3 space-y-3 text-sm">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
            <dd className="mt-0.5 text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs text-slate-600">{t("suffixNote")}</p>
    </Card>
  );
}
