"use client";

import { useTranslations } from "next-intl";
import type { KeyReveal } from "@/lib/keys/issue";
import { useTimeFormat } from "@/lib/time/use-time";
import { RevealDialog } from "../reveal/reveal-dialog";

/** The rotated key's new secret, shown once (the same screen as a reset's). */
export function RotationReveal({ reveal, onDone }: { reveal: KeyReveal; onDone: () => void }) {
  const t = useTranslations("rotation");
  const tr = useTranslations("keys.reveal");
  const f = useTimeFormat();
  return (
    <RevealDialog
      title={tr("resetTitle", { name: reveal.name })}
      description={t("revealDescription")}
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
