import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { KeyRound, LogIn } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { currentUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { LanguageSwitcher } from "@/components/shell/language-switcher";
import { ssoSignInAction } from "./actions";
import { SignInForm } from "./signin-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signin");
  return { title: t("title") };
}

/** Why an SSO sign-in did not happen, in words (Auth.js error codes and our own refusals). */
function ssoMessageKey(sso?: string, error?: string): string | null {
  if (sso === "no_groups") return "signin.sso.noGroups";
  if (sso === "deactivated") return "signin.sso.deactivated";
  if (sso === "no_email") return "signin.sso.noEmail";
  if (!error) return null;
  if (error === "Configuration") return "signin.sso.unavailable";
  if (error === "AccessDenied") return "signin.sso.noGroups";
  return "signin.sso.refused";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string; sso?: string; error?: string }> }) {
  if (await currentUser()) redirect("/");
  const t = await getTranslations();
  const { reason, sso, error } = await searchParams;
  const cfg = config();
  const ssoEnabled = Boolean(cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID);
  const ssoError = ssoMessageKey(sso, error);
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-3">
          <span className="flex h-10 w-10 items-center justify-center rounded-lg bg-brand-600 text-white">
            <KeyRound aria-hidden className="h-5 w-5" />
          </span>
          <span className="text-lg font-semibold">{t("common.appName")}</span>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold">{t("signin.title")}</h1>
          <p className="mb-6 mt-1 text-sm text-slate-600">{t("signin.subtitle")}</p>
          {ssoError ? (
            <div role="alert" aria-label={t("signin.sso.errorLabel")} className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {t(ssoError, { idp: cfg.OIDC_DISPLAY_NAME })}
            </div>
          ) : null}
          {ssoEnabled ? (
            <form action={ssoSignInAction} className="mb-5">
              <button type="submit" className="flex w-full items-center justify-center gap-2 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40">
                <LogIn aria-hidden className="h-4 w-4" />
                {t("signin.sso.button", { idp: cfg.OIDC_DISPLAY_NAME })}
              </button>
            </form>
          ) : null}
          {ssoEnabled && cfg.LOCAL_SIGNIN === "off" ? (
            <details className="rounded-md border border-slate-200 p-3">
              <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("signin.sso.breakGlass")}</summary>
              <p className="mb-4 mt-2 text-xs text-slate-600">{t("signin.sso.breakGlassHint")}</p>
              <SignInForm notice={reason === "expired" ? t("signin.expired") : undefined} />
            </details>
          ) : (
            <>
              {ssoEnabled ? <p className="mb-4 text-center text-xs uppercase tracking-wide text-slate-500">{t("signin.sso.or")}</p> : null}
              <SignInForm notice={reason === "expired" ? t("signin.expired") : undefined} />
            </>
          )}
        </div>
        <div className="mt-6 flex justify-center">
          <LanguageSwitcher />
        </div>
      </div>
    </main>
  );
}
