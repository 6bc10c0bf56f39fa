"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { mappingDeleteSchema, mappingFormSchema } from "./mapping";
import { deleteMapping, saveMapping } from "./service";

/** Add or edit an IdP group mapping (admins). Audited as sso.mapping_save with before and after. */
export const saveSsoMappingAction = defineAction({
  name: "sso.mapping_save",
  permission: "policy.manage",
  schema: mappingFormSchema,
  run: async (input, ctx) => {
    const result = await saveMapping(ctx.db, input, !!config().OIDC_GROUP_MAPPINGS, ctx);
    revalidatePath("/settings");
    return result;
  },
});

/** Remove a mapping: people whose only mapped group it was are refused (and deactivated) at their next sign-in. */
export const deleteSsoMappingAction = defineAction({
  name: "sso.mapping_delete",
  permission: "policy.manage",
  schema: mappingDeleteSchema,
  run: async ({ id }, ctx) => {
    await deleteMapping(ctx.db, id, !!config().OIDC_GROUP_MAPPINGS, ctx);
    revalidatePath("/settings");
    return { id };
  },
});
