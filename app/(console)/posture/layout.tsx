import type { ReactNode } from "react";
import { ClientMessages } from "@/components/i18n/client-messages";

/** Gives this section's client components the messages they use, and no others (lib/i18n/client-messages.ts). */
export default function PostureLayout({ children }: { children: ReactNode }) {
  return <ClientMessages scope="(console)/posture">{children}</ClientMessages>;
}
