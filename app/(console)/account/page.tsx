import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { mfaStatus } from "@/lib/mfa/service";
import { mfaRequiredFor } from "@/lib/mfa/policy";
import { TwoStepManage, TwoStepSetup } from "@/components/mfa/two-step";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("title") };
}

/** One's own account: who one is here, and two-step sign-in for the password. */
export default async function AccountPage() {
  const user = await requireUser();
  const t = await getTranslations();
  const cfg = config();
  const [row, status] = await Promise.all([
    db().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } }),
    mfaStatus(db(), user.id),
  ]);
  const hasPassword = !!row?.passwordHash;
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader title={t("account.title")} description={t("account.intro", { email: user.email, role: t(`roles.${user.role}`) })} />
      <section aria-labelledby="mfa-title">
        <Card className="p-6">
          <h2 id="mfa-title" className="text-base font-semibold text-slate-900">
            {t("mfa.title")}
          </h2>
          <p className="mb-5 mt-1 text-sm text-slate-600">{t("mfa.intro")}</p>
          {!hasPassword ? (
            <p className="text-sm text-slate-700">{t("mfa.ssoOnly", { name: cfg.OIDC_DISPLAY_NAME })}</p>
          ) : status.enabled ? (
            <TwoStepManage enabledAt={status.enabledAt!.toISOString()} recoveryCodesLeft={status.recoveryCodesLeft} required={mfaRequiredFor(user.role, cfg.MFA_REQUIRED_FOR)} />
          ) : (
            <TwoStepSetup />
          )}
        </Card>
      </section>
    </div>
  );
}
