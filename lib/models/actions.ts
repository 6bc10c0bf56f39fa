"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { modelsDeps } from "./deps";
import { refreshModelCatalogueNow } from "./service";

/** "Refresh models" (admins): read what Bedrock offers every account × region now; audited. */
export const refreshModelsAction = defineAction({
  name: "models.refresh",
  permission: "accounts.manage",
  schema: z.object({}),
  run: async (_input, ctx) => {
    try {
      const result = await refreshModelCatalogueNow(modelsDeps(), ctx);
      return { status: result.status, regions: result.regions.length, failed: result.regions.filter((r) => !r.ok).length };
    } finally {
      revalidatePath("/accounts");
    }
  },
});
