import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/** A real 404 before loading.tsx streams. Not the security boundary: the page and every action check again. */
export default async function BudgetsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "budgets.read")) notFound();
  return <ClientMessages scope="(console)/budgets">{children}</ClientMessages>;
}
