"use server";

import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { can } from "@/lib/auth/permissions";
import { log } from "@/lib/log";
import { usageSyncDeps } from "./deps";
import { startUsageSync } from "./sync-job";

// "Sync now". Thin: defineAction validates, authenticates, authorizes (usage.sync) and audits;
// the job takes the database lease, so concurrent presses (two tabs, two admins, the schedule)
// give one run and the others are told which run is going on. The run continues in the
// background; the page polls /usage/sync for its progress.

export const syncUsageNow = defineAction({
  name: "usage.sync",
  permission: "usage.sync",
  schema: z.object({
    /** Re-read CloudTrail's full 90 days (admins): after adding a region or restoring a backup. */
    full: z.preprocess((v) => v === true || v === "true" || v === "on" || v === "1", z.boolean()).default(false),
  }),
  run: async ({ full }, ctx) => {
    ctx.target({ type: "usage", label: full ? "full" : "incremental" });
    if (full && !can(ctx.user.role, "usage.resync")) throw new ActionError("forbidden");
    const outcome = await startUsageSync(usageSyncDeps(), "manual", { full, requestedById: ctx.user.id });
    if (outcome.status === "started") {
      // The run records its own failure (run row, audit); here it only must not go unhandled.
      outcome.done.catch((err: unknown) => log().error({ err, runId: outcome.runId }, "usage sync failed"));
    }
    ctx.detail({ outcome: outcome.status, runId: outcome.runId, full });
    return { status: outcome.status, runId: outcome.runId };
  },
});
