import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/** Admins only; everyone else gets a real 404 (loadIssueForm refuses again on its own). */
export default async function NewKeyLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "keys.issue")) notFound();
  return <ClientMessages scope="(console)/keys/new">{children}</ClientMessages>;
}
