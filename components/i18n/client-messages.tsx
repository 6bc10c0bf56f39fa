import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import { CLIENT_MESSAGES, pickMessages } from "@/lib/i18n/client-messages";

/**
 * next-intl's client provider with only the messages the client components inside this layout
 * use (lib/i18n/client-messages.ts), not the whole catalog. `scope` is the layout's directory
 * under app/ ("" for the root layout). Locale, time zone and formats come from the request's
 * configuration as before.
 */
export async function ClientMessages({ scope, children }: { scope: string; children: ReactNode }) {
  const messages = await getMessages();
  return <NextIntlClientProvider messages={pickMessages(messages, CLIENT_MESSAGES[scope] ?? [])}>{children}</NextIntlClientProvider>;
}
