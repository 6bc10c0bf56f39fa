"use client";

import { useId, useState } from "react";
import { useTranslations } from "next-intl";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { Badge } from "@/components/ui/badge";

/**
 * "Allowed models": the region's catalogue as checkboxes grouped by provider, with a filter for
 * long lists. Inference profiles are marked, since a caller has to use their id (us.…) to call
 * them. Checkboxes are named `models[]`, as the issue action reads them. None checked = any model.
 */
export function ModelPicker({ models, selected, onChange, error }: { models: CatalogueEntry[]; selected: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const t = useTranslations("keys.form.models");
  const tm = useTranslations("models");
  const id = useId();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const visible = needle ? models.filter((m) => `${m.label} ${m.id} ${m.provider}`.toLowerCase().includes(needle)) : models;
  const providers = [...new Set(visible.map((m) => m.provider))];
  const chosen = new Set(selected);
  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const m of ids) {
      if (on) next.add(m);
      else next.delete(m);
    }
    // Keep catalogue order, so the first allowed model (the reveal's suggestion) is predictable.
    onChange(models.map((m) => m.id).filter((m) => next.has(m)));
  };

  return (
    <fieldset aria-describedby={`${id}-hint ${id}-error`} className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{t("label")}</legend>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {selected.length === 0 ? t("noneSelected") : t("selected", { count: selected.length })}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-filter`} className="sr-only">
          {t("filter")}
        </label>
        <input
          id={`${id}-filter`}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={t("filter")}
          className="w-64 max-w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        {selected.length > 0 ? (
          <button type="button" onClick={() => onChange([])} className="text-sm font-medium text-brand-700 hover:underline">
            {t("clear")}
          </button>
        ) : null}
      </div>
      <div className="max-h-80 space-y-3 overflow-y-auto rounded-md border border-slate-200 p-3">
        {providers.length === 0 ? <p className="text-sm text-slate-600">{t("noMatch")}</p> : null}
        {providers.map((provider) => {
          const entries = visible.filter((m) => m.provider === provider);
          const all = entries.every((m) => chosen.has(m.id));
          return (
            <fieldset key={provider}>
              <div className="flex items-center justify-between gap-2">
                <legend className="text-xs font-semibold uppercase tracking-wide text-slate-600">{provider}</legend>
                <button
                  type="button"
                  onClick={() => toggle(
                    entries.map((m) => m.id),
                    !all,
                  )}
                  className="text-xs font-medium text-brand-700 hover:underline"
                >
                  {all ? t("noneOf", { provider }) : t("allOf", { provider })}
                </button>
              </div>
              <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2">
                {entries.map((m) => (
                  <label key={m.id} className="flex items-start gap-2 rounded px-1 py-0.5 text-sm text-slate-800 hover:bg-slate-50">
                    <input
                      type="checkbox"
                      name="models[]"
                      value={m.id}
                      checked={chosen.has(m.id)}
                      onChange={(e) => toggle([m.id], e.target.checked)}
                      className="mt-0.5 h-4 w-4 rounded border-slate-400"
                    />
                    <span>
                      {m.label}
                      {m.kind === "inference-profile" ? (
                        <Badge tone="neutral" className="ml-1 align-middle">
                          {t("profile")}
                        </Badge>
                      ) : null}
                      {m.legacy ? (
                        <Badge tone="warning" className="ml-1 align-middle">
                          {tm("legacy")}
                        </Badge>
                      ) : null}
                      <span className="block font-mono text-xs text-slate-500">{m.id}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          );
        })}
      </div>
      {/* Checked models hidden by the filter still count: submit them too. */}
      {selected
        .filter((m) => !visible.some((v) => v.id === m))
        .map((m) => (
          <input key={m} type="hidden" name="models[]" value={m} />
        ))}
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </fieldset>
  );
}
