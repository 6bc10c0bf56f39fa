import type { ReactNode } from "react";
import { IntentLink } from "@/components/shell/intent-link";
import { KeyRound } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { liveCatalogueEntries } from "@/lib/keys/catalogue";
import { ensureLiveCatalogue } from "@/lib/models/live";
import { ClientMessages } from "@/components/i18n/client-messages";
import { LiveCatalogueLabels } from "@/components/models/live-catalogue-labels";
import { loadInbox } from "@/lib/notifications/queries";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { LanguageSwitcher } from "@/components/shell/language-switcher";
import { MobileNav } from "@/components/shell/mobile-nav";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { UserMenu } from "@/components/shell/user-menu";

// Every console page is per-user and per-request (session re-checked against the database).
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations();
  // Re-read on every navigation (this layout is dynamic), so the bell's count stays current.
  const inbox = can(user.role, "notifications.read") ? await loadInbox(db(), user.id) : null;
  // Model names as AWS lists them (issue 15), for the browser's labels.
  await ensureLiveCatalogue(db());
  const items = NAV_ITEMS.filter((item) => !item.permission || can(user.role, item.permission)).map(({ href, key, icon }) => ({ href, key, icon }));
  return (
    <ClientMessages scope="(console)">
      <div className="flex min-h-screen w-full max-w-full">
        <LiveCatalogueLabels entries={liveCatalogueEntries()} />
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          {t("common.skipToContent")}
        </a>
        <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white px-3 py-4 md:block">
          <IntentLink href="/" className="mb-6 flex items-center gap-2 px-3">
            <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-600 text-white">
              <KeyRound aria-hidden className="h-4 w-4" />
            </span>
            <span className="text-sm font-semibold">{t("common.appName")}</span>
          </IntentLink>
          <SidebarNav items={items} />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 md:px-6">
            <MobileNav items={items} />
            <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
              {inbox ? <NotificationBell unread={inbox.unread} items={inbox.items} now={new Date().toISOString()} /> : null}
              <LanguageSwitcher signedIn />
              <UserMenu name={user.name} email={user.email} roleLabel={t(`roles.${user.role}`)} />
            </div>
          </header>
          <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
            {children}
          </main>
        </div>
      </div>
    </ClientMessages>
  );
}
