"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { deleteSsoMappingAction, saveSsoMappingAction } from "@/lib/sso/actions";
import type { SsoMappingRow } from "@/lib/sso/loaders";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useFormAction } from "@/components/users/use-form-action";

interface Props {
  readOnly: boolean;
  teams: { id: string; name: string }[];
  mappings: SsoMappingRow[];
}

/** IdP group → role, teams and led teams. Read-only when OIDC_GROUP_MAPPINGS declares them. */
export function SsoMappings({ readOnly, teams, mappings }: Props) {
  const t = useTranslations("ssoMappings");
  const tr = useTranslations("roles");
  const router = useRouter();
  const [editing, setEditing] = useState<SsoMappingRow | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [deleting, startDelete] = useTransition();
  const teamName = (id: string) => teams.find((x) => x.id === id)?.name ?? id;
  const { onSubmit, pending, error, fieldError } = useFormAction(saveSsoMappingAction, () => {
    toast.success(t("saved"));
    setEditing(null);
    setFormKey((k) => k + 1);
    router.refresh();
  });
  const remove = (m: SsoMappingRow) =>
    startDelete(async () => {
      const result = await deleteSsoMappingAction({ id: m.id });
      if (result.ok) toast.success(t("deleted", { group: m.group }));
      else toast.error(result.error);
      router.refresh();
    });

  return (
    <div className="space-y-6">
      {readOnly ? (
        <Alert label={t("readOnlyLabel")} tone="info">
          {t("readOnly")}
        </Alert>
      ) : null}
      {mappings.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <Table regionLabel={t("title")}>
          <THead>
            <Tr>
              <Th>{t("group")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("teams")}</Th>
              <Th>{t("leads")}</Th>
              {readOnly ? null : <Th>{t("actions")}</Th>}
            </Tr>
          </THead>
          <TBody>
            {mappings.map((m) => (
              <Tr key={m.id}>
                <Td className="font-mono text-xs">{m.group}</Td>
                <Td>{tr.has(m.role) ? tr(m.role) : m.role}</Td>
                <Td>{m.teamIds.map(teamName).join(", ") || "—"}</Td>
                <Td>{m.ledTeamIds.map(teamName).join(", ") || "—"}</Td>
                {readOnly ? null : (
                  <Td className="space-x-2 whitespace-nowrap">
                    <Button variant="secondary" onClick={() => (setEditing(m), setFormKey((k) => k + 1))}>
                      {t("edit")}
                    </Button>
                    <Button variant="secondary" disabled={deleting} onClick={() => remove(m)} aria-label={t("deleteLabel", { group: m.group })}>
                      {t("delete")}
                    </Button>
                  </Td>
                )}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {readOnly ? null : (
        <form key={formKey} onSubmit={onSubmit} noValidate className="space-y-4 border-t border-slate-200 pt-4" aria-label={editing ? t("editTitle", { group: editing.group }) : t("addTitle")}>
          <h3 className="text-sm font-semibold text-slate-900">{editing ? t("editTitle", { group: editing.group }) : t("addTitle")}</h3>
          {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
          {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
          <TextField label={t("group")} name="group" maxLength={256} required defaultValue={editing?.group ?? ""} hint={t("groupHint")} error={fieldError("group")} autoComplete="off" />
          <SelectField label={t("role")} name="role" defaultValue={editing?.role ?? "developer"} error={fieldError("role")}>
            {(["admin", "lead", "developer"] as const).map((r) => (
              <option key={r} value={r}>
                {tr(r)}
              </option>
            ))}
          </SelectField>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t("teams")}</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {teams.map((team) => (
                <label key={team.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="teamIds[]" value={team.id} defaultChecked={editing?.teamIds.includes(team.id)} className="h-4 w-4" />
                  {team.name}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t("leads")}</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {teams.map((team) => (
                <label key={team.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="ledTeamIds[]" value={team.id} defaultChecked={editing?.ledTeamIds.includes(team.id)} className="h-4 w-4" aria-label={t("leadsTeam", { team: team.name })} />
                  {team.name}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="flex justify-end gap-2">
            {editing ? (
              <Button variant="secondary" onClick={() => (setEditing(null), setFormKey((k) => k + 1))}>
                {t("cancel")}
              </Button>
            ) : null}
            <Button type="submit" disabled={pending}>
              {pending ? t("saving") : t("save")}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
