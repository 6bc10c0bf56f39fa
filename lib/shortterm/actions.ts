"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import { shortTermDeps } from "./deps";
import { revokeShortTermSchema, generateShortTermSchema } from "./schemas";
import { generateShortTermKey as generate, revokeShortTermKeys as revoke } from "./service";

// Short-term keys. Anyone with shortterm.generate makes keys for themself only (the person is
// the session user, never an input). The token is in the result once, never in ctx.detail.

export const generateShortTermKey = defineAction({
  name: "shortterm.generate",
  permission: "shortterm.generate",
  schema: generateShortTermSchema,
  run: async (input, ctx) => {
    const reveal = await generate(shortTermDeps(), ctx.user, input, ctx);
    revalidatePath("/short-term-keys");
    return reveal;
  },
});

export const revokeShortTermKeys = defineAction({
  name: "shortterm.revoke",
  permission: "shortterm.revoke",
  schema: revokeShortTermSchema,
  run: async ({ userId }, ctx) => {
    const result = await revoke(shortTermDeps(), ctx.user, userId, ctx);
    revalidatePath("/short-term-keys");
    return result;
  },
});
