"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { toast } from "sonner";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { updatePolicyAction } from "@/lib/policy/actions";
import type { KeyPolicy } from "@/lib/policy/schema";
import { MAX_PICKUP_WINDOW_HOURS, ROTATION_REMINDER_DAYS, SHORT_TERM_MIN_MINUTES } from "@/lib/policy/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ModelPicker } from "@/components/requests/model-picker";
import { useFormAction } from "@/components/users/use-form-action";

function Toggle({ name, label, hint, defaultChecked }: { name: string; label: string; hint: string; defaultChecked: boolean }) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-0.5 h-4 w-4" />
      <span>
        <span className="font-medium text-slate-800">{label}</span>
        <span className="block text-xs text-slate-500">{hint}</span>
      </span>
    </label>
  );
}

/**
 * The organisation's key policy. Saved with the version it was rendered from: if another admin
 * saved in between, the server refuses and this form asks to reload rather than overwrite.
 */
export function PolicyForm({
  policy,
  models,
  extraPolicies,
  shortTermCeilingMinutes,
}: {
  policy: KeyPolicy;
  models: Pick<CatalogueEntry, "id" | "label" | "provider">[];
  extraPolicies: readonly string[];
  shortTermCeilingMinutes: number;
}) {
  const t = useTranslations("policy.form");
  const tr = useTranslations("rotation");
  const f = useTimeFormat();
  const router = useRouter();
  const [restrict, setRestrict] = useState(policy.allowedModels.length > 0);
  const { onSubmit, pending, error, fieldError } = useFormAction(updatePolicyAction, () => {
    toast.success(t("saved"));
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" aria-labelledby="policy-title">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="version" value={policy.version} />

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">{t("longTerm")}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t("maxKeyAgeDays")}
            name="maxKeyAgeDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={36600}
            defaultValue={policy.maxKeyAgeDays ?? ""}
            hint={t("maxKeyAgeDaysHint")}
            error={fieldError("maxKeyAgeDays")}
          />
          <TextField
            label={t("defaultExpiryDays")}
            name="defaultExpiryDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={36600}
            required
            defaultValue={policy.defaultExpiryDays}
            hint={t("defaultExpiryDaysHint")}
            error={fieldError("defaultExpiryDays")}
          />
        </div>
        <Toggle name="longTermRequiresApproval" label={t("longTermRequiresApproval")} hint={t("longTermRequiresApprovalHint")} defaultChecked={policy.longTermRequiresApproval} />
        <div className="max-w-xs">
          <TextField
            label={t("pickupWindowHours")}
            name="pickupWindowHours"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_PICKUP_WINDOW_HOURS}
            required
            defaultValue={policy.pickupWindowHours}
            hint={t("pickupWindowHoursHint")}
            error={fieldError("pickupWindowHours")}
          />
        </div>
        <div className="max-w-xs">
          <TextField
            label={tr("policyLabel")}
            name="rotationDays"
            type="number"
            inputMode="numeric"
            min={1}
            defaultValue={policy.rotationDays ?? ""}
            hint={tr("policyHint", { days: ROTATION_REMINDER_DAYS })}
            error={fieldError("rotationDays")}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">{t("models")}</legend>
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="restrictModels" checked={restrict} onChange={(e) => setRestrict(e.target.checked)} className="mt-0.5 h-4 w-4" />
          <span>
            <span className="font-medium text-slate-800">{t("restrictModels")}</span>
            <span className="block text-xs text-slate-500">{t("restrictModelsHint")}</span>
          </span>
        </label>
        {restrict ? <ModelPicker name="allowedModels" legend={t("allowedModels")} error={fieldError("allowedModels")} models={models} defaultSelected={policy.allowedModels} /> : null}
      </fieldset>

      <fieldset className="space-y-2" aria-describedby="extra-policies-hint">
        <legend className="text-sm font-semibold text-slate-900">{t("extraPolicies")}</legend>
        <p id="extra-policies-hint" className="text-xs text-slate-500">
          {extraPolicies.length > 0 ? t("extraPoliciesHint") : t("extraPoliciesNone")}
        </p>
        <input type="hidden" name="allowedExtraPolicies[]" value="" />
        {extraPolicies.map((p) => (
          <label key={p} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="allowedExtraPolicies[]" value={p} defaultChecked={policy.allowedExtraPolicies.includes(p)} className="h-4 w-4" />
            <code>{p}</code>
          </label>
        ))}
        <p aria-live="polite" className="text-xs text-red-700">
          {fieldError("allowedExtraPolicies")}
        </p>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">{t("shortTerm")}</legend>
        <Toggle name="shortTermSelfService" label={t("shortTermSelfService")} hint={t("shortTermSelfServiceHint")} defaultChecked={policy.shortTermSelfService} />
        <div className="max-w-xs">
          <TextField
            label={t("shortTermMaxMinutes")}
            name="shortTermMaxMinutes"
            type="number"
            inputMode="numeric"
            min={SHORT_TERM_MIN_MINUTES}
            max={shortTermCeilingMinutes}
            required
            defaultValue={Math.min(policy.shortTermMaxMinutes, shortTermCeilingMinutes)}
            hint={t("shortTermMaxMinutesHint", { max: shortTermCeilingMinutes })}
            error={fieldError("shortTermMaxMinutes")}
          />
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <p className="text-xs text-slate-500">
          {policy.updatedAt
            ? t("lastSaved", { version: policy.version, by: policy.updatedByEmail ?? "—", when: f.withZone(policy.updatedAt) })
            : t("defaults")}
        </p>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
