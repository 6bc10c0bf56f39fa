import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthBrand } from "@/components/auth/auth-brand";
import { sessionUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { Button } from "@/components/ui/button";
import { ssoSignInAction } from "./actions";
import { LanguageSwitcher } from "@/components/shell/language-switcher";
import { SignInForm } from "./signin-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signin");
  return { title: t("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  if (await sessionUser()) redirect("/");
  const t = await getTranslations();
  const { reason } = await searchParams;
  const cfg = config();
  const sso = !!cfg.OIDC_ISSUER;
  const localOn = cfg.LOCAL_SIGNIN === "on";
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <AuthBrand />
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold">{t("signin.title")}</h1>
          <p className="mb-6 mt-1 text-sm text-slate-600">{t(sso ? "signin.subtitleSso" : "signin.subtitle")}</p>
          {sso ? (
            <form action={ssoSignInAction}>
              <Button type="submit" className="w-full">
                {t("signin.sso.button", { name: cfg.OIDC_DISPLAY_NAME })}
              </Button>
            </form>
          ) : null}
          {sso && !localOn ? (
            // Password sign-in is off: only break-glass accounts use the form, so it is tucked away.
            <details className="mt-6 border-t border-slate-200 pt-4">
              <summary className="cursor-pointer text-sm text-slate-600">{t("signin.breakGlass")}</summary>
              <div className="mt-4">
                <SignInForm notice={reason === "expired" ? t("signin.expired") : undefined} />
              </div>
            </details>
          ) : (
            <>
              {sso ? <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">{t("signin.sso.or")}</p> : null}
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
