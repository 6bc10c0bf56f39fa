"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { acceptFinding, acceptSchema, reopenFinding } from "./accept";
import { postureDeps } from "./deps";
import { fixFinding } from "./fix";
import { auditSummary, remediationRules, runPostureEvaluation } from "./job";
import { runRemediation } from "./remediate";
import { getPostureSettings, SETTINGS_ID, settingsSchema } from "./settings";

// Server actions for /posture. Thin: defineAction validates, authenticates, authorizes (permission
// table) and audits; the services look the finding up in the actor's scope and act.

function changed<T>(value: T): T {
  revalidatePath("/posture");
  revalidatePath("/keys");
  return value;
}

export const evaluatePostureNow = defineAction({
  name: "posture.evaluate",
  permission: "posture.evaluate",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: "posture" });
    const outcome = await runPostureEvaluation(postureDeps(), "manual");
    if (outcome.status === "busy") {
      ctx.detail({ busy: true });
      return { status: "busy" as const };
    }
    const summary = auditSummary(outcome);
    ctx.detail(summary);
    return changed({ status: "done" as const, findings: outcome.findings, iamCalls: outcome.totalCalls });
  },
});

export const fixPostureFinding = defineAction({
  name: "posture.fix",
  permission: "posture.fix",
  schema: z.object({
    findingId: z.string().min(1).max(64),
    fix: z.enum(["disable", "delete", "deleteUser", "detachPolicy"]),
    policy: z.string().max(128).optional(),
  }),
  run: async (input, ctx) => changed(await fixFinding(postureDeps(), ctx.user, input, ctx)),
});

export const acceptPostureRisk = defineAction({
  name: "posture.accept",
  permission: "posture.accept",
  schema: acceptSchema,
  run: async (input, ctx) => changed(await acceptFinding(ctx.db, ctx.user, input, new Date(), ctx)),
});

export const reopenPostureFinding = defineAction({
  name: "posture.reopen",
  permission: "posture.accept",
  schema: z.object({ findingId: z.string().min(1).max(64) }),
  run: async ({ findingId }, ctx) => changed(await reopenFinding(ctx.db, ctx.user, findingId, ctx)),
});

export const updatePostureSettings = defineAction({
  name: "posture.settings",
  permission: "posture.manage",
  schema: settingsSchema,
  run: async (input, ctx) => {
    ctx.target({ type: "posture", id: SETTINGS_ID });
    const before = await getPostureSettings(ctx.db);
    const teams = await ctx.db.team.findMany({ where: { id: { in: input.shortTermOnlyTeams } }, select: { id: true } });
    if (teams.length !== new Set(input.shortTermOnlyTeams).size) throw new ActionError("invalidInput", {}, { shortTermOnlyTeams: { code: "field.choice" } });
    const data = {
      unusedDays: input.unusedDays,
      shortTermOnlyTeams: JSON.stringify([...new Set(input.shortTermOnlyTeams)].sort()),
      autoDisableUnused: input.autoDisableUnused,
      autoDeleteOrphans: input.autoDeleteOrphans,
      orphanGraceDays: input.orphanGraceDays,
      updatedByEmail: ctx.user.email,
    };
    // Versioned like the org policy: a save over someone else's newer save is refused.
    if (before.version === 0) {
      if (input.version !== 0) throw new ActionError("conflict");
      await ctx.db.postureSettings.create({ data: { id: SETTINGS_ID, ...data } }).catch(() => {
        throw new ActionError("conflict");
      });
    } else {
      const updated = await ctx.db.postureSettings.updateMany({ where: { id: SETTINGS_ID, version: input.version }, data: { ...data, version: { increment: 1 } } });
      if (updated.count !== 1) throw new ActionError("conflict");
    }
    const { version: _v, ...was } = before;
    void _v;
    ctx.detail({ before: was, after: { ...input, version: undefined } });
    return changed({ saved: true });
  },
});

/** The dry run: what the opt-in remediation would change now, with the rules as saved or as ticked. */
export const previewRemediation = defineAction({
  name: "posture.remediation_preview",
  permission: "posture.manage",
  schema: z.object({
    disableUnused: z.boolean(),
    deleteOrphans: z.boolean(),
    orphanGraceDays: z.coerce.number().int().min(1).max(365),
  }),
  run: async (input, ctx) => {
    ctx.target({ type: "posture" });
    const result = await runRemediation(postureDeps(), input, { dryRun: true, trigger: "manual" });
    ctx.detail({ dryRun: true, planned: result.planned.length });
    return { planned: result.planned.map((p) => ({ kind: p.kind, label: p.label, iamUserName: p.iamUserName, apiKeyId: p.apiKeyId })) };
  },
});

/** Run the saved remediation rules now (otherwise they run after each scheduled evaluation). */
export const runRemediationNow = defineAction({
  name: "posture.remediate_now",
  permission: "posture.manage",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: "posture" });
    const settings = await getPostureSettings(ctx.db);
    const result = await runRemediation(postureDeps(), remediationRules(settings), { dryRun: false, trigger: "manual", actorEmail: ctx.user.email });
    ctx.detail({ disabled: result.disabled, deletedUsers: result.deletedUsers, failed: result.failed });
    return changed({ disabled: result.disabled, deletedUsers: result.deletedUsers, failed: result.failed });
  },
});
