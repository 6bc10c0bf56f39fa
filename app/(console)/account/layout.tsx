import type { ReactNode } from "react";
import { ClientMessages } from "@/components/i18n/client-messages";

/** Gives this section's client components the messages they use, and no others (lib/i18n/client-messages.ts). */
export default function AccountLayout({ children }: { children: ReactNode }) {
  return <ClientMessages scope="(console)/account">{children}</ClientMessages>;
}
