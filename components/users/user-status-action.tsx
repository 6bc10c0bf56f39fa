"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { deactivateUser, reactivateUser } from "@/lib/users/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Deactivate (ends the user's sessions) or reactivate, each behind a confirmation. */
export function UserStatusAction({ user }: { user: { id: string; name: string; email: string; active: boolean } }) {
  const t = useTranslations("users");
  const mode = user.active ? "deactivate" : "reactivate";
  return (
    <ConfirmDialog
      title={t(`${mode}.title`, { name: user.name })}
      description={t(`${mode}.description`, { email: user.email })}
      confirmLabel={t(`${mode}.confirm`)}
      pendingLabel={t(`${mode}.pending`)}
      tone={user.active ? "danger" : "primary"}
      errorLabel={t("form.errorLabel")}
      trigger={
        <Button variant={user.active ? "ghost" : "secondary"} size="sm" aria-label={t(`${mode}.openFor`, { name: user.name })}>
          {t(`${mode}.open`)}
        </Button>
      }
      onConfirm={async () => {
        const result = user.active ? await deactivateUser({ id: user.id }) : await reactivateUser({ id: user.id });
        if (!result.ok) return result.error;
        toast.success(t(`${mode}.done`, { name: user.name }));
      }}
    />
  );
}
