"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { resetPassword } from "@/lib/users/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "./use-form-action";

export function ResetPasswordDialog({ user, passwordMin, passwordMax }: { user: { id: string; name: string; email: string }; passwordMin: number; passwordMax: number }) {
  const t = useTranslations("users");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("password.title", { name: user.name })}
      description={t("password.description", { email: user.email })}
      size="sm"
      trigger={
        <Button variant="secondary" size="sm" aria-label={t("password.openFor", { name: user.name })}>
          {t("password.open")}
        </Button>
      }
    >
      <ResetPasswordForm user={user} passwordMin={passwordMin} passwordMax={passwordMax} onDone={() => setOpen(false)} />
    </Dialog>
  );
}

function ResetPasswordForm({ user, passwordMin, passwordMax, onDone }: { user: { id: string; name: string }; passwordMin: number; passwordMax: number; onDone: () => void }) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const { onSubmit, pending, error, fieldError } = useFormAction(resetPassword, () => {
    toast.success(t("password.done", { name: user.name }));
    onDone();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("form.errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="id" value={user.id} />
      <TextField
        label={t("password.newPassword")}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={passwordMin}
        maxLength={passwordMax}
        hint={t("form.passwordHint", { min: passwordMin })}
        error={fieldError("password")}
      />
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? tc("saving") : t("password.submit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
