import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuthNotice } from "@/components/auth/auth-notice";

const REASONS = ["no_group", "removed", "inactive", "no_email"] as const;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ssoRefused");
  return { title: t("title") };
}

/** The identity provider signed the person in, but the console gives them no access (yet). */
export default async function SsoRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const t = await getTranslations("ssoRefused");
  const { reason: raw } = await searchParams;
  const reason = (REASONS as readonly string[]).includes(raw ?? "") ? (raw as (typeof REASONS)[number]) : "no_group";
  return (
    <AuthNotice title={t("title")} tone="info" back={t("back")}>
      <span data-reason={reason}>{t(reason)}</span>
    </AuthNotice>
  );
}
