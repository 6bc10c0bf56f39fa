"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { isRole, type Role } from "@/lib/auth/permissions";
import { updateUser } from "@/lib/users/actions";
import { USER_NAME_MAX } from "@/lib/users/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { RoleField } from "./role-field";
import { TeamPicker, type TeamOption } from "./team-picker";
import { useFormAction } from "./use-form-action";

export interface EditableUser {
  id: string;
  name: string;
  email: string;
  role: string;
  memberships: { teamId: string; isLead: boolean }[];
}

export function EditUserDialog({ user, teams, isSelf }: { user: EditableUser; teams: TeamOption[]; isSelf: boolean }) {
  const t = useTranslations("users");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("edit.title", { name: user.name })}
      description={t("edit.description", { email: user.email })}
      size="lg"
      trigger={
        <Button variant="secondary" size="sm" aria-label={t("edit.openFor", { name: user.name })}>
          {t("edit.open")}
        </Button>
      }
    >
      <EditUserForm user={user} teams={teams} isSelf={isSelf} onDone={() => setOpen(false)} />
    </Dialog>
  );
}

function EditUserForm({ user, teams, isSelf, onDone }: { user: EditableUser; teams: TeamOption[]; isSelf: boolean; onDone: () => void }) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const initialRole: Role = isRole(user.role) ? user.role : "developer";
  const [role, setRole] = useState<Role>(initialRole);
  const { onSubmit, pending, error, fieldError } = useFormAction(updateUser, (result) => {
    toast.success(result.sessionsEnded ? t("edit.doneSignedOut", { name: user.name }) : t("edit.done", { name: user.name }));
    onDone();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("form.errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="id" value={user.id} />
      <TextField label={t("form.name")} name="name" defaultValue={user.name} autoComplete="off" required maxLength={USER_NAME_MAX} error={fieldError("name")} />
      <RoleField value={role} onChange={setRole} error={fieldError("role")} />
      {isSelf ? <p className="text-xs text-slate-600">{t("edit.selfRoleNote")}</p> : null}
      {role !== initialRole ? (
        <Alert label={t("edit.roleChangeLabel")} tone="warning">
          {t("edit.roleChangeWarning")}
        </Alert>
      ) : null}
      <TeamPicker
        teams={teams}
        isLeadRole={role === "lead"}
        defaultTeams={user.memberships.map((m) => m.teamId)}
        defaultLeads={user.memberships.filter((m) => m.isLead).map((m) => m.teamId)}
        teamsError={fieldError("teams")}
        leadsError={fieldError("leads")}
      />
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? tc("saving") : tc("save")}
        </Button>
      </DialogFooter>
    </form>
  );
}
