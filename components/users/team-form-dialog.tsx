"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { createTeam, updateTeam } from "@/lib/users/actions";
import { TEAM_DESCRIPTION_MAX, TEAM_NAME_MAX } from "@/lib/users/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "./use-form-action";

interface EditableTeam {
  id: string;
  name: string;
  description: string;
}

/** Create a team (no `team`) or edit one: the same fields, two actions. */
export function TeamFormDialog({ team }: { team?: EditableTeam }) {
  const t = useTranslations("teams");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={team ? t("edit.title", { name: team.name }) : t("create.title")}
      description={team ? t("edit.description") : t("create.description")}
      trigger={
        team ? (
          <Button variant="secondary" size="sm" aria-label={t("edit.openFor", { name: team.name })}>
            {t("edit.open")}
          </Button>
        ) : (
          <Button variant="secondary">
            <Plus aria-hidden className="h-4 w-4" />
            {t("create.open")}
          </Button>
        )
      }
    >
      <TeamForm team={team} onDone={() => setOpen(false)} />
    </Dialog>
  );
}

function TeamForm({ team, onDone }: { team?: EditableTeam; onDone: () => void }) {
  const t = useTranslations("teams");
  const tc = useTranslations("common");
  const { onSubmit, pending, error, fieldError } = useFormAction(team ? updateTeam : createTeam, (saved) => {
    toast.success(team ? t("edit.done", { name: saved.name }) : t("create.done", { name: saved.name }));
    onDone();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("form.errorLabel")}>{error}</Alert> : null}
      {team ? <input type="hidden" name="id" value={team.id} /> : null}
      <TextField
        label={t("form.name")}
        name="name"
        defaultValue={team?.name}
        autoComplete="off"
        required
        maxLength={TEAM_NAME_MAX}
        hint={t("form.nameHint", { max: TEAM_NAME_MAX })}
        error={fieldError("name")}
      />
      <TextField
        label={t("form.description")}
        name="description"
        defaultValue={team?.description}
        autoComplete="off"
        maxLength={TEAM_DESCRIPTION_MAX}
        error={fieldError("description")}
      />
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? tc("saving") : team ? tc("save") : t("create.submit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
