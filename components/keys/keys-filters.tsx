"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Search } from "lucide-react";
import { KEY_STATUSES } from "@/lib/aws/iam-mapping";
import { EXPIRING_SOON_DAYS } from "@/lib/keys/expiring";
import { SelectField } from "@/components/ui/field";
import { isFiltered, keysHref, type KeyFilterValues } from "./keys-url";

const EXPIRING_CHOICES = [EXPIRING_SOON_DAYS, 30, 90];
const UNUSED_CHOICES = [30, 90, 180];
const SEARCH_DELAY_MS = 400;
const cell = "min-w-36 max-w-56 flex-1";

export interface KeyFilterOptions {
  teams: { id: string; name: string }[];
  owners: { id: string; name: string; email: string }[];
  /** Offered when the viewer's keys are in more than one AWS account. */
  accounts: { id: string; name: string }[];
}

/**
 * The inventory's filters. They live in the URL (bookmarkable, shareable, the CSV export takes the
 * same ones); a change navigates at once, search after a pause in typing. As a plain GET form it
 * also works before JavaScript has loaded.
 */
export function KeysFilters({ filters, options, showUnused }: { filters: KeyFilterValues; options: KeyFilterOptions; showUnused: boolean }) {
  const t = useTranslations("keys.filters");
  const tc = useTranslations("common");
  const ts = useTranslations("keys.status");
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [q, setQ] = useState(String(filters.q ?? ""));
  // Follow the URL when it changes from elsewhere (clear filters, back button).
  const [urlQ, setUrlQ] = useState(filters.q);
  if (filters.q !== urlQ) {
    setUrlQ(filters.q);
    setQ(String(filters.q ?? ""));
  }
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const go = (overrides: KeyFilterValues) => startTransition(() => router.push(keysHref(filters, { ...overrides, page: 1 })));
  const select = (name: keyof KeyFilterValues) => ({
    name,
    value: filters[name] === undefined ? "" : String(filters[name]),
    onChange: (e: React.ChangeEvent<HTMLSelectElement>) => go({ [name]: e.target.value || undefined }),
  });
  const withCurrent = (choices: number[], current: string | number | undefined) =>
    current === undefined || choices.includes(Number(current)) ? choices : [...choices, Number(current)].sort((a, b) => a - b);

  return (
    <form
      method="get"
      action="/keys"
      role="search"
      aria-label={t("label")}
      className="flex flex-wrap items-start gap-3 border-b border-slate-200 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        clearTimeout(timer.current);
        go({ q: q.trim() || undefined });
      }}
    >
      <div className="min-w-60 flex-[2_1_16rem]">
        <label htmlFor="keys-search" className="block text-sm font-medium text-slate-700">
          {t("search")}
        </label>
        <div className="relative mt-1">
          <Search aria-hidden className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" />
          <input
            id="keys-search"
            name="q"
            type="search"
            value={q}
            maxLength={100}
            placeholder={t("searchPlaceholder")}
            className="block w-full rounded-md border border-slate-300 bg-white py-2 pl-9 pr-3 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
            onChange={(e) => {
              const value = e.target.value;
              setQ(value);
              clearTimeout(timer.current);
              timer.current = setTimeout(() => go({ q: value.trim() || undefined }), SEARCH_DELAY_MS);
            }}
          />
        </div>
      </div>
      <div className={cell}>
        <SelectField label={t("status")} {...select("status")}>
          <option value="">{tc("all")}</option>
          {KEY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ts(s)}
            </option>
          ))}
        </SelectField>
      </div>
      {options.teams.length > 0 ? (
        <div className={cell}>
          <SelectField label={t("team")} {...select("teamId")}>
            <option value="">{tc("all")}</option>
            {options.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      {options.owners.length > 0 ? (
        <div className={cell}>
          <SelectField label={t("owner")} {...select("ownerId")}>
            <option value="">{tc("all")}</option>
            {options.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      {options.accounts.length > 0 ? (
        <div className={cell}>
          <SelectField label={t("account")} {...select("accountId")}>
            <option value="">{tc("all")}</option>
            {options.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.id})
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      <div className={cell}>
        <SelectField label={t("expiring")} {...select("expiringWithinDays")}>
          <option value="">{t("anyTime")}</option>
          {withCurrent(EXPIRING_CHOICES, filters.expiringWithinDays).map((d) => (
            <option key={d} value={d}>
              {t("withinDays", { days: d })}
            </option>
          ))}
        </SelectField>
      </div>
      {showUnused ? (
        <div className={cell}>
          <SelectField label={t("unused")} {...select("unusedForDays")}>
            <option value="">{t("anyTime")}</option>
            {withCurrent(UNUSED_CHOICES, filters.unusedForDays).map((d) => (
              <option key={d} value={d}>
                {t("forDays", { days: d })}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      <div className={cell}>
        <SelectField label={t("managed")} {...select("managed")}>
          <option value="">{tc("all")}</option>
          <option value="managed">{t("managedOnly")}</option>
          <option value="unmanaged">{t("unmanagedOnly")}</option>
        </SelectField>
      </div>
      <div className={cell}>
        <SelectField label={t("presence")} {...select("presence")} value={String(filters.presence ?? "present")}>
          <option value="present">{t("presenceCurrent")}</option>
          <option value="removed">{t("presenceRemoved")}</option>
          <option value="all">{t("presenceAll")}</option>
        </SelectField>
      </div>
      {isFiltered(filters) ? (
        <div className="flex w-full items-end">
          <Link href={keysHref({ sort: filters.sort, dir: filters.dir, pageSize: filters.pageSize })} className="text-sm font-medium text-brand-700 hover:underline">
            {tc("clearFilters")}
          </Link>
        </div>
      ) : null}
    </form>
  );
}
