import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadPosturePage, offeredFixes } from "@/lib/posture/loaders";
import { describeFinding, policyNames } from "@/lib/posture/describe";
import { EvaluateButton } from "@/components/posture/evaluate-button";
import { ReopenButton } from "@/components/posture/reopen-button";
import { RuleTable } from "@/components/posture/rule-table";
import { SettingsPanel } from "@/components/posture/settings-panel";
import { TrendChart } from "@/components/posture/trend-chart";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("posture");
  return { title: t("title") };
}

const TONE = { high: "danger", medium: "warning", low: "neutral" } as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

export default async function PosturePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, now, expand, data, settings, teams, isAdmin, canAccept, canEvaluate } = await loadPosturePage(await searchParams);
  const t = await getTranslations("posture");
  const td = await getTranslations("posture.detail");
  const minUntil = day(new Date(now.getTime() + 86_400_000));
  const defaultUntil = day(new Date(now.getTime() + 30 * 86_400_000));

  return (
    <div className="mx-auto max-w-[96rem] space-y-6">
      <PageHeader title={t("title")} description={t(`intro.${user.role === "admin" ? "admin" : "lead"}`)} actions={canEvaluate ? <EvaluateButton last={data.last} now={now} /> : null} />

      <div className="grid gap-4 sm:grid-cols-3">
        <Card className="p-4">
          <p className="text-sm text-slate-600">{t("summary.open")}</p>
          <p className="text-2xl font-semibold text-slate-900" data-testid="posture-open">{data.total}</p>
        </Card>
        <Card className="p-4">
          <p className="text-sm text-slate-600">{t("summary.rules")}</p>
          <p className="text-2xl font-semibold text-slate-900">{data.rules.length}</p>
        </Card>
        <Card className="p-4">
          <p className="text-sm text-slate-600">{t("summary.accepted")}</p>
          <p className="text-2xl font-semibold text-slate-900">{data.accepted.length}</p>
        </Card>
      </div>

      {data.rules.length === 0 ? <Card className="p-4 text-sm text-slate-700">{t("summary.clean")}</Card> : null}

      {data.rules.map((r) => (
        <Card key={r.rule} className="p-4" aria-labelledby={`rule-${r.rule}`}>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <Badge tone={TONE[r.severity as keyof typeof TONE]}>{t(`severity.${r.severity}`)}</Badge>
            <h2 id={`rule-${r.rule}`} className="text-base font-semibold text-slate-900">
              {t(`rules.${r.rule}.title`)} <span className="text-slate-500">({r.open})</span>
            </h2>
          </div>
          <p className="mb-3 text-sm text-slate-600">{t(`rules.${r.rule}.description`, { days: settings.unusedDays })}</p>
          <RuleTable
            title={t(`rules.${r.rule}.title`)}
            rows={r.findings.map((f) => ({
              id: f.id,
              label: f.label,
              apiKeyId: f.apiKeyId,
              iamUserName: f.iamUserName,
              why: describeFinding(f.rule, f.detail, td),
              since: f.firstSeenAt.slice(0, 10),
              fixes: offeredFixes(user.role, f.rule, f.apiKeyId !== null),
              policies: policyNames(f.detail),
            }))}
            canAccept={canAccept}
            defaultUntil={defaultUntil}
            minUntil={minUntil}
          />
          {r.open > r.findings.length ? (
            <Link href={`/posture?rule=${r.rule}`} className="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline">
              {t("table.showAll", { count: r.open })}
            </Link>
          ) : expand === r.rule ? (
            <Link href="/posture" className="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline">
              {t("table.showFewer")}
            </Link>
          ) : null}
        </Card>
      ))}

      <Card className="p-4">
        <h2 className="mb-3 text-base font-semibold text-slate-900">{t("accept.heading")}</h2>
        {data.accepted.length === 0 ? (
          <p className="text-sm text-slate-600">{t("accept.none")}</p>
        ) : (
          <Table regionLabel={t("accept.heading")}>
            <THead>
              <Tr>
                <Th>{t("table.key")}</Th>
                <Th>{t("table.detail")}</Th>
                <Th>{t("accept.reason")}</Th>
                <Th>{t("accept.by")}</Th>
                <Th>{t("accept.until")}</Th>
                <Th>{t("table.actions")}</Th>
              </Tr>
            </THead>
            <TBody>
              {data.accepted.map((a) => (
                <Tr key={a.id}>
                  <Td className="font-medium">
                    {a.label} <span className="text-xs text-slate-500">({t(`rules.${a.rule}.title`)})</span>
                  </Td>
                  <Td className="text-sm">{describeFinding(a.rule, a.detail, td)}</Td>
                  <Td className="text-sm">{a.reason}</Td>
                  <Td className="text-sm">{a.acceptedByEmail}</Td>
                  <Td className="whitespace-nowrap text-sm">{a.expiresAt.slice(0, 10)}</Td>
                  <Td>{canAccept ? <ReopenButton findingId={a.id} /> : null}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      <TrendChart trend={data.trend} />

      {isAdmin ? <SettingsPanel settings={settings} teams={teams} /> : null}
    </div>
  );
}
