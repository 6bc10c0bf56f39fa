"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { runBudgetEvaluation } from "./schedule";
import { budgetFormSchema, budgetIdSchema, budgetPolicySchema } from "./schemas";
import { deleteBudget, setBudget, setBudgetPolicy } from "./service";

/** Set (or replace) a budget: admins anywhere, leads on their teams and their teams' keys within the ceiling. */
export const saveBudget = defineAction({
  name: "budgets.set",
  permission: "budgets.manage",
  schema: budgetFormSchema,
  run: async (input, ctx) => {
    const result = await setBudget(ctx.db, ctx.user, input, ctx);
    revalidatePath("/budgets");
    return result;
  },
});

export const removeBudget = defineAction({
  name: "budgets.delete",
  permission: "budgets.manage",
  schema: budgetIdSchema,
  run: async (input, ctx) => {
    await deleteBudget(ctx.db, ctx.user, input.budgetId, ctx);
    revalidatePath("/budgets");
    return { budgetId: input.budgetId };
  },
});

/** The ceilings leads' budgets must stay within (admins). */
export const saveBudgetPolicy = defineAction({
  name: "budgets.policy",
  permission: "budgets.policy",
  schema: budgetPolicySchema,
  run: async (input, ctx) => {
    const policy = await setBudgetPolicy(ctx.db, ctx.user, input, ctx);
    revalidatePath("/budgets");
    return policy;
  },
});

/**
 * Evaluate every budget now instead of waiting for the schedule (after a cost ingest someone
 * started by hand, or to watch a budget act in the demo). Under the same lease as the schedule.
 */
export const evaluateBudgetsNow = defineAction({
  name: "budgets.evaluate",
  permission: "budgets.manage",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: "budgets", id: "all", label: "Budgets" });
    const summary = await runBudgetEvaluation();
    if (!summary) throw new ActionError("budgets.evaluationRunning");
    ctx.detail({ ...summary });
    revalidatePath("/budgets");
    return summary;
  },
});
