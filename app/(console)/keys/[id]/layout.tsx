import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { ActionError } from "@/lib/actions/errors";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { findKeyInScope, keyReadScope } from "@/lib/keys/scope";
import { ClientMessages } from "@/components/i18n/client-messages";

/**
 * A key outside the viewer's scope, or no key at all, is a real 404 (sent before loading.tsx
 * starts streaming a 200). The page's loader applies the same scope again.
 */
export default async function KeyLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  try {
    await findKeyInScope(db(), id, keyReadScope(user));
  } catch (error) {
    if (error instanceof ActionError && error.code === "notFound") notFound();
    throw error;
  }
  return <ClientMessages scope="(console)/keys/[id]">{children}</ClientMessages>;
}
