"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { policyFormSchema } from "./schema";
import { updatePolicy } from "./service";

/** Save the organisation's key policy (admins). Audited as policy.update with the values before and after. */
export const updatePolicyAction = defineAction({
  name: "policy.update",
  permission: "policy.manage",
  schema: policyFormSchema,
  run: async (input, ctx) => {
    const c = config();
    const policy = await updatePolicy(ctx.db, ctx.user, input, { configuredExtraPolicies: c.ALLOWED_EXTRA_POLICIES, shortTermCeilingMinutes: c.SHORT_TERM_MAX_HOURS * 60 }, ctx);
    revalidatePath("/settings");
    revalidatePath("/requests", "layout");
    return { version: policy.version };
  },
});
