import type { Metadata } from "next";
import type { ReactNode } from "react";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import { getLocale, getTranslations } from "next-intl/server";
import { Toaster } from "sonner";
import { ClientMessages } from "@/components/i18n/client-messages";
import { TimeZoneSync } from "@/components/shell/time-zone-sync";
import { currentUser } from "@/lib/auth/session";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: { default: t("title"), template: `%s · ${t("title")}` }, description: t("description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only to know whether the browser's zone goes on the user or just in a cookie: a failing
  // session lookup must not take down every page (the error pages render in this layout too).
  const [locale, user] = await Promise.all([getLocale(), currentUser().catch(() => null)]);
  return (
    <html lang={locale} className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans">
        <ClientMessages scope="">
          <TimeZoneSync signedIn={user !== null} />
          {children}
          <Toaster position="top-right" closeButton />
        </ClientMessages>
      </body>
    </html>
  );
}
