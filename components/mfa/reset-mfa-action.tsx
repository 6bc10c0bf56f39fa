"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { resetUserMfa } from "@/lib/mfa/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** An admin turns off someone's two-step sign-in (a lost phone and no recovery codes left). */
export function ResetMfaAction({ user }: { user: { id: string; name: string; email: string } }) {
  const t = useTranslations("mfa.reset");
  return (
    <ConfirmDialog
      title={t("title", { name: user.name })}
      description={t("description", { email: user.email })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      tone="danger"
      errorLabel={t("errorLabel")}
      trigger={
        <Button variant="ghost" size="sm" aria-label={t("openFor", { name: user.name })}>
          {t("open")}
        </Button>
      }
      onConfirm={async () => {
        const result = await resetUserMfa({ id: user.id });
        if (!result.ok) return result.error;
        toast.success(t("done", { name: user.name }));
      }}
    />
  );
}
