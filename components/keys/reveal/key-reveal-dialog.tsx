"use client";

import { useTranslations } from "next-intl";
import type { KeyReveal } from "@/lib/keys/issue";
import { useTimeFormat } from "@/lib/time/use-time";
import { RevealDialog } from "./reveal-dialog";

/** A long-term key's new secret in the one-time reveal dialog (reset, rotation), with its facts. */
export function KeyRevealDialog({ reveal, title, description, onDone }: { reveal: KeyReveal; title: string; description: string; onDone: () => void }) {
  const tr = useTranslations("keys.reveal");
  const f = useTimeFormat();
  return (
    <RevealDialog
      title={title}
      description={description}
      secret={reveal.secret}
      region={reveal.region}
      modelId={reveal.modelId}
      csvKeyName={reveal.iamUserName}
      lostHint={tr("lostLongTerm")}
      facts={[
        { label: tr("facts.name"), value: reveal.name },
        { label: tr("facts.iamUser"), value: <span className="font-mono text-xs">{reveal.iamUserName}</span> },
        { label: tr("facts.region"), value: reveal.region },
        { label: tr("facts.expires"), value: reveal.expiresAt ? f.withZone(reveal.expiresAt) : tr("never") },
      ]}
      onDone={onDone}
    />
  );
}
