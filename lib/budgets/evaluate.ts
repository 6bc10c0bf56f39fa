import { appendAudit } from "@/lib/audit/service";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { type AuditSink, type AuditTarget, type KeyActor, type KeyDeps } from "@/lib/keys/types";
import { enqueueMail } from "@/lib/mail/outbox";
import { teamLeads } from "@/lib/notifications/recipients";
import { notify, type NotifyDeps } from "@/lib/notifications/service";
import { revokeShortTermKeys, type ShortTermDeps } from "@/lib/shortterm/service";
import { periodOf } from "./period";
import { budgetMail } from "./mail";
import { parseThresholds } from "./service";
import { budgetSubjects, spendBySubject, sumSpend } from "./subjects";

/**
 * Budget evaluation: run after each cost ingest and on a schedule (lib/budgets/schedule.ts). For
 * every budget it reads this UTC month's spend from CostDaily, records each threshold crossed once
 * per period (a unique row: however often this runs, and on however many instances, a threshold
 * fires once), tells the owner and the team's leads (bell, webhook, e-mail), takes the optional
 * action at 100 % once per target, and when the month has turned, re-enables what a budget
 * disabled (only that). Enforcement follows the invocation logs, which arrive minutes after the
 * calls: a key is stopped minutes after it crosses its budget, never at the exact call.
 */

export interface BudgetDeps {
  db: PrismaClient;
  now: () => Date;
  /** The key services' dependencies: the action at 100 % disables through the lifecycle service. */
  keys: KeyDeps;
  /** Short-term keys (null when SHORT_TERM_ROLE_ARN is not set: nothing to revoke). */
  shortTerm: ShortTermDeps | null;
  notify: Omit<NotifyDeps, "db" | "now">;
  /** Called after e-mail was queued: starts the mail worker. */
  onMailQueued?: () => void;
}

/** The console acting on its own (audited as "system"): admin scope, no team. */
export const SYSTEM_ACTOR: KeyActor = { id: "system", email: "system", role: "admin", teamIds: [], ledTeamIds: [] };

export interface EvaluationSummary {
  period: string;
  budgets: number;
  alertsFired: number;
  actionsTaken: number;
  actionsFailed: number;
  reenabled: number;
}

type BudgetRow = Awaited<ReturnType<PrismaClient["budget"]["findMany"]>>[number];

export async function evaluateBudgets(deps: BudgetDeps, now: Date = deps.now()): Promise<EvaluationSummary> {
  const period = periodOf(now);
  const summary: EvaluationSummary = { period, budgets: 0, alertsFired: 0, actionsTaken: 0, actionsFailed: 0, reenabled: 0 };
  summary.reenabled = await undoPastActions(deps, period, now);
  const budgets = await deps.db.budget.findMany({ orderBy: { createdAt: "asc" } });
  const bySubject = await spendBySubject(deps.db, period);
  for (const budget of budgets) {
    summary.budgets++;
    const spend = sumSpend(bySubject, await budgetSubjects(deps.db, budget));
    const spent = budget.unit === "usd" ? spend.usd : spend.tokens;
    const percent = budget.amount > 0 ? (spent / budget.amount) * 100 : 0;
    const crossed = parseThresholds(budget.thresholds).filter((t) => percent >= t);
    const fired: number[] = [];
    for (const threshold of crossed) {
      const created = await deps.db.budgetAlert.createMany({ data: [{ budgetId: budget.id, period, threshold, spent, limit: budget.amount, firedAt: now }] }).catch((error: unknown) => {
        if ((error as { code?: string }).code === "P2002") return { count: 0 };
        throw error;
      });
      if (created.count === 1) fired.push(threshold);
    }
    if (fired.length > 0) {
      summary.alertsFired += fired.length;
      const { label } = await recipientsOf(deps.db, budget);
      await appendAudit(
        deps.db,
        { action: "budgets.threshold", result: "success", actorEmail: "system", targetType: "budget", targetId: budget.scopeKey, targetLabel: `${budget.scope}: ${label}`, teamId: budget.teamId, details: { period, thresholds: fired, spent: round(spent), limit: budget.amount, unit: budget.unit } },
        now,
      );
      // One message for the highest threshold crossed: a jump from 0 to 120 % is one event, not three.
      await tell(deps, budget, { kind: "budget.threshold", threshold: Math.max(...fired), spent, percent, period }, now);
    }
    if (budget.enforce && percent >= 100) {
      const result = await enforce(deps, budget, period, now);
      summary.actionsTaken += result.taken;
      summary.actionsFailed += result.failed;
      if (result.taken > 0) await tell(deps, budget, { kind: "budget.enforced", threshold: 100, spent, percent, period, what: result.labels.join(", ") }, now);
    }
  }
  return summary;
}

function round(n: number) {
  return Math.round(n * 10_000) / 10_000;
}

interface Targets {
  keys: { id: string; name: string; status: string }[];
  people: { id: string; email: string }[];
}

async function targetsOf(db: PrismaClient, budget: BudgetRow): Promise<Targets> {
  const keySelect = { id: true, name: true, status: true } as const;
  if (budget.scope === "key" && budget.apiKeyId) return { keys: await db.apiKey.findMany({ where: { id: budget.apiKeyId, state: "present" }, select: keySelect }), people: [] };
  if (budget.scope === "person" && budget.userId) return { keys: [], people: await db.user.findMany({ where: { id: budget.userId }, select: { id: true, email: true } }) };
  if (budget.scope === "team" && budget.teamId) {
    const [keys, members] = await Promise.all([
      db.apiKey.findMany({ where: { teamId: budget.teamId, state: "present" }, select: keySelect }),
      db.teamMembership.findMany({ where: { teamId: budget.teamId }, select: { user: { select: { id: true, email: true } } } }),
    ]);
    return { keys, people: members.map((m) => m.user) };
  }
  return { keys: [], people: [] };
}

/** A sink that collects what a service reports, for the system's own audit entry. */
function collectingAudit(): AuditSink & { targetValue?: AuditTarget; details: Record<string, unknown> } {
  const sink = {
    details: {} as Record<string, unknown>,
    targetValue: undefined as AuditTarget | undefined,
    target(t: AuditTarget) {
      sink.targetValue = t;
    },
    detail(d: Record<string, unknown>) {
      Object.assign(sink.details, d);
    },
  };
  return sink;
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; awsCode?: unknown; name?: unknown } | null;
  if (typeof e?.awsCode === "string") return e.awsCode;
  if (typeof e?.code === "string") return e.code;
  return error instanceof Error ? error.name : "error";
}

/**
 * The action at 100 %, once per budget × period × target: a key already disabled (by someone, or
 * by an earlier run) is left alone and not recorded as the budget's doing, so the month's turn
 * never re-enables a key a person disabled. A failed attempt is recorded and tried again on the
 * next run. Keys go through the lifecycle service — IAM UpdateServiceSpecificCredential, exactly
 * like the Disable button — and are audited as keys.disable by "system" with reason "budget".
 */
async function enforce(deps: BudgetDeps, budget: BudgetRow, period: string, now: Date): Promise<{ taken: number; failed: number; labels: string[] }> {
  const out = { taken: 0, failed: 0, labels: [] as string[] };
  const targets = await targetsOf(deps.db, budget);
  const done = await deps.db.budgetAction.findMany({ where: { budgetId: budget.id, period, status: { in: ["done", "skipped"] } }, select: { kind: true, targetId: true, takenAt: true } });
  const doneRow = (kind: string, id: string) => done.find((d) => d.kind === kind && d.targetId === id);
  const isDone = (kind: string, id: string) => doneRow(kind, id) !== undefined;
  const record = async (kind: string, targetId: string, targetLabel: string, status: string, error: string | null, takenAt: Date = now) => {
    await deps.db.budgetAction.upsert({
      where: { budgetId_period_kind_targetId: { budgetId: budget.id, period, kind, targetId } },
      create: { budgetId: budget.id, period, kind, targetId, targetLabel, status, error, takenAt },
      update: { status, error, takenAt },
    });
  };
  const reason = { reason: "budget", budgetId: budget.id, budget: budget.scopeKey, period };

  for (const key of targets.keys) {
    if (isDone("key.disable", key.id)) continue;
    if (key.status !== "Active") {
      await record("key.disable", key.id, key.name, "skipped", null);
      continue;
    }
    const audit = collectingAudit();
    try {
      await setKeyStatus(deps.keys, SYSTEM_ACTOR, key.id, "Inactive", audit);
      await record("key.disable", key.id, key.name, "done", null);
      out.taken++;
      out.labels.push(key.name);
      await systemAudit(deps.db, "keys.disable", "success", audit, reason, now);
    } catch (error) {
      await record("key.disable", key.id, key.name, "failed", errorCode(error));
      out.failed++;
      await systemAudit(deps.db, "keys.disable", "failure", audit, { ...reason, error: errorCode(error) }, now);
    }
  }
  if (budget.revokeShortTerm && deps.shortTerm?.roleArn) {
    for (const person of targets.people) {
      // A revocation is a cut-off: keys made after it work. So while the budget stays over, keys
      // made since the last revocation are revoked too, at each evaluation (minutes, like the rest).
      const previous = doneRow("shortterm.revoke", person.id);
      // Only people who have short-term keys that are still valid: revoking nothing writes a policy for nothing.
      const live = await deps.db.shortTermIssuance.count({ where: { userId: person.id, expiresAt: { gt: now }, ...(previous ? { issuedAt: { gte: previous.takenAt } } : {}) } });
      if (live === 0) continue;
      const audit = collectingAudit();
      try {
        const revoked = await revokeShortTermKeys(deps.shortTerm, SYSTEM_ACTOR, person.id, audit);
        // Recorded at the revocation's cut-off: keys issued from then on are the ones it did not reach.
        await record("shortterm.revoke", person.id, person.email, "done", null, new Date(revoked.revokedBefore));
        out.taken++;
        out.labels.push(person.email);
        await systemAudit(deps.db, "shortterm.revoke", "success", audit, reason, now);
      } catch (error) {
        await record("shortterm.revoke", person.id, person.email, "failed", errorCode(error));
        out.failed++;
        await systemAudit(deps.db, "shortterm.revoke", "failure", audit, { ...reason, error: errorCode(error) }, now);
      }
    }
  }
  return out;
}

async function systemAudit(db: PrismaClient, action: string, result: "success" | "failure", audit: ReturnType<typeof collectingAudit>, extra: Record<string, unknown>, now: Date) {
  const t = audit.targetValue;
  await appendAudit(
    db,
    { action, result, actorEmail: "system", targetType: t?.type ?? null, targetId: t?.id ?? null, targetLabel: t?.label ?? null, teamId: t?.teamId ?? null, details: { ...audit.details, ...extra } },
    now,
  );
}

/**
 * When the month has turned: keys a budget with "re-enable" disabled in an earlier period are
 * enabled again — only if they are still disabled (a key someone re-enabled, or deleted, is left
 * as it is). Short-term revocations need no undoing: new short-term keys work at once.
 */
async function undoPastActions(deps: BudgetDeps, period: string, now: Date): Promise<number> {
  const due = await deps.db.budgetAction.findMany({
    where: { kind: "key.disable", status: "done", undoneAt: null, period: { lt: period }, budget: { reenable: true } },
    select: { id: true, targetId: true, budgetId: true, period: true, budget: { select: { scopeKey: true } } },
  });
  let reenabled = 0;
  for (const action of due) {
    const key = await deps.db.apiKey.findUnique({ where: { id: action.targetId }, select: { status: true, state: true } });
    if (!key || key.state !== "present" || key.status !== "Inactive") {
      await deps.db.budgetAction.update({ where: { id: action.id }, data: { undoneAt: now, undoStatus: "skipped" } });
      continue;
    }
    const audit = collectingAudit();
    const reason = { reason: "budget_period_ended", budgetId: action.budgetId, budget: action.budget.scopeKey, period: action.period };
    try {
      await setKeyStatus(deps.keys, SYSTEM_ACTOR, action.targetId, "Active", audit);
      await deps.db.budgetAction.update({ where: { id: action.id }, data: { undoneAt: now, undoStatus: "done" } });
      await systemAudit(deps.db, "keys.enable", "success", audit, reason, now);
      reenabled++;
    } catch (error) {
      // Left for the next run (undoneAt stays null).
      await systemAudit(deps.db, "keys.enable", "failure", audit, { ...reason, error: errorCode(error) }, now);
    }
  }
  return reenabled;
}

interface BudgetEvent {
  kind: "budget.threshold" | "budget.enforced";
  threshold: number;
  spent: number;
  percent: number;
  period: string;
  what?: string;
}

/** Owner and leads: a key's owner and its team's leads; the person and their teams' leads; a team's leads. Admins when nobody else. */
async function recipientsOf(db: PrismaClient, budget: BudgetRow): Promise<{ ids: string[]; label: string; href: string }> {
  if (budget.scope === "key" && budget.apiKeyId) {
    const key = await db.apiKey.findUnique({ where: { id: budget.apiKeyId }, select: { name: true, ownerId: true, teamId: true } });
    const leads = key?.teamId ? await teamLeads(db, key.teamId) : [];
    return { ids: [...(key?.ownerId ? [key.ownerId] : []), ...leads], label: key?.name ?? budget.apiKeyId, href: `/keys/${budget.apiKeyId}` };
  }
  if (budget.scope === "person" && budget.userId) {
    const user = await db.user.findUnique({ where: { id: budget.userId }, select: { email: true, memberships: { select: { teamId: true } } } });
    const leads = (await Promise.all((user?.memberships ?? []).map((m) => teamLeads(db, m.teamId)))).flat();
    return { ids: [budget.userId, ...leads], label: user?.email ?? budget.userId, href: "/budgets" };
  }
  const team = budget.teamId ? await db.team.findUnique({ where: { id: budget.teamId }, select: { name: true } }) : null;
  return { ids: budget.teamId ? await teamLeads(db, budget.teamId) : [], label: team?.name ?? "", href: "/budgets" };
}

async function tell(deps: BudgetDeps, budget: BudgetRow, event: BudgetEvent, now: Date) {
  const who = await recipientsOf(deps.db, budget);
  let ids = [...new Set(who.ids)];
  if (ids.length === 0) ids = (await deps.db.user.findMany({ where: { role: "admin", active: true }, select: { id: true } })).map((u) => u.id);
  const active = await deps.db.user.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, email: true, locale: true, timeZone: true } });
  const params = {
    scope: budget.scope,
    label: who.label,
    threshold: event.threshold,
    percent: Math.floor(event.percent),
    // Numbers, written in each reader's language when shown (lib/notifications/kinds.ts).
    spent: round(event.spent),
    limit: budget.amount,
    unit: budget.unit,
    period: event.period,
    ...(event.what ? { what: event.what } : {}),
  };
  const told = await notify(
    { ...deps.notify, db: deps.db, now: () => now },
    {
      kind: event.kind,
      recipients: active.map((u) => u.id),
      params,
      href: who.href,
      dedupeKey: `${event.kind}:${budget.id}:${event.period}:${event.threshold}`,
      data: { budgetId: budget.id, scope: budget.scope, label: who.label, unit: budget.unit, limit: budget.amount, spent: round(event.spent), percent: Math.floor(event.percent), threshold: event.threshold, period: event.period, ...(event.what ? { what: event.what } : {}) },
    },
  );
  // Said already (a repeated action in the same period): the bell and the webhook stay quiet, so does e-mail.
  if (told.created === 0 && active.length > 0) return;
  const queued = await enqueueMail(deps.db, event.kind, active.map((u) => ({ to: u.email, ...budgetMail(event.kind, params, deps.notify.appUrl ? new URL(who.href, deps.notify.appUrl).toString() : null, u) })), now);
  if (queued > 0) deps.onMailQueued?.();
}
