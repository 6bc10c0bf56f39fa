import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthBrand } from "@/components/auth/auth-brand";
import { sessionUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { signOutAction } from "@/lib/auth/actions";
import { TwoStepSetup } from "@/components/mfa/two-step";
import { Button } from "@/components/ui/button";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("mfa");
  return { title: t("requiredTitle") };
}

/**
 * MFA_REQUIRED_FOR: a password session of someone who must use two-step sign-in lands here until it
 * is set up; every other page and action refuses it meanwhile (lib/auth/session.ts).
 */
export default async function TwoStepRequiredPage() {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  if (!user.mfaEnrolmentDue) redirect("/");
  const t = await getTranslations();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-2xl">
        <AuthBrand />
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-2 text-xl font-semibold">{t("mfa.requiredTitle")}</h1>
          <p className="mb-6 text-sm text-slate-600">
            {t(config().MFA_REQUIRED_FOR === "everyone" ? "mfa.requiredEveryone" : "mfa.requiredAdmins", { email: user.email })}
          </p>
          <TwoStepSetup continueHref="/" />
          <form action={signOutAction} className="mt-8 border-t border-slate-200 pt-4">
            <Button type="submit" variant="ghost" size="sm">
              {t("shell.signOut")}
            </Button>
          </form>
        </div>
      </div>
    </main>
  );
}
