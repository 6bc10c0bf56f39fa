import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/** A real 404 before loading.tsx streams; the loader and the actions check again on their own. */
export default async function ShortTermLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "shortterm.read")) notFound();
  return <ClientMessages scope="(console)/short-term-keys">{children}</ClientMessages>;
}
