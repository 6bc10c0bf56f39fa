"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { exportGuardrailAction } from "@/lib/guardrails/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * Download as JSON / copy as Terraform. Both go through the server action, which regenerates the
 * policy from the current key policy, refuses one that does not validate, and audits the hand-out;
 * the browser only saves or copies what the server returned.
 */
export function GuardrailExportButtons({
  kind,
  options,
  disabled,
  terraform,
}: {
  kind: "scp" | "boundary";
  options: { denyLongTerm: boolean; customStatements: string };
  disabled: boolean;
  terraform: string | null;
}) {
  const t = useTranslations("guardrails");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const run = (format: "json" | "terraform") =>
    startTransition(async () => {
      setError(null);
      const result = await exportGuardrailAction({ kind, format, ...options });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      if (format === "json") {
        const url = URL.createObjectURL(new Blob([result.data.text], { type: "application/json" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = result.data.fileName;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        toast.success(t("downloaded", { file: result.data.fileName }));
        return;
      }
      try {
        await navigator.clipboard.writeText(result.data.text);
        toast.success(t("copied"));
      } catch {
        setError(t("copyFailed"));
      }
    });

  return (
    <div className="space-y-2">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => run("json")} disabled={disabled || pending}>
          {t("download")}
        </Button>
        <Button variant="secondary" onClick={() => run("terraform")} disabled={disabled || pending || terraform === null}>
          {t("copyTerraform")}
        </Button>
      </div>
    </div>
  );
}
