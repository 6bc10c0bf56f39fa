"use client";

import { useTranslations } from "next-intl";
import { ShieldOff } from "lucide-react";
import { toast } from "sonner";
import { revokeShortTermKeys } from "@/lib/shortterm/actions";
import { Button, type ButtonProps } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * "Revoke this person's short-term keys" (admins), behind a confirmation that says what it does
 * and does not do: everyone else's keys keep working, and the person's new keys work again.
 */
export function RevokeShortTermButton({
  person,
  size = "md",
  variant = "danger",
  onRevoked,
}: {
  person: { id: string; name: string; email: string };
  size?: ButtonProps["size"];
  variant?: ButtonProps["variant"];
  onRevoked?: () => void;
}) {
  const t = useTranslations("shortterm.revoke");
  return (
    <ConfirmDialog
      title={t("title", { name: person.name })}
      description={t("description", { name: person.name, email: person.email })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      errorLabel={t("errorLabel")}
      trigger={
        <Button variant={variant} size={size} aria-label={t("openFor", { name: person.name })}>
          <ShieldOff aria-hidden className="h-4 w-4" />
          {t("open")}
        </Button>
      }
      onConfirm={async () => {
        const result = await revokeShortTermKeys({ userId: person.id });
        if (!result.ok) return result.error;
        toast.success(t("done", { name: person.name, count: result.data.activeKeysRevoked }));
        onRevoked?.();
      }}
    >
      <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>{t("pointStops", { name: person.name })}</li>
        <li>{t("pointOthers")}</li>
        <li>{t("pointNew", { name: person.name })}</li>
      </ul>
    </ConfirmDialog>
  );
}
