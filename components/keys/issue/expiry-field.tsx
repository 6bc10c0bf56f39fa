"use client";

import { useId } from "react";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { TriangleAlert } from "lucide-react";
import { ChoiceChips } from "../choice-chips";

const DAY_MS = 86_400_000;

/** The date a key issued now with this choice expires on, or null for "never" / an incomplete custom value. */
export function expiryDate(expiry: string, customDays: string, now: Date, maxDays: number): Date | null {
  const days = expiry === "custom" ? Number(customDays) : expiry === "never" ? NaN : Number(expiry);
  if (!Number.isInteger(days) || days < 1 || days > maxDays) return null;
  return new Date(now.getTime() + days * DAY_MS);
}

/**
 * Expiry as a row of choices (presets, custom, never), with the resulting date spelled out and a
 * warning on "never". Radio inputs named `expiry` and a number input `customDays`, as issueKeySchema reads them.
 */
export function ExpiryField({
  presets,
  value,
  customDays,
  onChange,
  onCustomDaysChange,
  now,
  maxDays,
  allowNever,
  error,
  customError,
}: {
  presets: number[];
  value: string;
  customDays: string;
  onChange: (value: string) => void;
  onCustomDaysChange: (value: string) => void;
  now: Date;
  maxDays: number;
  allowNever: boolean;
  error?: string;
  customError?: string;
}) {
  const t = useTranslations("keys.form.expiry");
  const f = useTimeFormat();
  const id = useId();
  const choices = [...presets.map((d) => ({ value: String(d), label: t("days", { days: d }) })), { value: "custom", label: t("custom") }, ...(allowNever ? [{ value: "never", label: t("never") }] : [])];
  const date = expiryDate(value, customDays, now, maxDays);

  return (
    <fieldset aria-describedby={`${id}-summary`} className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{t("label")}</legend>
      <p className="text-xs text-slate-600">{t("explain")}</p>
      <ChoiceChips name="expiry" choices={choices} value={value} onChange={onChange} />
      {value === "custom" ? (
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-days`} className="text-sm text-slate-700">
            {t("customDays")}
          </label>
          <input
            id={`${id}-days`}
            name="customDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={maxDays}
            value={customDays}
            onChange={(e) => onCustomDaysChange(e.target.value)}
            aria-invalid={customError ? true : undefined}
            aria-describedby={customError ? `${id}-days-error` : undefined}
            className="w-28 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
          />
          <span id={`${id}-days-error`} aria-live="polite" className="text-xs text-red-700">
            {customError}
          </span>
        </div>
      ) : null}
      <p id={`${id}-summary`} className="text-xs text-slate-600" aria-live="polite">
        {value === "never" ? t("neverSummary") : date ? t("summary", { date: f.plain(date, "longDate") }) : t("customHint", { max: maxDays })}
      </p>
      {value === "never" ? (
        <div role="note" className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-amber-700" />
          <p>{t("neverWarning")}</p>
        </div>
      ) : null}
      <p aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </fieldset>
  );
}
