"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { retryCleanup as retryCleanupService } from "./cleanup";
import { keyDeps } from "./deps";
import { auditSummary, runInventoryRefresh } from "./inventory-job";
import { issueLongTermKey } from "./issue";
import { adoptKey as adoptKeyService, deleteKey as deleteKeyService, reapplyRestrictions as reapplyRestrictionsService, resetKey as resetKeyService, setKeyStatus } from "./lifecycle";
import { adoptKeySchema, cleanupSchema, deleteKeySchema, editKeySchema, issueKeySchema, keyIdSchema, removeOtherCredentialSchema, rotateKeySchema } from "./schemas";
import { notifyDeps } from "@/lib/requests/deps";
import { editKey as editKeyService } from "./edit";
import { finishRotationNow, pickUpRotation, removeOtherCredential, startRotation } from "./rotation";

// Server actions for long-term keys. Thin: defineAction validates, authenticates, authorizes
// (permission table) and audits; the services check the key's scope and act. Contract for the UI:
// lib/keys/README.md. Results that carry a secret (issue, reset) are the one-time reveal: the
// secret is in the returned data only, never in the audit entry (ctx.detail) or a log line.

function changed<T>(value: T, keyId?: string): T {
  revalidatePath("/keys");
  if (keyId) revalidatePath(`/keys/${keyId}`);
  return value;
}

export const issueKey = defineAction({
  name: "keys.issue",
  permission: "keys.issue",
  schema: issueKeySchema,
  run: async (input, ctx) => {
    const reveal = await issueLongTermKey(keyDeps(), ctx.user, input, ctx);
    return changed(reveal);
  },
});

export const disableKey = defineAction({
  name: "keys.disable",
  permission: "keys.disable",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await setKeyStatus(keyDeps(), ctx.user, keyId, "Inactive", ctx), keyId),
});

export const enableKey = defineAction({
  name: "keys.enable",
  permission: "keys.enable",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await setKeyStatus(keyDeps(), ctx.user, keyId, "Active", ctx), keyId),
});

export const resetKey = defineAction({
  name: "keys.reset",
  permission: "keys.reset",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await resetKeyService(keyDeps(), ctx.user, keyId, ctx), keyId),
});

export const reapplyKeyRestrictions = defineAction({
  name: "keys.apply_restrictions",
  permission: "keys.issue",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await reapplyRestrictionsService(keyDeps(), ctx.user, keyId, ctx), keyId),
});

export const deleteKey = defineAction({
  name: "keys.delete",
  permission: "keys.delete",
  schema: deleteKeySchema,
  run: async ({ keyId, confirmName }, ctx) => changed(await deleteKeyService(keyDeps(), ctx.user, keyId, confirmName, ctx), keyId),
});

export const adoptKey = defineAction({
  name: "keys.adopt",
  permission: "keys.adopt",
  schema: adoptKeySchema,
  run: async (input, ctx) => changed(await adoptKeyService(keyDeps(), ctx.user, input, ctx), input.keyId),
});

/** Retry an unfinished clean-up (delete a console-made IAM user left behind). Admins: it deletes IAM users, like keys.delete. */
export const retryKeyCleanup = defineAction({
  name: "keys.cleanup",
  permission: "keys.delete",
  schema: cleanupSchema,
  run: async ({ iamUserName }, ctx) => {
    const outcome = await retryCleanupService(keyDeps(), iamUserName, ctx);
    if (outcome === "failed") throw new ActionError("keys.cleanupFailed", { user: iamUserName });
    return changed({ outcome });
  },
});

export const refreshInventoryNow = defineAction({
  name: "keys.refresh",
  permission: "keys.refresh",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: "inventory" });
    const outcome = await runInventoryRefresh(keyDeps(), "manual");
    if (outcome.status === "busy") {
      ctx.detail({ busy: true });
      return { status: "busy" as const };
    }
    const summary = auditSummary(outcome);
    ctx.detail(summary);
    return changed({ status: "done" as const, ...summary });
  },
});

/** Edit an issued key (issue 16): owner, team, name, purpose, restrictions (the inline policy is rewritten). */
export const editKey = defineAction({
  name: "keys.edit",
  permission: "keys.edit",
  schema: editKeySchema,
  run: async (input, ctx) => changed(await editKeyService(keyDeps(), ctx.user, input, ctx), input.keyId),
});

/**
 * Rotate with overlap (issue 16). With `deliver: "me"` the result carries the new secret (the
 * one-time reveal, never in the audit entry); with "owner" the owner is notified and picks it up.
 */
export const rotateKey = defineAction({
  name: "keys.rotate",
  permission: "keys.rotate",
  schema: rotateKeySchema,
  run: async (input, ctx) => changed(await startRotation({ ...keyDeps(), notify: notifyDeps() }, ctx.user, input, ctx), input.keyId),
});

/** The owner picks up the new secret of a rotation started for them (once). */
export const pickUpRotatedKey = defineAction({
  name: "keys.rotation_pickup",
  permission: "keys.rotate",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await pickUpRotation(keyDeps(), ctx.user, keyId, ctx), keyId),
});

/** "Finish rotation now": the old secret stops working at once. */
export const finishRotation = defineAction({
  name: "keys.rotation_finish",
  permission: "keys.rotate",
  schema: keyIdSchema,
  run: async ({ keyId }, ctx) => changed(await finishRotationNow(keyDeps(), ctx.user, keyId, ctx), keyId),
});

/** The way out of "the user already has two credentials": delete the other one (admins, confirmed in the UI). */
export const removeOtherKeyCredential = defineAction({
  name: "keys.remove_other_credential",
  permission: "keys.delete",
  schema: removeOtherCredentialSchema,
  run: async (input, ctx) => changed(await removeOtherCredential(keyDeps(), ctx.user, input, ctx), input.keyId),
});
