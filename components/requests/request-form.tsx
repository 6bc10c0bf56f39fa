"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { KEY_NAME_MAX, KEY_NAME_PUNCTUATION } from "@/lib/keys/naming";
import { createRequest } from "@/lib/requests/actions";
import { JUSTIFICATION_MAX, PURPOSE_MAX, type RequestKind } from "@/lib/requests/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";
import { ModelPicker } from "./model-picker";
import { TextAreaField } from "./text-area-field";

export interface RequestFormProps {
  teams: { id: string; name: string }[];
  /** AWS accounts to choose from (empty: only the console's own, nothing to choose). */
  accounts: { id: string; name: string }[];
  limits: { maxDays: number; defaultDays: number; maxMinutes: number; minMinutes: number; allowedModels: string[] };
  models: Pick<CatalogueEntry, "id" | "label" | "provider">[];
  approval: { longTerm: boolean; shortTerm: boolean };
}

/** Ask for a key. The limits shown are the policy's; the server checks them again on submit. */
export function RequestForm({ teams, accounts, limits, models, approval }: RequestFormProps) {
  const t = useTranslations("requests.form");
  const router = useRouter();
  const [kind, setKind] = useState<RequestKind>("long-term");
  const { onSubmit, pending, error, fieldError } = useFormAction(createRequest, (result) => {
    toast.success(result.status === "approved" ? t("doneApproved") : t("doneSubmitted"));
    router.push(`/requests/${result.requestId}`);
  });
  const needsApproval = kind === "long-term" ? approval.longTerm : approval.shortTerm;
  const restricted = limits.allowedModels.length > 0;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{t("kind")}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(["long-term", "short-term"] as const).map((k) => (
            <label key={k} className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1" />
              <span>
                <span className="font-medium text-slate-900">{t(`kinds.${k}.label`)}</span>
                <span className="block text-slate-600">{t(`kinds.${k}.hint`, { maxMinutes: limits.maxMinutes })}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <SelectField label={t("team")} name="teamId" defaultValue={teams[0]?.id} error={fieldError("teamId")} hint={t("teamHint")}>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </SelectField>

      {kind === "long-term" ? (
        <TextField
          label={t("keyName")}
          name="keyName"
          required
          maxLength={KEY_NAME_MAX}
          autoComplete="off"
          hint={t("keyNameHint", { max: KEY_NAME_MAX, punctuation: KEY_NAME_PUNCTUATION })}
          error={fieldError("keyName")}
        />
      ) : null}
      {kind === "long-term" && accounts.length > 0 ? (
        <SelectField label={t("account")} name="accountId" defaultValue={accounts[0]?.id} error={fieldError("accountId")} hint={t("accountHint")}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.id})
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextField label={t("purpose")} name="purpose" required maxLength={PURPOSE_MAX} autoComplete="off" hint={t("purposeHint")} error={fieldError("purpose")} />
      <TextAreaField label={t("justification")} name="justification" required maxLength={JUSTIFICATION_MAX} hint={t("justificationHint")} error={fieldError("justification")} />

      {kind === "long-term" ? (
        <TextField
          key="days"
          label={t("durationDays")}
          name="durationDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={limits.maxDays}
          defaultValue={Math.min(limits.defaultDays, limits.maxDays)}
          required
          hint={t("durationDaysHint", { max: limits.maxDays })}
          error={fieldError("durationDays")}
        />
      ) : (
        <TextField
          key="minutes"
          label={t("durationMinutes")}
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={limits.minMinutes}
          max={limits.maxMinutes}
          defaultValue={Math.min(60, limits.maxMinutes)}
          required
          hint={t("durationMinutesHint", { min: limits.minMinutes, max: limits.maxMinutes })}
          error={fieldError("durationMinutes")}
        />
      )}

      {kind === "long-term" ? (
        <ModelPicker name="models" legend={t("models")} hint={restricted ? t("modelsHintRestricted") : t("modelsHint")} error={fieldError("models")} models={models} />
      ) : (
        <p className="text-sm text-slate-600">{t("shortTermModels")}</p>
      )}

      <Alert label={t("approvalLabel")} tone="info">
        {needsApproval ? t("needsApproval") : t("noApprovalNeeded")}
      </Alert>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending || teams.length === 0}>
          {pending ? t("submitting") : t("submit")}
        </Button>
      </div>
    </form>
  );
}
