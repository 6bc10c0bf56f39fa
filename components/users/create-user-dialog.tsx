"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { UserPlus } from "lucide-react";
import { toast } from "sonner";
import type { Role } from "@/lib/auth/permissions";
import { createUser } from "@/lib/users/actions";
import { EMAIL_MAX, USER_NAME_MAX } from "@/lib/users/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { RoleField } from "./role-field";
import { TeamPicker, type TeamOption } from "./team-picker";
import { useFormAction } from "./use-form-action";

export function CreateUserDialog({ teams, passwordMin, passwordMax }: { teams: TeamOption[]; passwordMin: number; passwordMax: number }) {
  const t = useTranslations("users");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("create.title")}
      description={t("create.description")}
      size="lg"
      trigger={
        <Button>
          <UserPlus aria-hidden className="h-4 w-4" />
          {t("create.open")}
        </Button>
      }
    >
      <CreateUserForm teams={teams} passwordMin={passwordMin} passwordMax={passwordMax} onDone={() => setOpen(false)} />
    </Dialog>
  );
}

function CreateUserForm({ teams, passwordMin, passwordMax, onDone }: { teams: TeamOption[]; passwordMin: number; passwordMax: number; onDone: () => void }) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const [role, setRole] = useState<Role>("developer");
  const { onSubmit, pending, error, fieldError } = useFormAction(createUser, (user) => {
    toast.success(t("create.done", { email: user.email }));
    onDone();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("form.errorLabel")}>{error}</Alert> : null}
      <TextField label={t("form.name")} name="name" autoComplete="off" required maxLength={USER_NAME_MAX} error={fieldError("name")} />
      <TextField label={t("form.email")} name="email" type="email" autoComplete="off" required maxLength={EMAIL_MAX} error={fieldError("email")} />
      <RoleField value={role} onChange={setRole} error={fieldError("role")} />
      <TeamPicker teams={teams} isLeadRole={role === "lead"} teamsError={fieldError("teams")} leadsError={fieldError("leads")} />
      <TextField
        label={t("form.password")}
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
          {pending ? tc("saving") : t("create.submit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
