"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import { priceOverrideSchema, priceRevertSchema, revertPriceOverride, setPriceOverride } from "./prices";

// Settings → Prices (admins). Thin: defineAction validates (the messages say the allowed range),
// authenticates, authorizes and audits; the service supersedes and inserts, and tells the audit
// entry the price in force before and after.

export const setModelPrice = defineAction({
  name: "prices.override",
  permission: "policy.manage",
  schema: priceOverrideSchema,
  run: async (input, ctx) => {
    const row = await setPriceOverride(ctx.db, ctx.user, input, ctx);
    revalidatePath("/settings");
    return { id: row.id };
  },
});

export const revertModelPrice = defineAction({
  name: "prices.revert",
  permission: "policy.manage",
  schema: priceRevertSchema,
  run: async (input, ctx) => {
    const result = await revertPriceOverride(ctx.db, input, ctx);
    revalidatePath("/settings");
    return result;
  },
});
