import Link from "next/link";
import { AlarmClock, KeyRound, UserX } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { EXPIRING_SOON_DAYS } from "@/lib/keys/expiring";
import { Card } from "@/components/ui/card";

/**
 * The home page's keys at a glance, within the viewer's scope: active, expiring soon, unmanaged.
 * Each number opens the inventory with the filter that produced it.
 */
export async function KeysHomeCard({ counts }: { counts: { active: number; expiringSoon: number; unmanaged: number } }) {
  const t = await getTranslations("home.keys");
  const tiles = [
    { href: "/keys?status=Active", label: t("active"), value: counts.active, icon: KeyRound, tone: "text-brand-700" },
    { href: `/keys?expiringWithinDays=${EXPIRING_SOON_DAYS}`, label: t("expiring", { days: EXPIRING_SOON_DAYS }), value: counts.expiringSoon, icon: AlarmClock, tone: counts.expiringSoon > 0 ? "text-amber-700" : "text-slate-500" },
    { href: "/keys?managed=unmanaged", label: t("unmanaged"), value: counts.unmanaged, icon: UserX, tone: counts.unmanaged > 0 ? "text-amber-700" : "text-slate-500" },
  ];
  return (
    <Card className="p-5 lg:col-span-2">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold text-slate-900">{t("title")}</h2>
        <Link href="/keys" className="text-sm font-medium text-brand-700 hover:underline">
          {t("open")}
        </Link>
      </div>
      <ul className="mt-3 grid gap-3 sm:grid-cols-3">
        {tiles.map(({ href, label, value, icon: Icon, tone }) => (
          <li key={href}>
            <Link href={href} className="block rounded-md border border-slate-200 p-3 hover:border-brand-600 hover:bg-brand-50/40">
              <span className="flex items-center gap-2 text-xs font-medium text-slate-600">
                <Icon aria-hidden className={`h-4 w-4 ${tone}`} />
                {label}
              </span>
              <span className="mt-1 block text-2xl font-semibold text-slate-900">{value}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
