import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuthNotice } from "@/components/auth/auth-notice";
import { SSO_ERROR_REASONS, type SsoErrorReason } from "@/lib/sso/errors";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ssoError");
  return { title: t("title") };
}

/**
 * Where a failed SSO sign-in lands (Auth.js's error page). The reason comes from a fixed set
 * (lib/sso/errors.ts); anything else in the URL — Auth.js's own codes — reads as "failed".
 */
export default async function SsoErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const t = await getTranslations("ssoError");
  const { reason: raw } = await searchParams;
  const reason: SsoErrorReason = (SSO_ERROR_REASONS as readonly string[]).includes(raw ?? "") ? (raw as SsoErrorReason) : "failed";
  return (
    <AuthNotice title={t("title")} back={t("back")}>
      <span data-reason={reason}>{t(reason)}</span>
    </AuthNotice>
  );
}
