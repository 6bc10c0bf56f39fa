import "server-only";
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { log } from "@/lib/log";
import { startMailWorker } from "@/lib/mail/worker";
import { budgetDeps } from "./deps";
import { evaluateBudgets, type EvaluationSummary } from "./evaluate";

const LEASE = "budget-evaluation";
/** Longer than any evaluation (each action is a few IAM calls); a crashed holder's lease frees itself after it. */
const LEASE_TTL_MS = 10 * 60_000;
const FIRST_RUN_DELAY_MS = 30_000;
const globalForSchedule = globalThis as unknown as { __budgetSchedule?: NodeJS.Timeout };

/**
 * One evaluation under a database lease, so however many instances run (and however the cost
 * ingest and the timer overlap) only one evaluates at a time. null: another holds the lease —
 * it reads the same rollups, so nothing is missed.
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

/** For the cost ingest: evaluate right after new cost rows landed; never throws into the ingest. */
export function evaluateBudgetsSoon(): void {
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
  setTimeout(evaluateBudgetsSoon, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__budgetSchedule = setInterval(evaluateBudgetsSoon, Math.round(minutes * 60_000));
  globalForSchedule.__budgetSchedule.unref();
}
