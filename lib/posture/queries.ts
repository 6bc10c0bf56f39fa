import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { KeyActor } from "@/lib/keys/types";
import { RULES, RULE_INFO, SEVERITY_ORDER, type RuleId } from "./rules";
import { findingScope, findingSelect, parseDetail } from "./scope";
import { dayOf } from "./trend";

/**
 * What /posture shows, from stored results only (no AWS call): per rule the open count and the
 * first affected keys, the accepted risks apart, the trend, and the last evaluation. A handful of
 * indexed queries whatever the number of keys (docs/posture.md, bench/posture.ts).
 */

export const FINDINGS_SHOWN = 10;
export const FINDINGS_SHOWN_ALL = 500;
export const TREND_DAYS = 30;

export interface FindingView {
  id: string;
  rule: RuleId;
  severity: string;
  apiKeyId: string | null;
  iamUserName: string;
  label: string;
  detail: Record<string, unknown>;
  firstSeenAt: string;
}

export interface AcceptedView extends FindingView {
  reason: string;
  expiresAt: string;
  acceptedByEmail: string;
}

export interface RuleView {
  rule: RuleId;
  severity: string;
  open: number;
  findings: FindingView[];
}

function view(r: { id: string; rule: string; severity: string; apiKeyId: string | null; iamUserName: string; label: string; detail: string; firstSeenAt: Date }): FindingView {
  return { id: r.id, rule: r.rule as RuleId, severity: r.severity, apiKeyId: r.apiKeyId, iamUserName: r.iamUserName, label: r.label, detail: parseDetail(r.detail), firstSeenAt: r.firstSeenAt.toISOString() };
}

export async function loadPosture(db: PrismaClient, actor: Pick<KeyActor, "role" | "ledTeamIds">, now: Date, expand: RuleId | null = null) {
  const scope = findingScope(actor);
  const acceptances = await db.postureAcceptance.findMany({
    where: { expiresAt: { gt: now }, ...(actor.role === "admin" ? {} : { teamId: { in: actor.ledTeamIds } }) },
    select: { fingerprint: true, reason: true, expiresAt: true, acceptedByEmail: true },
  });
  const acceptedFps = acceptances.map((a) => a.fingerprint);
  const open = { AND: [scope, ...(acceptedFps.length ? [{ fingerprint: { notIn: acceptedFps } }] : [])] };
  const [counts, acceptedRows, trendRows, last] = await Promise.all([
    db.postureFinding.groupBy({ by: ["rule"], where: open, _count: { _all: true } }),
    acceptedFps.length ? db.postureFinding.findMany({ where: { AND: [scope, { fingerprint: { in: acceptedFps } }] }, select: findingSelect }) : [],
    db.postureDaily.findMany({
      where: { day: { gte: dayOf(new Date(now.getTime() - TREND_DAYS * 86_400_000)) }, ...(actor.role === "admin" ? {} : { teamId: { in: actor.ledTeamIds } }) },
      select: { day: true, rule: true, count: true },
    }),
    db.postureEvaluation.findFirst({ where: { finishedAt: { not: null } }, orderBy: { id: "desc" }, select: { finishedAt: true, result: true, findings: true, totalCalls: true, trigger: true } }),
  ]);
  const countOf = new Map(counts.map((c) => [c.rule, c._count._all]));
  const rules: RuleView[] = await Promise.all(
    RULES.filter((r) => (countOf.get(r) ?? 0) > 0).map(async (rule) => ({
      rule,
      severity: RULE_INFO[rule].severity,
      open: countOf.get(rule) ?? 0,
      findings: (
        await db.postureFinding.findMany({
          where: { AND: [open, { rule }] },
          select: findingSelect,
          orderBy: [{ label: "asc" }, { id: "asc" }],
          take: expand === rule ? FINDINGS_SHOWN_ALL : FINDINGS_SHOWN,
        })
      ).map(view),
    })),
  );
  rules.sort((a, b) => SEVERITY_ORDER[a.severity as keyof typeof SEVERITY_ORDER] - SEVERITY_ORDER[b.severity as keyof typeof SEVERITY_ORDER] || b.open - a.open);
  const byFp = new Map(acceptances.map((a) => [a.fingerprint, a]));
  const accepted: AcceptedView[] = acceptedRows.map((r) => {
    const a = byFp.get(r.fingerprint)!;
    return { ...view(r), reason: a.reason, expiresAt: a.expiresAt.toISOString(), acceptedByEmail: a.acceptedByEmail };
  });
  // The trend: one point per day, a series per rule (sums over the teams in scope).
  const days = new Map<string, Record<string, number>>();
  for (const t of trendRows) {
    const d = days.get(t.day) ?? {};
    d[t.rule] = (d[t.rule] ?? 0) + t.count;
    days.set(t.day, d);
  }
  const trend = [...days.keys()].sort().map((day) => ({ day, ...Object.fromEntries(RULES.map((r) => [r, days.get(day)![r] ?? 0])) })) as ({ day: string } & Record<RuleId, number>)[];
  return {
    rules,
    total: rules.reduce((a, r) => a + r.open, 0),
    accepted,
    trend,
    last: last ? { finishedAt: last.finishedAt!.toISOString(), result: last.result, findings: last.findings, totalCalls: last.totalCalls, trigger: last.trigger } : null,
  };
}

export type PostureData = Awaited<ReturnType<typeof loadPosture>>;
