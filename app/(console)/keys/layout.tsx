import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/**
 * Refuses before any loading.tsx Suspense boundary starts streaming, so a refused request gets a
 * real 404 status. Not the security boundary: the loaders and every action check on their own.
 */
export default async function KeysLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "keys.read")) notFound();
  return <ClientMessages scope="(console)/keys">{children}</ClientMessages>;
}
