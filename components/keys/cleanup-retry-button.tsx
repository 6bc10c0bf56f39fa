"use client";

import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { RotateCw } from "lucide-react";
import { toast } from "sonner";
import { retryKeyCleanup } from "@/lib/keys/actions";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/** "Retry clean-up" for an IAM user the console still has to delete (admins; audited by the action). */
export function CleanupRetryButton({ iamUserName }: { iamUserName: string }) {
  const t = useTranslations("keys.cleanup");
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await retryKeyCleanup({ iamUserName });
          if (!result.ok) {
            toast.error(result.error);
            return;
          }
          if (result.data.outcome === "removed") toast.success(t("removed", { user: iamUserName }));
          else toast.info(t("kept", { user: iamUserName }));
        })
      }
    >
      <RotateCw aria-hidden className={cn("h-4 w-4", pending && "animate-spin")} />
      {pending ? t("retrying") : t("retry")}
    </Button>
  );
}
