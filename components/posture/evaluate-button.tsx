"use client";

import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { ShieldCheck } from "lucide-react";
import { toast } from "sonner";
import { evaluatePostureNow } from "@/lib/posture/actions";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";

/** "Evaluate now": runs the evaluation instead of waiting for the schedule; the page re-renders from stored results. */
export function EvaluateButton({ last, now }: { last: { finishedAt: string; result: string | null } | null; now: Date }) {
  const t = useTranslations("posture.evaluate");
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-3">
      <p className="hidden text-right text-xs text-slate-600 sm:block">
        {last ? (
          <>
            {last.result === "failure" ? t("lastFailed") : t("last")} <Time value={new Date(last.finishedAt)} now={now} />
          </>
        ) : (
          t("never")
        )}
      </p>
      <Button
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await evaluatePostureNow({});
            if (!result.ok) {
              toast.error(result.error);
              return;
            }
            if (result.data.status === "busy") {
              toast.info(t("busy"));
              return;
            }
            toast.success(t("done"), { description: t("counts", { findings: result.data.findings, iamCalls: result.data.iamCalls }) });
          })
        }
      >
        <ShieldCheck aria-hidden className="h-4 w-4" />
        {pending ? t("pending") : t("button")}
      </Button>
    </div>
  );
}
