import "server-only";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { periodOf } from "./period";
import { budgetReadScope, budgetStates, getBudgetPolicy, type BudgetState } from "./service";

/** May this viewer change or remove this budget? (The same rule the service enforces.) */
export function canManageBudget(user: Pick<SessionUser, "role" | "ledTeamIds">, budget: Pick<BudgetState, "scope" | "teamId">): boolean {
  if (!can(user.role, "budgets.manage")) return false;
  if (user.role === "admin") return true;
  return budget.scope !== "person" && budget.teamId !== null && user.ledTeamIds.includes(budget.teamId);
}

/** /budgets: the budgets the viewer may see, and what they may set a budget on. */
export async function loadBudgetsPage() {
  const user = await requireUser();
  if (!can(user.role, "budgets.read")) notFound();
  const now = new Date();
  const states = await budgetStates(db(), await budgetReadScope(db(), user), now);
  const manage = can(user.role, "budgets.manage");
  const admin = user.role === "admin";
  const teamWhere = admin ? {} : { id: { in: user.ledTeamIds } };
  const [keys, teams, people, policy] = await Promise.all([
    manage ? db().apiKey.findMany({ where: { state: "present", ...(admin ? {} : { teamId: { in: user.ledTeamIds } }) }, orderBy: { name: "asc" }, take: 1000, select: { id: true, name: true } }) : [],
    manage ? db().team.findMany({ where: teamWhere, orderBy: { name: "asc" }, select: { id: true, name: true } }) : [],
    admin ? db().user.findMany({ where: { active: true }, orderBy: { email: "asc" }, take: 1000, select: { id: true, email: true } }) : [],
    getBudgetPolicy(db()),
  ]);
  return {
    user,
    budgets: states.map((b) => ({ ...b, canManage: canManageBudget(user, b) })),
    options: manage ? { keys, teams, people: people.map((p) => ({ id: p.id, name: p.email })) } : null,
    policy,
    canSetPolicy: can(user.role, "budgets.policy"),
    isAdmin: admin,
    now: now.toISOString(),
  };
}

/**
 * Budgets at or above `percent` of their limit this month, within the viewer's scope (home page).
 * Only budgets the last evaluation found at that level (a threshold of `percent` or more fired this
 * month) are read in full, so the home page stays fast with many budgets.
 */
export async function budgetsNearLimit(user: Pick<SessionUser, "id" | "role" | "ledTeamIds">, percent = 80): Promise<BudgetState[]> {
  if (!can(user.role, "budgets.read")) return [];
  const now = new Date();
  const where = { AND: [await budgetReadScope(db(), user), { alerts: { some: { period: periodOf(now), threshold: { gte: percent } } } }] };
  const states = await budgetStates(db(), where, now);
  return states.filter((b) => b.percent >= percent).sort((a, b) => b.percent - a.percent);
}

/** The key page: the key's budget, if it has one (the page has already checked the viewer sees the key). */
export async function keyBudget(user: Pick<SessionUser, "role">, keyId: string): Promise<BudgetState | null> {
  if (!can(user.role, "budgets.read")) return null;
  return (await budgetStates(db(), { apiKeyId: keyId }, new Date()))[0] ?? null;
}
