import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";

/** Nothing stored yet: say why, and what to do next (sync, wait, or make some calls). */
export async function UsageEmpty({ canSync, scheduleMinutes, synced }: { canSync: boolean; scheduleMinutes: number; synced: boolean }) {
  const t = await getTranslations("usage.empty");
  return (
    <Card className="px-6 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">{synced ? t("titleSynced") : t("title")}</h2>
      <p className="mx-auto mt-2 max-w-2xl text-sm text-slate-600">{synced ? t("hintSynced") : canSync ? t("hintSync") : t("hintWait", { minutes: scheduleMinutes })}</p>
      <p className="mx-auto mt-3 max-w-2xl text-sm text-slate-600">
        {t("traffic")} <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">npm run sandbox:traffic</code>
      </p>
    </Card>
  );
}
