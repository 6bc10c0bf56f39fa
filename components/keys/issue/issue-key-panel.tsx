"use client";

import { useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { CircleCheck } from "lucide-react";
import type { KeyReveal } from "@/lib/keys/issue";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SecretReveal } from "../reveal/secret-reveal";
import { IssueKeyForm, type IssueFormOptions } from "./issue-key-form";

type Stage = { kind: "form"; token: string } | { kind: "reveal"; reveal: KeyReveal } | { kind: "done"; keyId: string; name: string };

/**
 * /keys/new from form to reveal to "what next". The reveal (with the secret) lives only in the
 * "reveal" stage; Done replaces it with the key's id and name, dropping the secret.
 */
export function IssueKeyPanel({ options, initialToken, now, today }: { options: IssueFormOptions; initialToken: string; now: Date; today: string }) {
  const t = useTranslations("keys.issued");
  const tr = useTranslations("keys.reveal");
  const f = useTimeFormat();
  const [stage, setStage] = useState<Stage>({ kind: "form", token: initialToken });

  if (stage.kind === "reveal") {
    const r = stage.reveal;
    return (
      <Card className="mx-auto max-w-3xl p-6">
        <h2 className="text-lg font-semibold text-slate-900">{t("title", { name: r.name })}</h2>
        <p className="mb-5 mt-1 text-sm text-slate-600">{t("description")}</p>
        <SecretReveal
          secret={r.secret}
          region={r.region}
          modelId={r.modelId}
          csvKeyName={r.iamUserName}
          lostHint={tr("lostLongTerm")}
          facts={[
            { label: tr("facts.name"), value: r.name },
            { label: tr("facts.iamUser"), value: <span className="font-mono text-xs">{r.iamUserName}</span> },
            { label: tr("facts.region"), value: r.region },
            { label: tr("facts.expires"), value: r.expiresAt ? f.withZone(r.expiresAt) : tr("never") },
          ]}
          onDone={() => setStage({ kind: "done", keyId: r.keyId, name: r.name })}
        />
      </Card>
    );
  }

  if (stage.kind === "done") {
    return (
      <Card className="mx-auto max-w-xl p-6 text-center">
        <CircleCheck aria-hidden className="mx-auto h-10 w-10 text-emerald-600" />
        <h2 className="mt-3 text-lg font-semibold text-slate-900">{t("doneTitle", { name: stage.name })}</h2>
        <p className="mt-1 text-sm text-slate-600">{t("doneHint")}</p>
        <div className="mt-5 flex flex-wrap justify-center gap-2">
          <Link href={`/keys/${stage.keyId}`} className="inline-flex h-10 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
            {t("openKey")}
          </Link>
          <Button
            variant="secondary"
            // A new form needs a new idempotency token, or the server would answer "already issued".
            onClick={() => setStage({ kind: "form", token: crypto.randomUUID() })}
          >
            {t("another")}
          </Button>
          <Link href="/keys" className="inline-flex h-10 items-center rounded-md px-4 text-sm font-medium text-slate-700 hover:bg-slate-100">
            {t("backToList")}
          </Link>
        </div>
      </Card>
    );
  }

  return <IssueKeyForm key={stage.token} options={options} idempotencyToken={stage.token} now={now} today={today} onIssued={(reveal) => setStage({ kind: "reveal", reveal })} />;
}
