"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { SecretReveal, type SecretRevealProps } from "./secret-reveal";

/**
 * The one-time reveal in a modal (a reset from the inventory or the key page). Escape, the close
 * button and clicks outside do not close it silently: the person has to confirm they stored the
 * key, through SecretReveal's checkbox and Done.
 */
export function RevealDialog({ title, description, ...reveal }: SecretRevealProps & { title: string; description: string }) {
  const t = useTranslations("keys.reveal");
  const [nudge, setNudge] = useState(false);
  return (
    <Dialog
      open
      title={title}
      description={description}
      size="lg"
      onOpenChange={(open) => {
        if (!open) setNudge(true);
      }}
    >
      {nudge ? (
        <Alert label={t("closeBlockedLabel")} tone="warning" className="mb-4">
          {t("closeBlocked")}
        </Alert>
      ) : null}
      <SecretReveal {...reveal} />
    </Dialog>
  );
}
