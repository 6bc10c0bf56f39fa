import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { emailsIn, peopleNames } from "@/lib/audit/names";
import { recentAudit } from "@/lib/audit/queries";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { keySummary } from "@/lib/keys/summary";
import { KeysHomeCard } from "@/components/keys/keys-home-card";
import { Badge } from "@/components/ui/badge";
import { AuditSentence } from "@/components/audit/audit-sentence";
import { Card, PageHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { NeedsAttention } from "@/components/requests/needs-attention";
import { BudgetsHomeCard } from "@/components/budgets/budgets-home-card";

export default async function HomePage() {
  const user = await requireUser();
  const t = await getTranslations();
  const now = new Date();
  const [teams, activity, userCounts, keyCounts] = await Promise.all([
    db().teamMembership.findMany({
      where: { userId: user.id },
      select: { isLead: true, team: { select: { id: true, name: true, _count: { select: { memberships: true } } } } },
      orderBy: { team: { name: "asc" } },
    }),
    can(user.role, "audit.read") ? recentAudit(db(), user) : Promise.resolve(null),
    can(user.role, "users.read")
      ? Promise.all([db().user.count(), db().user.count({ where: { active: true } }), db().team.count()])
      : Promise.resolve(null),
    can(user.role, "keys.read") ? keySummary(db(), user) : Promise.resolve(null),
  ]);
  const names = activity ? await peopleNames(db(), activity.flatMap(emailsIn)) : {};

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader title={t("home.title", { name: user.name })} description={t("home.intro", { role: t(`roles.${user.role}`) })} />
      <div className="grid gap-6 lg:grid-cols-3">
        <NeedsAttention user={user} />
        <BudgetsHomeCard user={user} />
        <Card className="p-5">
          <h2 className="text-sm font-semibold text-slate-900">{t("home.yourTeams")}</h2>
          {teams.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{t("home.noTeams")}</p>
          ) : (
            <ul className="mt-3 space-y-2">
              {teams.map(({ team, isLead }) => (
                <li key={team.id} className="flex items-center justify-between text-sm">
                  <span className="font-medium">{team.name}</span>
                  <span className="flex items-center gap-2 text-slate-600">
                    {isLead ? <Badge tone="info">{t("home.leads")}</Badge> : null}
                    {t("home.people", { count: team._count.memberships })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {keyCounts ? <KeysHomeCard counts={keyCounts} /> : null}
        {userCounts ? (
          <Card className="p-5">
            <h2 className="text-sm font-semibold text-slate-900">{t("home.usersSummary")}</h2>
            <p className="mt-2 text-3xl font-semibold">{userCounts[0]}</p>
            <p className="text-sm text-slate-600">
              {t("home.activeUsers", { count: userCounts[1] })} · {t("home.teamsSummary")}: {userCounts[2]}
            </p>
            <Link href="/users" className="mt-3 inline-block text-sm font-medium text-brand-700 hover:underline">
              {t("home.manageUsers")}
            </Link>
          </Card>
        ) : null}
        {activity ? (
          <Card className="p-5 lg:col-span-3">
            <div className="flex items-center justify-between">
              <h2 className="text-sm font-semibold text-slate-900">{t("home.recentActivity")}</h2>
              <Link href="/audit" className="text-sm font-medium text-brand-700 hover:underline">
                {t("home.viewAudit")}
              </Link>
            </div>
            {activity.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">{t("home.noActivity")}</p>
            ) : (
              <ul className="mt-3 divide-y divide-slate-100">
                {activity.map((entry) => (
                  <li key={entry.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                    <span className="min-w-0 flex-1">
                      <AuditSentence entry={entry} names={names} />
                    </span>
                    <span className="flex items-center gap-2">
                      <Badge tone={entry.result === "success" ? "success" : "danger"}>{entry.result === "success" ? t("audit.result.success") : t("audit.result.failure")}</Badge>
                      <Time value={entry.createdAt} now={now} className="text-xs text-slate-500" />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}
      </div>
    </div>
  );
}
