"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { reapplyKeyRestrictions } from "@/lib/keys/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Rewrites an older key's restriction policy so its model restriction holds at bedrock-mantle too. */
export function ApplyRestrictionsButton({ keyId, name }: { keyId: string; name: string }) {
  const t = useTranslations("keys.detail.permissions.rebind");
  return (
    <ConfirmDialog
      title={t("title", { name })}
      description={t("description")}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      tone="primary"
      errorLabel={t("errorLabel")}
      trigger={
        <Button variant="secondary" size="sm">
          {t("open")}
        </Button>
      }
      onConfirm={async () => {
        const result = await reapplyKeyRestrictions({ keyId });
        if (!result.ok) return result.error;
        toast.success(t(result.data.changed ? "done" : "unchanged", { name }));
      }}
    />
  );
}
