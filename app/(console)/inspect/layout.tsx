import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ClientMessages } from "@/components/i18n/client-messages";

/** Admins and leads; everyone else gets a real 404. The inspect action checks inspect.use again. */
export default async function InspectLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!can(user.role, "inspect.use")) notFound();
  return <ClientMessages scope="(console)/inspect">{children}</ClientMessages>;
}
