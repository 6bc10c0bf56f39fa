"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { can, type Permission } from "@/lib/auth/permissions";
import { log } from "@/lib/log";
import { type BulkOperation, type BulkOperationName, runBulk } from "./bulk";
import { itemAuditWriter } from "./bulk-audit";
import { BULK_MAX_KEYS } from "./bulk-limits";
import { bulkKeysSchema, matchingKeysSchema } from "./bulk-schemas";
import { keyDeps } from "./deps";
import { keyWhere } from "./queries";

// Bulk actions on the inventory (issue 16). The role gate is the single action's permission for
// the chosen operation; each key is then looked up and scope-checked on its own in the service.

const PERMISSION: Record<BulkOperationName, Permission> = {
  disable: "keys.disable",
  enable: "keys.enable",
  delete: "keys.delete",
  team: "keys.reassign",
  owner: "keys.reassign",
};

export interface BulkItemView {
  keyId: string;
  name: string;
  outcome: "done" | "failed" | "skipped";
  /** Why it failed or was skipped, in the viewer's language. */
  reason: string | null;
}

export const bulkKeys = defineAction({
  name: "keys.bulk",
  // Every operation needs at least this (admins and leads); the operation's own permission is checked below.
  permission: "keys.disable",
  schema: bulkKeysSchema,
  run: async (input, ctx) => {
    if (!can(ctx.user.role, PERMISSION[input.op])) throw new ActionError("forbidden");
    const operation: BulkOperation =
      input.op === "delete"
        ? { op: "delete", confirmCount: input.confirmCount }
        : input.op === "team"
          ? { op: "team", teamId: input.teamId }
          : input.op === "owner"
            ? { op: "owner", ownerId: input.ownerId }
            : { op: input.op };
    // Each key's entry as its row action writes it: same action name, actor and request.
    const writeKeyAudit = itemAuditWriter(ctx);
    const result = await runBulk(keyDeps(), ctx.user, { keyIds: input.keyIds, operation }, ctx, writeKeyAudit, {
      logUnexpected: (err, eventId) => log().error({ err, eventId, action: "keys.bulk", userId: ctx.user.id }, "bulk key action failed for one key"),
    });
    const te = await getTranslations("errors");
    const tb = await getTranslations("bulk");
    revalidatePath("/keys");
    return {
      op: result.op,
      done: result.done,
      failed: result.failed,
      skipped: result.skipped,
      items: result.items.map(
        (i): BulkItemView => ({
          keyId: i.keyId,
          name: i.name,
          outcome: i.outcome,
          reason: i.outcome === "done" ? null : i.code === "notAllowed" ? tb("reasons.notAllowed") : te(i.code!, i.params),
        }),
      ),
    };
  },
});

/** "Select all matching": the ids of every key the filters match in the viewer's scope (at most one batch). */
export const matchingKeyIds = defineAction({
  name: "keys.bulk_select",
  permission: "keys.disable",
  schema: matchingKeysSchema,
  run: async (filters, ctx) => {
    ctx.target({ type: "inventory" });
    const where = keyWhere(ctx.user, filters, new Date(), ctx.db);
    const [total, rows] = await Promise.all([
      ctx.db.apiKey.count({ where }),
      ctx.db.apiKey.findMany({ where, select: { id: true }, orderBy: { id: "asc" }, take: BULK_MAX_KEYS }),
    ]);
    return { total, ids: rows.map((r) => r.id), max: BULK_MAX_KEYS };
  },
});
