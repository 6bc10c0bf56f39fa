import Link from "next/link";
import { useTranslations } from "next-intl";
import type { CostAsOf as AsOf } from "@/lib/cost/queries";
import { useTimeFormat } from "@/lib/time/use-time";
import { cn } from "@/components/ui/cn";

/**
 * "As of" line under every cost figure: the instant before which every invocation-log record is
 * counted (the oldest position over every account × region), or — nothing ever read — why there
 * are no figures and where invocation logging is switched on (the accounts page, per region).
 */
export function CostAsOf({ asOf, className }: { asOf: AsOf; className?: string }) {
  const t = useTranslations("costViews.asOf");
  const f = useTimeFormat();
  if (!asOf.syncedThrough) {
    return (
      <p className={cn("text-xs text-slate-600", className)} data-testid="cost-as-of">
        {t("never")}{" "}
        <Link href="/accounts" className="font-medium text-brand-700 hover:underline">
          {t("switchOn")}
        </Link>
      </p>
    );
  }
  return (
    <p className={cn("text-xs text-slate-600", className)} data-testid="cost-as-of">
      {t("synced", { when: f.withZone(asOf.syncedThrough) })}
    </p>
  );
}
