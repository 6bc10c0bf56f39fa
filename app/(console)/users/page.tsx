import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/password";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { config } from "@/lib/config";
import { leftBehindByUser } from "@/lib/users/offboard-loaders";
import { listTeams, listUsers } from "@/lib/users/service";
import { Card, PageHeader } from "@/components/ui/card";
import { CreateUserDialog } from "@/components/users/create-user-dialog";
import { TeamFormDialog } from "@/components/users/team-form-dialog";
import { TeamsTable } from "@/components/users/teams-table";
import { UsersTable } from "@/components/users/users-table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("users");
  return { title: t("title") };
}

export default async function UsersPage() {
  const user = await requireUser();
  // The page checks for itself: the nav hiding the link is not security.
  if (!can(user.role, "users.read")) notFound();
  const t = await getTranslations();
  const now = new Date();
  const [users, teams, leftBehind] = await Promise.all([listUsers(db()), listTeams(db()), leftBehindByUser(db(), now)]);
  const teamOptions = teams.map(({ id, name }) => ({ id, name }));
  const manageUsers = can(user.role, "users.manage");
  const manageTeams = can(user.role, "teams.manage");

  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <PageHeader
        title={t("users.title")}
        description={t("users.intro")}
        actions={manageUsers ? <CreateUserDialog teams={teamOptions} passwordMin={PASSWORD_MIN} passwordMax={PASSWORD_MAX} /> : undefined}
      />
      <section aria-labelledby="users-heading">
        <Card>
          <h2 id="users-heading" className="px-4 pt-4 text-base font-semibold text-slate-900">
            {t("users.sectionTitle")}
          </h2>
          <UsersTable
            users={users}
            teams={teamOptions}
            currentUserId={user.id}
            now={now}
            passwordMin={PASSWORD_MIN}
            passwordMax={PASSWORD_MAX}
            leftBehind={leftBehind}
            shortTermConfigured={Boolean(config().SHORT_TERM_ROLE_ARN)}
          />
        </Card>
      </section>
      <section aria-labelledby="teams-heading">
        <Card>
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 p-4">
            <div>
              <h2 id="teams-heading" className="text-base font-semibold text-slate-900">
                {t("teams.sectionTitle")}
              </h2>
              <p className="mt-1 text-sm text-slate-600">{t("teams.intro")}</p>
            </div>
            {manageTeams ? <TeamFormDialog /> : null}
          </div>
          <TeamsTable teams={teams} />
        </Card>
      </section>
    </div>
  );
}
