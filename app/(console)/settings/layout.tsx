import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/**
 * Refuses before loading.tsx's Suspense boundary starts streaming, so a refused request gets a
 * real 404 status. Not the security boundary: the page and every action check again.
 */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "policy.manage")) notFound();
  return <ClientMessages scope="(console)/settings">{children}</ClientMessages>;
}
