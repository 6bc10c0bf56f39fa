import Link from "next/link";
import { KeyRound, SearchX } from "lucide-react";
import { getTranslations } from "next-intl/server";
import type { Role } from "@/lib/auth/permissions";

const primary = "inline-flex h-10 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700";
const secondary = "inline-flex h-10 items-center rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-800 hover:bg-slate-50";

/** What an empty inventory means for this person, and what they can do about it. */
export async function KeysEmpty({ role, filtered, clearHref }: { role: Role; filtered: boolean; clearHref: string }) {
  const t = await getTranslations("keys.empty");
  if (filtered) {
    return (
      <div className="flex flex-col items-center px-4 py-14 text-center">
        <SearchX aria-hidden className="h-8 w-8 text-slate-400" />
        <p className="mt-3 font-medium text-slate-900">{t("filteredTitle")}</p>
        <p className="mt-1 max-w-md text-sm text-slate-600">{t("filteredHint")}</p>
        <Link href={clearHref} className={`${secondary} mt-4`}>
          {t("clear")}
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-center px-4 py-14 text-center">
      <span className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-50">
        <KeyRound aria-hidden className="h-6 w-6 text-brand-700" />
      </span>
      <p className="mt-3 font-medium text-slate-900">{t(`${role}.title`)}</p>
      <p className="mt-1 max-w-lg text-sm text-slate-600">{t(`${role}.hint`)}</p>
      <div className="mt-4 flex flex-wrap justify-center gap-2">
        {role === "admin" ? (
          <Link href="/keys/new" className={primary}>
            {t("issueFirst")}
          </Link>
        ) : null}
        <Link href="/short-term-keys" className={role === "admin" ? secondary : primary}>
          {t("shortTerm")}
        </Link>
      </div>
    </div>
  );
}
