"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
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
