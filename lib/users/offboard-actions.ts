"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { defineAction } from "@/lib/actions/safe-action";
import { keyDeps } from "@/lib/keys/deps";
import { itemAuditWriter } from "@/lib/keys/bulk-audit";
import { log } from "@/lib/log";
import { shortTermDeps } from "@/lib/shortterm/deps";
import { offboardUser as offboardService, type OffboardStep } from "./offboard";
import { offboardSchema } from "./offboard-schemas";

export interface OffboardItemView {
  step: OffboardStep;
  targetId: string;
  label: string;
  outcome: "done" | "failed" | "skipped";
  /** Why it failed or was skipped, or a note on what was done, in the viewer's language. */
  note: string | null;
}

/** Deactivate and offboard (issue 16): one audited operation ("users.offboard") with per-item results. */
export const offboardUser = defineAction({
  name: "users.offboard",
  permission: "users.manage",
  schema: offboardSchema,
  run: async (input, ctx) => {
    // Each key's and the short-term revocation's own entries, as their single actions write them.
    const writeAudit = itemAuditWriter(ctx);
    const shortTerm = shortTermDeps();
    const result = await offboardService(
      { db: ctx.db, keys: keyDeps(), shortTerm: shortTerm.roleArn ? shortTerm : null },
      ctx.user,
      { userId: input.id, disableKeys: input.disableKeys, revokeShortTerm: input.revokeShortTerm, newOwnerId: input.newOwnerId },
      ctx,
      writeAudit,
      { logUnexpected: (err, eventId) => log().error({ err, eventId, action: "users.offboard", userId: ctx.user.id }, "offboarding step failed") },
    );
    const te = await getTranslations("errors");
    const to = await getTranslations("offboarding");
    revalidatePath("/users");
    revalidatePath("/keys");
    const note = (i: (typeof result.items)[number]): string | null => {
      if (i.code === "alreadyInactive") return to("notes.alreadyInactive");
      if (i.code === "notConfigured") return to("notes.notConfigured");
      if (i.outcome === "done") return i.step === "revokeShortTerm" ? to("notes.revoked", { count: Number(i.params?.count ?? 0) }) : null;
      return te(i.code ?? "unexpected", i.params);
    };
    return {
      done: result.done,
      failed: result.failed,
      skipped: result.skipped,
      items: result.items.map((i): OffboardItemView => ({ step: i.step, targetId: i.targetId, label: i.label, outcome: i.outcome, note: note(i) })),
    };
  },
});
