"use client";

import { useActionState, useId, useRef } from "react";
import { useTranslations } from "next-intl";
import { ScanSearch } from "lucide-react";
import { inspectKey } from "@/lib/inspect/actions";
import type { InspectResult } from "@/lib/inspect/service";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InspectResultCard } from "./inspect-result";

type Outcome = { ok: true; result: InspectResult; round: number } | { ok: false; error: string; round: number } | null;

/**
 * Paste a key, get what it is. The pasted key is read from the form once, the text area is
 * emptied at once, and only the server's answer (which never contains the key) is kept. A form
 * action, not a GET form: before JavaScript has loaded, submitting does nothing rather than put
 * the key in the URL.
 */
export function InspectPanel({ now }: { now: Date }) {
  const t = useTranslations("inspect");
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [outcome, formAction, pending] = useActionState<Outcome, FormData>(async (prev, form) => {
    const pasted = form.get("pasted");
    if (area.current) area.current.value = "";
    const round = (prev?.round ?? 0) + 1;
    const result = await inspectKey({ pasted: typeof pasted === "string" ? pasted : "" });
    return result.ok ? { ok: true, result: result.data, round } : { ok: false, error: result.fieldErrors?.pasted ?? result.error, round };
  }, null);

  return (
    <div className="space-y-6">
      <Card className="p-5">
        <form action={formAction} className="space-y-3">
          <label htmlFor={id} className="block text-sm font-medium text-slate-700">
            {t("label")}
          </label>
          <textarea
            ref={area}
            id={id}
            name="pasted"
            rows={4}
            required
            maxLength={16_384}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            data-1p-ignore
            data-lpignore="true"
            aria-describedby={`${id}-hint`}
            placeholder={t("placeholder")}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
          />
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {t("hint")}
          </p>
          <Button type="submit" disabled={pending}>
            <ScanSearch aria-hidden className="h-4 w-4" />
            {pending ? t("pending") : t("submit")}
          </Button>
        </form>
      </Card>
      <div aria-live="polite">
        {outcome === null ? null : outcome.ok ? (
          <InspectResultCard key={outcome.round} result={outcome.result} now={now} />
        ) : (
          <Alert label={t("errorLabel")}>{outcome.error}</Alert>
        )}
      </div>
    </div>
  );
}
