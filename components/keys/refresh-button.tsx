"use client";

import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { Time } from "@/components/ui/time";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { refreshInventoryNow } from "@/lib/keys/actions";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/**
 * "Refresh from AWS": re-lists every Bedrock API key in the account now, instead of waiting for
 * the schedule. The result (counts only) is a toast; the list re-renders from the database.
 */
export function RefreshButton({ lastRefresh, now }: { lastRefresh: { at: string | null; result: string } | null; now: Date }) {
  const t = useTranslations("keys.refresh");
  const [pending, startTransition] = useTransition();
  const at = lastRefresh?.at ? new Date(lastRefresh.at) : null;

  return (
    <div className="flex items-center gap-3">
      <p className="hidden text-right text-xs text-slate-600 sm:block">
        {at ? (
          <>
            {lastRefresh?.result === "failure" ? t("lastFailed") : t("last")}{" "}
            <Time value={at} now={now} />
          </>
        ) : (
          t("never")
        )}
      </p>
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await refreshInventoryNow({});
            if (!result.ok) {
              toast.error(result.error);
              return;
            }
            if (result.data.status === "busy") {
              toast.info(t("busy"));
              return;
            }
            const { listed, created, updated, gone } = result.data;
            toast.success(t("done"), { description: t("counts", { listed, created, updated, gone }) });
          })
        }
      >
        <RefreshCw aria-hidden className={cn("h-4 w-4", pending && "animate-spin")} />
        {pending ? t("pending") : t("button")}
      </Button>
    </div>
  );
}
