"use client";

import { useId } from "react";
import { useTranslations } from "next-intl";
import type { CatalogueEntry } from "@/lib/keys/catalogue";

/**
 * Checkboxes for catalogue models ("<name>[]"), grouped by provider. Always sends one empty
 * "<name>[]" entry, so "nothing ticked" reaches the server as an empty list rather than as
 * "field not sent" (which the decide action reads as "as requested").
 */
export function ModelPicker({
  name,
  legend,
  hint,
  error,
  models,
  defaultSelected = [],
  disabled = false,
}: {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  models: readonly (Pick<CatalogueEntry, "id" | "label" | "provider"> & { legacy?: boolean })[];
  defaultSelected?: readonly string[];
  disabled?: boolean;
}) {
  const id = useId();
  const tm = useTranslations("models");
  const providers = [...new Set(models.map((m) => m.provider))];
  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-hint ${id}-error`} disabled={disabled}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {hint}
      </p>
      <input type="hidden" name={`${name}[]`} value="" />
      <div className="max-h-64 space-y-3 overflow-y-auto rounded-md border border-slate-200 p-3">
        {providers.map((provider) => (
          <div key={provider}>
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{provider}</p>
            <ul className="mt-1 grid gap-1 sm:grid-cols-2">
              {models
                .filter((m) => m.provider === provider)
                .map((m) => (
                  <li key={m.id}>
                    <label className="flex items-start gap-2 text-sm text-slate-800">
                      <input type="checkbox" name={`${name}[]`} value={m.id} defaultChecked={defaultSelected.includes(m.id)} className="mt-0.5" />
                      <span>
                        {m.label}
                        {m.legacy ? <span className="ml-1 text-xs font-medium text-amber-800">({tm("legacy")})</span> : null}
                        <span className="block font-mono text-[11px] text-slate-500">{m.id}</span>
                      </span>
                    </label>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </div>
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </fieldset>
  );
}
