"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { saveBudget } from "@/lib/budgets/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

type Option = { id: string; name: string };

/** Set a budget on a key, a person or a team. The server re-checks who may set what, and the ceiling. */
export function BudgetForm({ options, ceiling }: { options: { keys: Option[]; teams: Option[]; people: Option[] }; ceiling: { usd: number | null; tokens: number | null } | null }) {
  const t = useTranslations("budgets.form");
  const router = useRouter();
  const scopes = (["team", "key", "person"] as const).filter((s) => (s === "key" ? options.keys : s === "team" ? options.teams : options.people).length > 0);
  const [scope, setScope] = useState<(typeof scopes)[number] | undefined>(scopes[0]);
  const [enforce, setEnforce] = useState(false);
  const { onSubmit, pending, error, fieldError } = useFormAction(saveBudget, () => {
    toast.success(t("saved"));
    router.refresh();
  });
  if (!scope) return <p className="text-sm text-slate-600">{t("nothing")}</p>;
  const targets = scope === "key" ? options.keys : scope === "team" ? options.teams : options.people;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label={t("scope")} name="scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)} error={fieldError("scope")}>
          {scopes.map((s) => (
            <option key={s} value={s}>
              {t(`scopes.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField key={scope} label={t(`target.${scope}`)} name="targetId" error={fieldError("targetId")}>
          {targets.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("unit")} name="unit" defaultValue="usd" error={fieldError("unit")}>
          <option value="usd">{t("units.usd")}</option>
          <option value="tokens">{t("units.tokens")}</option>
        </SelectField>
        <TextField
          label={t("amount")}
          name="amount"
          inputMode="decimal"
          required
          error={fieldError("amount")}
          hint={ceiling ? t("ceilingHint", { usd: ceiling.usd === null ? t("none") : `$${ceiling.usd}`, tokens: ceiling.tokens === null ? t("none") : ceiling.tokens }) : t("amountHint")}
        />
        <TextField label={t("thresholds")} name="thresholds" defaultValue="50, 80, 100" error={fieldError("thresholds")} hint={t("thresholdsHint")} />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{t("actionLegend")}</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="enforce" className="mt-0.5 h-4 w-4" checked={enforce} onChange={(e) => setEnforce(e.target.checked)} />
          {/* Leads cannot revoke short-term keys (admins only): their team budgets disable the team's keys. */}
          <span>{t(scope === "team" && ceiling ? "enforce.teamKeys" : `enforce.${scope}`)}</span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="reenable" className="mt-0.5 h-4 w-4" disabled={!enforce} />
          <span>{t("reenable")}</span>
        </label>
        {fieldError("reenable") ? <p className="text-xs text-red-700">{fieldError("reenable")}</p> : null}
      </fieldset>
      <div className="flex justify-end border-t border-slate-200 pt-4">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
