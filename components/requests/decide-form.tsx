"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Check, X } from "lucide-react";
import { toast } from "sonner";
import type { FieldErrors } from "@/lib/actions/errors";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { approveRequestAction, denyRequestAction } from "@/lib/requests/actions";
import { COMMENT_MAX } from "@/lib/requests/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { ModelPicker } from "./model-picker";
import { TextAreaField } from "./text-area-field";

export interface DecideFormProps {
  requestId: string;
  /** Still pending. Once decided (by anyone), only an error still on screen is shown. */
  open: boolean;
  kind: "long-term" | "short-term";
  requested: { duration: number; models: string[] };
  /** Models the approver may grant: what was asked, or — when any model was asked — the policy's. */
  models: Pick<CatalogueEntry, "id" | "label" | "provider">[];
  minDuration: number;
}

/**
 * Approve (possibly narrowing the duration or the models) or deny with a comment. Which button
 * was pressed picks the action; the server re-checks everything, including that nobody else
 * decided first — then this form says who did.
 */
export function DecideForm({ requestId, open, kind, requested, models, minDuration }: DecideFormProps) {
  const t = useTranslations("requests.decide");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const approve = submitter?.value !== "deny";
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await (approve ? approveRequestAction : denyRequestAction)(form);
      if (result.ok) {
        setError(null);
        setFieldErrors({});
        toast.success(approve ? t("approved") : t("denied"));
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
      router.refresh();
    });
  };

  if (!open) {
    return error ? (
      <Card className="p-5">
        <Alert label={t("errorLabel")}>{error}</Alert>
      </Card>
    ) : null;
  }
  const anyModel = requested.models.length === 0;
  return (
    <Card className="p-5">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby="decide-title">
        <h2 id="decide-title" className="text-base font-semibold text-slate-900">
          {t("title")}
        </h2>
        {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
        <input type="hidden" name="requestId" value={requestId} />
        <div className="max-w-xs">
          <TextField
            label={kind === "long-term" ? t("durationDays") : t("durationMinutes")}
            name="approvedDuration"
            type="number"
            inputMode="numeric"
            min={minDuration}
            max={requested.duration}
            defaultValue={requested.duration}
            hint={t("durationHint", { max: requested.duration })}
            error={fieldErrors.approvedDuration}
          />
        </div>
        {kind === "long-term" ? (
          <ModelPicker
            name="approvedModels"
            legend={t("models")}
            hint={anyModel ? t("modelsHintAny") : t("modelsHint")}
            error={fieldErrors.approvedModels}
            models={models}
            defaultSelected={requested.models}
          />
        ) : null}
        <TextAreaField label={t("comment")} name="comment" maxLength={COMMENT_MAX} hint={t("commentHint")} error={fieldErrors.comment} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="decision" value="approve" disabled={pending}>
            <Check aria-hidden className="h-4 w-4" />
            {t("approve")}
          </Button>
          <Button type="submit" name="decision" value="deny" variant="danger" disabled={pending}>
            <X aria-hidden className="h-4 w-4" />
            {t("deny")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
