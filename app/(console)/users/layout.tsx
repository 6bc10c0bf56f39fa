import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/**
 * Refuses before loading.tsx's Suspense boundary starts streaming, so a refused request gets a
 * real 404 status (a notFound() inside the boundary arrives after a 200 has been sent). Not the
 * security boundary: the page and every action check the permission again on their own.
 */
export default async function UsersLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "users.read")) notFound();
  return <ClientMessages scope="(console)/users">{children}</ClientMessages>;
}
