import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { cn } from "@/components/ui/cn";

/** "My requests" / "Approvals" as links (the tab is in the URL, so it can be bookmarked and shared). */
export async function RequestsTabs({ tab, pending, canDecide }: { tab: "mine" | "approvals"; pending: number; canDecide: boolean }) {
  const t = await getTranslations("requests.tabs");
  const item = (href: string, active: boolean, label: React.ReactNode) => (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
        active ? "border-brand-600 text-brand-800" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
      )}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={t("label")} className="mb-4 flex gap-2 border-b border-slate-200">
      {item("/requests", tab === "mine", t("mine"))}
      {canDecide
        ? item(
            "/requests?tab=approvals",
            tab === "approvals",
            <>
              {t("approvals")}
              {pending > 0 ? (
                <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900" aria-label={t("pendingCount", { count: pending })}>
                  {pending}
                </span>
              ) : null}
            </>,
          )
        : null}
    </nav>
  );
}
