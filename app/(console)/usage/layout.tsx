import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/**
 * Refuses before loading.tsx's Suspense boundary starts streaming, so a refused request gets a
 * real 404 status. Not the security boundary: the page, the export and the progress route each
 * check again, and every query is scoped.
 */
export default async function UsageLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "usage.read")) notFound();
  return <ClientMessages scope="(console)/usage">{children}</ClientMessages>;
}
