"use client";

import { useRef, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { modelLabel } from "@/lib/keys/catalogue";
import type { SubjectInfo } from "@/lib/usage/directory";
import { USAGE_APIS, usageQuery, type UsageFilters } from "@/lib/usage/filters";
import { SelectField, TextField } from "@/components/ui/field";
import { WhoCombobox } from "./who-combobox";

export interface UsageFilterOptions {
  teams: { id: string; name: string }[];
  /** The key or person filtered on, named (null: none, or not in the viewer's scope); the others are searched for. */
  selected: SubjectInfo | null;
  models: string[];
  regions: string[];
}

/**
 * The filters live in the URL (bookmarkable, shared with the CSV export). Like the inventory's, a
 * change applies at once: a select navigates as soon as it changes; a date switches the range to
 * "custom" and applies once both dates are set. As a plain GET form it also works before
 * JavaScript has loaded (Enter in a date field submits it).
 */
export function UsageFiltersForm({ filters, options }: { filters: UsageFilters; options: UsageFilterOptions }) {
  const t = useTranslations("usage.filters");
  const tc = useTranslations("common");
  const tu = useTranslations("usage");
  const router = useRouter();
  const [, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const navigate = (el: HTMLFormElement, override: Record<string, string> = {}) => {
    const next: Record<string, string> = {};
    for (const [name, value] of new FormData(el)) if (typeof value === "string" && value !== "") next[name] = value;
    for (const [name, value] of Object.entries(override)) {
      if (value === "") delete next[name];
      else next[name] = value;
    }
    startTransition(() => router.push(`/usage${usageQuery(next as Partial<UsageFilters>)}`));
  };
  const apply = (e: FormEvent<HTMLFormElement>) => {
    const el = e.currentTarget;
    const field = (name: string) => el.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if ((e.target as HTMLInputElement).type === "date") {
      const range = field("range");
      if (range) range.value = "custom";
      if (!field("from")?.value || !field("to")?.value) return;
    }
    navigate(el);
  };
  // Keep a value from the URL selectable even when it is no longer among the options.
  const withCurrent = (list: string[], current: string | undefined) => (current && !list.includes(current) ? [current, ...list] : list);

  return (
    <form
      // Re-mounted when the URL's filters change elsewhere (a chart click, back), so the fields show them.
      key={usageQuery(filters)}
      ref={form}
      method="get"
      action="/usage"
      role="search"
      aria-label={t("label")}
      onChange={apply}
      className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
    >
      <SelectField label={t("range")} name="range" defaultValue={filters.range}>
        <option value="7">{t("last", { days: 7 })}</option>
        <option value="30">{t("last", { days: 30 })}</option>
        <option value="90">{t("last", { days: 90 })}</option>
        <option value="custom">{t("custom")}</option>
      </SelectField>
      <TextField label={t("from")} name="from" type="date" defaultValue={filters.from} />
      <TextField label={t("to")} name="to" type="date" defaultValue={filters.to} />
      {options.teams.length > 0 ? (
        <SelectField label={t("team")} name="team" defaultValue={filters.team ?? ""}>
          <option value="">{tc("all")}</option>
          {options.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <WhoCombobox label={t("who")} selected={options.selected} current={filters.who} onPick={(who) => form.current && navigate(form.current, { who })} />
      <SelectField label={t("model")} name="model" defaultValue={filters.model ?? ""}>
        <option value="">{tc("all")}</option>
        {withCurrent(options.models, filters.model).map((m) => (
          <option key={m} value={m}>
            {modelLabel(m)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("region")} name="region" defaultValue={filters.region ?? ""}>
        <option value="">{tc("all")}</option>
        {withCurrent(options.regions, filters.region).map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("identity")} name="identity" defaultValue={filters.identity ?? ""}>
        <option value="">{tc("all")}</option>
        <option value="long-term">{t("longTerm")}</option>
        <option value="short-term">{t("shortTerm")}</option>
      </SelectField>
      <SelectField label={t("api")} name="api" defaultValue={filters.api ?? ""}>
        <option value="">{tc("all")}</option>
        {USAGE_APIS.map((a) => (
          <option key={a} value={a}>
            {tu(`apis.${a}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("result")} name="result" defaultValue={filters.result ?? ""}>
        <option value="">{tc("all")}</option>
        <option value="success">{t("success")}</option>
        <option value="error">{t("error")}</option>
      </SelectField>
      <div className="flex gap-2 pb-5 sm:col-span-2 lg:col-span-1">
        <Link href="/usage" className="inline-flex h-10 items-center whitespace-nowrap rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
          {tc("clearFilters")}
        </Link>
      </div>
    </form>
  );
}
