"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { loggingDeps } from "./deps";
import { enableLoggingSchema } from "./schema";
import { checkAllLogging, enableLogging } from "./service";

/** Read GetModelInvocationLoggingConfiguration in every account × region now (admins). */
export const checkLoggingAction = defineAction({
  name: "logging.check",
  permission: "accounts.manage",
  schema: z.object({}),
  run: async (_input, ctx) => {
    try {
      const rows = await checkAllLogging(loggingDeps());
      ctx.detail({ regions: rows.map((r) => ({ account: r.accountId, region: r.region, state: r.state, ...(r.errorCode ? { awsErrorCode: r.errorCode } : {}) })) });
      return { checked: rows.length };
    } finally {
      revalidatePath("/accounts");
    }
  },
});

/** Switch invocation logging on to CloudWatch Logs, metadata only, in one account × region (admins). */
export const enableLoggingAction = defineAction({
  name: "logging.enable",
  permission: "accounts.manage",
  schema: enableLoggingSchema,
  run: async (input, ctx) => {
    try {
      const result = await enableLogging(loggingDeps(), input, ctx);
      return { state: result.status.state, alreadyOn: result.alreadyOn };
    } finally {
      revalidatePath("/accounts");
    }
  },
});
