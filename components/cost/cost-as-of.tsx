import Link from "next/link";
import { useTranslations } from "next-intl";
import type { CostAsOf as AsOf } from "@/lib/cost/queries";
import { useTimeFormat } from "@/lib/time/use-time";
import { cn } from "@/components/ui/cn";

/**
 * "As of" line under every cost figure: how far the invocation logs have been read (the oldest
 * position over every account × region), and that this is not yet every call before it — Bedrock
 * delivers a call's record minutes after the call, so the latest calls may still be on their way
 * (issue 15: "be honest about lag"). Nothing ever read: why there are no figures and where
 * invocation logging is switched on (the accounts page, per region).
 */
export function CostAsOf({ asOf, className }: { asOf: AsOf; className?: string }) {
  const t = useTranslations("costViews.asOf");
  const lag = useTranslations("latency");
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
      {t("synced", { when: f.withZone(asOf.syncedThrough) })} {lag("costAsOfLag")}
    </p>
  );
}
