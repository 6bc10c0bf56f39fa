import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { KeyRound } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { currentUser } from "@/lib/auth/session";
import { LanguageSwitcher } from "@/components/shell/language-switcher";
import { SignInForm } from "./signin-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signin");
  return { title: t("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  if (await currentUser()) redirect("/");
  const t = await getTranslations();
  const { reason } = await searchParams;
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
          <SignInForm notice={reason === "expired" ? t("signin.expired") : undefined} />
        </div>
        <div className="mt-6 flex justify-center">
          <LanguageSwitcher />
        </div>
      </div>
    </main>
  );
}
