import { ActionError } from "@/lib/actions/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink, KeyActor } from "@/lib/keys/types";
import { periodOf } from "./period";
import type { BudgetInput, BudgetPolicyInput, BudgetScope, BudgetUnit } from "./schemas";
import { budgetSubjects, type Spend, spendBySubject, sumSpend } from "./subjects";

export const BUDGET_TARGET = "budget";
const POLICY_ID = "org";

export type BudgetActor = Pick<KeyActor, "id" | "email" | "role" | "ledTeamIds">;

/** What the budget is for, looked up on the server: its label and the team it belongs to (for audit and scope). */
interface Subject {
  label: string;
  /** The key's team, the team itself; null for a person (people can be in several teams). */
  teamId: string | null;
}

async function lookUpSubject(db: PrismaClient, scope: BudgetScope, targetId: string): Promise<Subject> {
  if (scope === "key") {
    const key = await db.apiKey.findFirst({ where: { id: targetId, state: "present" }, select: { name: true, teamId: true } });
    if (!key) throw new ActionError("notFound");
    return { label: key.name, teamId: key.teamId };
  }
  if (scope === "person") {
    const user = await db.user.findFirst({ where: { id: targetId }, select: { email: true } });
    if (!user) throw new ActionError("notFound");
    return { label: user.email, teamId: null };
  }
  const team = await db.team.findUnique({ where: { id: targetId }, select: { name: true } });
  if (!team) throw new ActionError("notFound");
  return { label: team.name, teamId: targetId };
}

/**
 * Who may set a budget on what: admins on anything; leads on the keys of teams they lead and on
 * those teams, in an amount up to the ceiling an admin set for that unit. Anything else is "not
 * found", as for keys outside someone's scope.
 */
async function assertMaySet(db: PrismaClient, actor: BudgetActor, scope: BudgetScope, subject: Subject, unit: BudgetUnit, amount: number) {
  if (actor.role === "admin") return;
  if (actor.role !== "lead" || scope === "person" || !subject.teamId || !actor.ledTeamIds.includes(subject.teamId)) throw new ActionError("notFound");
  const policy = await getBudgetPolicy(db);
  const ceiling = unit === "usd" ? policy.leadCeilingUsd : policy.leadCeilingTokens;
  if (ceiling === null) throw new ActionError("budgets.noLeadCeiling", {}, { amount: { code: "field.budgetNoCeiling" } });
  if (amount > ceiling) throw new ActionError("budgets.overCeiling", { ceiling }, { amount: { code: "field.budgetOverCeiling", params: { ceiling } } });
}

export function scopeKeyOf(scope: BudgetScope, targetId: string): string {
  return `${scope}:${targetId}`;
}

const budgetColumns = { apiKeyId: null, userId: null, teamId: null } as { apiKeyId: string | null; userId: string | null; teamId: string | null };

/** Create or replace the budget of a key, person or team (one each). Audited as budgets.set. */
export async function setBudget(db: PrismaClient, actor: BudgetActor, input: BudgetInput, audit: AuditSink): Promise<{ budgetId: string }> {
  const subject = await lookUpSubject(db, input.scope, input.targetId);
  audit.target({ type: BUDGET_TARGET, id: scopeKeyOf(input.scope, input.targetId), label: `${input.scope}: ${subject.label}`, teamId: subject.teamId });
  await assertMaySet(db, actor, input.scope, subject, input.unit, input.amount);
  const scopeKey = scopeKeyOf(input.scope, input.targetId);
  const before = await db.budget.findUnique({ where: { scopeKey }, select: { unit: true, amount: true, thresholds: true, enforce: true, revokeShortTerm: true, reenable: true } });
  const columns = { ...budgetColumns, ...(input.scope === "key" ? { apiKeyId: input.targetId } : input.scope === "person" ? { userId: input.targetId } : { teamId: input.targetId }) };
  // Revoking short-term keys is an admin's power (shortterm.revoke): a lead's team budget acts on the team's keys only.
  const revokeShortTerm = input.enforce && input.scope !== "key" && actor.role === "admin";
  const values = { unit: input.unit, amount: input.amount, thresholds: JSON.stringify(input.thresholds), enforce: input.enforce, revokeShortTerm, reenable: input.reenable, updatedByEmail: actor.email };
  const saved = await db.budget.upsert({
    where: { scopeKey },
    create: { scope: input.scope, scopeKey, ...columns, ...values, createdById: actor.id, createdByEmail: actor.email },
    update: values,
    select: { id: true },
  });
  audit.detail({
    scope: input.scope,
    before: before ? { ...before, thresholds: JSON.parse(before.thresholds) as number[] } : null,
    after: { ...values, thresholds: input.thresholds, updatedByEmail: undefined },
  });
  return { budgetId: saved.id };
}

/** Remove a budget (same rule as setting it; its alerts go with it, the audit keeps them). */
export async function deleteBudget(db: PrismaClient, actor: BudgetActor, budgetId: string, audit: AuditSink): Promise<void> {
  const budget = await db.budget.findUnique({ where: { id: budgetId } });
  if (!budget) throw new ActionError("notFound");
  const targetId = budget.apiKeyId ?? budget.userId ?? budget.teamId ?? "";
  const scope = budget.scope as BudgetScope;
  const subject = await lookUpSubject(db, scope, targetId).catch(() => ({ label: targetId, teamId: budget.teamId }));
  audit.target({ type: BUDGET_TARGET, id: budget.scopeKey, label: `${scope}: ${subject.label}`, teamId: subject.teamId });
  if (actor.role !== "admin" && !(actor.role === "lead" && scope !== "person" && subject.teamId && actor.ledTeamIds.includes(subject.teamId))) throw new ActionError("notFound");
  const deleted = await db.budget.deleteMany({ where: { id: budget.id, updatedAt: budget.updatedAt } });
  if (deleted.count !== 1) throw new ActionError("conflict");
  audit.detail({ unit: budget.unit, amount: budget.amount, enforce: budget.enforce });
}

export interface BudgetPolicyView {
  leadCeilingUsd: number | null;
  leadCeilingTokens: number | null;
}

export async function getBudgetPolicy(db: PrismaClient): Promise<BudgetPolicyView> {
  const row = await db.budgetPolicy.findUnique({ where: { id: POLICY_ID } });
  return { leadCeilingUsd: row?.leadCeilingUsd ?? null, leadCeilingTokens: row?.leadCeilingTokens ?? null };
}

export async function setBudgetPolicy(db: PrismaClient, actor: BudgetActor, input: BudgetPolicyInput, audit: AuditSink): Promise<BudgetPolicyView> {
  audit.target({ type: "budgetPolicy", id: POLICY_ID, label: "Budget ceilings for leads" });
  const before = await getBudgetPolicy(db);
  await db.budgetPolicy.upsert({ where: { id: POLICY_ID }, create: { id: POLICY_ID, ...input, updatedByEmail: actor.email }, update: { ...input, updatedByEmail: actor.email } });
  audit.detail({ before, after: input });
  return getBudgetPolicy(db);
}

/**
 * Budgets a person may see: admins all; leads those of the teams they lead, of those teams' keys,
 * of their own keys and of themselves and their teams' members; developers those of their own
 * keys and of themselves.
 */
export async function budgetReadScope(db: PrismaClient, viewer: Pick<KeyActor, "id" | "role" | "ledTeamIds">): Promise<Prisma.BudgetWhereInput> {
  if (viewer.role === "admin") return {};
  if (viewer.role !== "lead" && viewer.role !== "developer") return { id: { in: [] } };
  const led = viewer.role === "lead" ? viewer.ledTeamIds : [];
  const keys = await db.apiKey.findMany({ where: { OR: [{ ownerId: viewer.id }, { teamId: { in: led } }] }, select: { id: true } });
  const members = led.length ? await db.teamMembership.findMany({ where: { teamId: { in: led } }, select: { userId: true } }) : [];
  return {
    OR: [{ apiKeyId: { in: keys.map((k) => k.id) } }, { userId: { in: [viewer.id, ...members.map((m) => m.userId)] } }, ...(led.length ? [{ teamId: { in: led } }] : [])],
  };
}

export interface BudgetState {
  id: string;
  scope: BudgetScope;
  targetId: string;
  label: string;
  teamId: string | null;
  unit: BudgetUnit;
  amount: number;
  spent: number;
  percent: number;
  unpricedCalls: number;
  thresholds: number[];
  fired: { threshold: number; firedAt: string }[];
  enforce: boolean;
  revokeShortTerm: boolean;
  reenable: boolean;
  actions: { kind: string; targetLabel: string; status: string; takenAt: string; undoneAt: string | null }[];
  period: string;
}

export function parseThresholds(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((n): n is number => typeof n === "number").sort((a, b) => a - b) : [];
  } catch {
    return [];
  }
}

/** Budgets with this period's spend, fired thresholds and actions (for the pages). */
export async function budgetStates(db: PrismaClient, where: Prisma.BudgetWhereInput, now: Date): Promise<BudgetState[]> {
  const period = periodOf(now);
  const rows = await db.budget.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take: 500,
    include: { alerts: { where: { period }, orderBy: { threshold: "asc" } }, actions: { where: { period }, orderBy: { takenAt: "asc" } } },
  });
  const bySubject = rows.length ? await spendBySubject(db, period) : new Map<string, Spend>();
  return Promise.all(
    rows.map(async (b) => {
      const scope = b.scope as BudgetScope;
      const targetId = b.apiKeyId ?? b.userId ?? b.teamId ?? "";
      const subject = await lookUpSubject(db, scope, targetId).catch(() => ({ label: targetId, teamId: b.teamId }));
      const spend = sumSpend(bySubject, await budgetSubjects(db, b));
      const spent = b.unit === "usd" ? spend.usd : spend.tokens;
      return {
        id: b.id,
        scope,
        targetId,
        label: subject.label,
        teamId: subject.teamId,
        unit: b.unit as BudgetUnit,
        amount: b.amount,
        spent,
        percent: b.amount > 0 ? (spent / b.amount) * 100 : 0,
        unpricedCalls: spend.unpricedCalls,
        thresholds: parseThresholds(b.thresholds),
        fired: b.alerts.map((a) => ({ threshold: a.threshold, firedAt: a.firedAt.toISOString() })),
        enforce: b.enforce,
        revokeShortTerm: b.revokeShortTerm,
        reenable: b.reenable,
        actions: b.actions.map((a) => ({ kind: a.kind, targetLabel: a.targetLabel, status: a.status, takenAt: a.takenAt.toISOString(), undoneAt: a.undoneAt?.toISOString() ?? null })),
        period,
      };
    }),
  );
}
