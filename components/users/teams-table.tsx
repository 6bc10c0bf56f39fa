"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { deleteTeam } from "@/lib/users/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TeamFormDialog } from "./team-form-dialog";

export interface TeamListItem {
  id: string;
  name: string;
  description: string;
  _count: { memberships: number };
  memberships: { user: { id: string; name: string; email: string } }[];
}

export function TeamsTable({ teams }: { teams: TeamListItem[] }) {
  const t = useTranslations("teams");
  const tc = useTranslations("common");
  if (teams.length === 0) return <p className="px-4 py-8 text-center text-sm text-slate-600">{t("empty")}</p>;
  return (
    <Table>
      <TableCaption>{t("caption")}</TableCaption>
      <THead>
        <Tr>
          <Th>{t("table.name")}</Th>
          <Th>{t("table.description")}</Th>
          <Th>{t("table.members")}</Th>
          <Th>{t("table.leads")}</Th>
          <Th className="text-right">{tc("actions")}</Th>
        </Tr>
      </THead>
      <TBody>
        {teams.map((team) => (
          <Tr key={team.id}>
            <Td className="font-medium text-slate-900">{team.name}</Td>
            <Td className="max-w-md text-slate-600">{team.description || <span className="text-slate-500">—</span>}</Td>
            <Td>{team._count.memberships}</Td>
            <Td>
              {team.memberships.length === 0 ? (
                <span className="text-slate-500">—</span>
              ) : (
                team.memberships.map((m) => (
                  <span key={m.user.id} title={m.user.email} className="block">
                    {m.user.name}
                  </span>
                ))
              )}
            </Td>
            <Td>
              <div className="flex justify-end gap-1">
                <TeamFormDialog team={team} />
                <ConfirmDialog
                  title={t("delete.title", { name: team.name })}
                  description={team._count.memberships > 0 ? t("delete.hasMembers", { count: team._count.memberships }) : t("delete.description")}
                  confirmLabel={t("delete.confirm")}
                  pendingLabel={t("delete.pending")}
                  errorLabel={t("form.errorLabel")}
                  trigger={
                    <Button variant="ghost" size="sm" aria-label={t("delete.openFor", { name: team.name })}>
                      {t("delete.open")}
                    </Button>
                  }
                  onConfirm={async () => {
                    const result = await deleteTeam({ id: team.id });
                    if (!result.ok) return result.error;
                    toast.success(t("delete.done", { name: team.name }));
                  }}
                />
              </div>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
