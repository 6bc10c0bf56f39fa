"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { can } from "@/lib/auth/permissions";
import { log } from "@/lib/log";
import { usageSyncDeps } from "./deps";
import { startUsageSync } from "./sync-job";
import { backfillSchema, getTrailConfig, TRAIL_TARGET, trailFormSchema, updateTrailSettings } from "./trail-settings";

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

/**
 * Read the organisation trail's files from a day on (admins, issue 19): history older than the
 * 90 days the first read covers. The run is a normal sync (same lease, same panel) whose trail
 * streams start at that day; audited as usage.backfill with the day.
 */
export const backfillUsage = defineAction({
  name: "usage.backfill",
  permission: "usage.resync",
  schema: backfillSchema,
  run: async ({ from }, ctx) => {
    ctx.target({ type: TRAIL_TARGET, id: "org", label: `backfill from ${from}` });
    ctx.detail({ from });
    if (!(await getTrailConfig(ctx.db))) throw new ActionError("usageTrail.notConfigured");
    const outcome = await startUsageSync(usageSyncDeps(), "manual", { backfillFrom: from, requestedById: ctx.user.id });
    if (outcome.status === "started") outcome.done.catch((err: unknown) => log().error({ err, runId: outcome.runId }, "usage backfill failed"));
    ctx.detail({ outcome: outcome.status, runId: outcome.runId });
    return { status: outcome.status, runId: outcome.runId };
  },
});

/** Where usage comes from, and the organisation trail (admins, issue 19). Audited as usage.trail with the values before and after. */
export const configureUsageTrail = defineAction({
  name: "usage.trail",
  permission: "accounts.manage",
  schema: trailFormSchema,
  run: async (input, ctx) => {
    const saved = await updateTrailSettings(ctx.db, ctx.user, input, ctx);
    revalidatePath("/settings");
    revalidatePath("/usage");
    return { version: saved.version, enabled: Boolean(saved.trail) };
  },
});
