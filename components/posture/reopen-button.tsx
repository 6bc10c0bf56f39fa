"use client";

import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { reopenPostureFinding } from "@/lib/posture/actions";
import { Button } from "@/components/ui/button";

export function ReopenButton({ findingId }: { findingId: string }) {
  const t = useTranslations("posture.accept");
  const [pending, startTransition] = useTransition();
  return (
    <Button
      size="sm"
      variant="ghost"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await reopenPostureFinding({ findingId });
          if (result.ok) toast.success(t("reopened"));
          else toast.error(result.error);
        })
      }
    >
      {t("reopen")}
    </Button>
  );
}
