"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

// Shown for unexpected errors while rendering. The digest is Next's id for the logged error;
// the message itself is never shown (it may contain internals).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  return (
    <div role="alert" aria-label={t("errorTitle")} className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center text-center">
      <h1 className="text-2xl font-semibold">{t("errorTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("errorHint", { digest: error.digest ?? "—" })}</p>
      <Button className="mt-4" onClick={reset}>
        {t("retry")}
      </Button>
    </div>
  );
}
