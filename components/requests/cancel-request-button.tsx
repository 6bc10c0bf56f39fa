"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { cancelRequestAction } from "@/lib/requests/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function CancelRequestButton({ requestId, label }: { requestId: string; label: string }) {
  const t = useTranslations("requests.cancel");
  const router = useRouter();
  return (
    <ConfirmDialog
      title={t("title")}
      description={t("description", { label })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      errorLabel={t("errorLabel")}
      trigger={<Button variant="secondary">{t("open")}</Button>}
      onConfirm={async () => {
        const result = await cancelRequestAction({ requestId });
        if (!result.ok) return result.error;
        toast.success(t("done"));
        router.refresh();
      }}
    />
  );
}
