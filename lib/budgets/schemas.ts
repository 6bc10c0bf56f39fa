import { z } from "zod";

/** Budget forms (shared by the forms and their actions). */

export const BUDGET_SCOPES = ["key", "person", "team"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_UNITS = ["usd", "tokens"] as const;
export type BudgetUnit = (typeof BUDGET_UNITS)[number];

/**
 * Upper bounds that no real monthly budget reaches: beyond them the figure is a typo (a pasted
 * number, an extra zero run) and is refused rather than silently making the budget meaningless.
 */
export const MAX_USD = 10_000_000;
export const MAX_TOKENS = 1_000_000_000_000;
export const DEFAULT_THRESHOLDS = [50, 80, 100];

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

/** "50, 80, 100" → [50, 80, 100]: whole percentages 1–1000, each once, at most 10. */
export const thresholdsSchema = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? [] : v.split(/[\s,]+/).filter(Boolean)) : v),
  z
    .array(z.coerce.number({ message: "field.budgetThresholds" }).int({ message: "field.budgetThresholds" }).min(1, { message: "field.budgetThresholds" }).max(1000, { message: "field.budgetThresholds" }))
    .min(1, { message: "field.budgetThresholds" })
    .max(10, { message: "field.budgetThresholds" })
    .refine((a) => new Set(a).size === a.length, { message: "field.budgetThresholds" })
    .transform((a) => [...a].sort((x, y) => x - y)),
);

export const budgetFormSchema = z
  .object({
    scope: z.enum(BUDGET_SCOPES),
    /** The key's, person's or team's id; looked up and checked on the server. */
    targetId: z.string().trim().min(1).max(100),
    unit: z.enum(BUDGET_UNITS),
    amount: z.preprocess((v) => (typeof v === "string" ? v.trim().replace(/[,_\s]/g, "") : v), z.coerce.number({ message: "field.budgetAmount" })),
    thresholds: thresholdsSchema.default(DEFAULT_THRESHOLDS),
    enforce: checkbox,
    reenable: checkbox,
  })
  .superRefine((b, ctx) => {
    if (!Number.isFinite(b.amount) || b.amount <= 0) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "field.budgetPositive" });
      return;
    }
    const max = b.unit === "usd" ? MAX_USD : MAX_TOKENS;
    if (b.amount > max) ctx.addIssue({ code: "custom", path: ["amount"], message: "field.budgetTooLarge", params: { max } });
    else if (b.unit === "usd" && Math.round(b.amount * 100) !== b.amount * 100) ctx.addIssue({ code: "custom", path: ["amount"], message: "field.budgetCents" });
    else if (b.unit === "tokens" && !Number.isInteger(b.amount)) ctx.addIssue({ code: "custom", path: ["amount"], message: "field.budgetWholeTokens" });
    if (b.reenable && !b.enforce) ctx.addIssue({ code: "custom", path: ["reenable"], message: "field.budgetReenable" });
  });

export type BudgetInput = z.output<typeof budgetFormSchema>;

const optionalCeiling = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? null : v.trim().replace(/[,_\s]/g, "")) : v),
    z.union([z.null(), z.coerce.number({ message: "field.budgetAmount" }).refine((n) => Number.isFinite(n) && n > 0, { message: "field.budgetPositive" }).refine((n) => n <= max, { message: "field.budgetTooLarge", params: { max } })]),
  );

/** The ceilings leads work under (empty: leads may not set budgets in that unit). */
export const budgetPolicySchema = z.object({
  leadCeilingUsd: optionalCeiling(MAX_USD),
  leadCeilingTokens: optionalCeiling(MAX_TOKENS),
});

export type BudgetPolicyInput = z.output<typeof budgetPolicySchema>;

export const budgetIdSchema = z.object({ budgetId: z.string().trim().min(1).max(100) });
