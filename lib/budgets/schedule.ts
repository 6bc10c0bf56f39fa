import "server-only";
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { log } from "@/lib/log";
import { startMailWorker } from "@/lib/mail/worker";
import { budgetDeps } from "./deps";
import { evaluateBudgets, type EvaluationSummary } from "./evaluate";
import { evaluateUntilRun } from "./soon";

const LEASE = "budget-evaluation";
/** Longer than any evaluation (each action is a few IAM calls); a crashed holder's lease frees itself after it. */
const LEASE_TTL_MS = 10 * 60_000;
const FIRST_RUN_DELAY_MS = 30_000;
const globalForSchedule = globalThis as unknown as { __budgetSchedule?: NodeJS.Timeout };

/**
 * One evaluation under a database lease, so however many instances run (and however the cost
 * ingest and the timer overlap) only one evaluates at a time. null: another holds the lease (it
 * may have read the rollups before the newest cost rows: evaluateBudgetsSoon then tries again).
 */
export async function runBudgetEvaluation(): Promise<EvaluationSummary | null> {
  const deps = budgetDeps();
  const holder = randomUUID();
  if (!(await acquireLease(deps.db, LEASE, holder, LEASE_TTL_MS, deps.now()))) return null;
  try {
    return await evaluateBudgets(deps);
  } finally {
    await releaseLease(deps.db, LEASE, holder);
  }
}

/**
 * For the cost ingest: evaluate right after new cost rows landed — and if another evaluation holds
 * the lease, again once it is done (lib/budgets/soon.ts); never throws into the ingest.
 */
export function evaluateBudgetsSoon(): void {
  evaluateUntilRun(runBudgetEvaluation)
    .then((s) => {
      if (s && s.alertsFired + s.actionsTaken + s.actionsFailed + s.reenabled > 0) log().info(s, "budgets evaluated");
    })
    .catch((err: unknown) => log().error({ err }, "budget evaluation failed"));
}

/** The timer's evaluation: a busy lease means another is evaluating right now, which is as good. */
function evaluateOnSchedule(): void {
  runBudgetEvaluation()
    .then((s) => {
      if (s && s.alertsFired + s.actionsTaken + s.actionsFailed + s.reenabled > 0) log().info(s, "budgets evaluated");
    })
    .catch((err: unknown) => log().error({ err }, "budget evaluation failed"));
}

/** Started from lib/startup.ts: every BUDGET_EVALUATE_MINUTES, and the e-mail worker's retries. */
export function startBudgetSchedule(): void {
  startMailWorker();
  const minutes = config().BUDGET_EVALUATE_MINUTES;
  if (minutes === 0 || globalForSchedule.__budgetSchedule) return;
  setTimeout(evaluateOnSchedule, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__budgetSchedule = setInterval(evaluateOnSchedule, Math.round(minutes * 60_000));
  globalForSchedule.__budgetSchedule.unref();
}
