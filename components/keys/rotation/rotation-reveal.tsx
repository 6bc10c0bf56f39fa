"use client";

import { useTranslations } from "next-intl";
import type { KeyReveal } from "@/lib/keys/issue";
import { KeyRevealDialog } from "../reveal/key-reveal-dialog";

/** The rotated key's new secret, shown once (the same screen as a reset's). */
export function RotationReveal({ reveal, onDone }: { reveal: KeyReveal; onDone: () => void }) {
  const t = useTranslations("rotation");
  const tr = useTranslations("keys.reveal");
  return <KeyRevealDialog reveal={reveal} title={tr("resetTitle", { name: reveal.name })} description={t("revealDescription")} onDone={onDone} />;
}
