"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { appendAudit } from "@/lib/audit/service";
import { decideRequest } from "./decide";
import { requestDeps } from "./deps";
import { pickUpRequest } from "./pickup";
import { createRequestSchema, decideRequestSchema, pickUpSchema, requestIdSchema } from "./schemas";
import { cancelRequest, submitRequest } from "./service";

// Server actions for key requests. defineAction validates, authenticates, checks the permission
// table and audits; the services check the request's scope and state against the database.
// The pick-up result is the one-time reveal: the secret is in the returned data only.

function changed<T>(value: T, requestId?: string): T {
  revalidatePath("/requests");
  if (requestId) revalidatePath(`/requests/${requestId}`);
  revalidatePath("/");
  return value;
}

export const createRequest = defineAction({
  name: "requests.submit",
  permission: "requests.create",
  schema: createRequestSchema,
  run: async (input, ctx) => {
    const result = await submitRequest(requestDeps(), ctx.user, input, ctx);
    return changed(result, result.requestId);
  },
});

/** Approve or deny: two actions so the audit log names the decision ("requests.approve" / "requests.deny"). */
const decision = (value: "approve" | "deny") =>
  z.preprocess((v) => (v && typeof v === "object" ? { ...v, decision: value } : v), decideRequestSchema);

export const approveRequestAction = defineAction({
  name: "requests.approve",
  permission: "requests.decide",
  schema: decision("approve"),
  run: async (input, ctx) => {
    const result = await decideRequest(requestDeps(), ctx.user, input, ctx);
    return changed(result, result.requestId);
  },
});

export const denyRequestAction = defineAction({
  name: "requests.deny",
  permission: "requests.decide",
  schema: decision("deny"),
  run: async (input, ctx) => {
    const result = await decideRequest(requestDeps(), ctx.user, input, ctx);
    return changed(result, result.requestId);
  },
});

export const cancelRequestAction = defineAction({
  name: "requests.cancel",
  permission: "requests.cancel",
  schema: requestIdSchema,
  run: async ({ requestId }, ctx) => changed(await cancelRequest(requestDeps(), ctx.user, requestId, ctx), requestId),
});

export const pickUpRequestAction = defineAction({
  name: "requests.pickup",
  permission: "requests.pickup",
  schema: pickUpSchema,
  run: async (input, ctx) => {
    const { keyAudit, ...result } = await pickUpRequest(requestDeps(), ctx.user, input, ctx);
    // The key's own history gets its issuance too (the secret is never in audit details).
    await appendAudit(ctx.db, {
      action: keyAudit.action,
      result: "success",
      actorId: ctx.user.id,
      actorEmail: ctx.user.email,
      targetType: keyAudit.target?.type ?? null,
      targetId: keyAudit.target?.id ?? null,
      targetLabel: keyAudit.target?.label ?? null,
      teamId: keyAudit.target?.teamId ?? null,
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      details: keyAudit.details,
    });
    revalidatePath("/keys");
    revalidatePath("/short-term-keys");
    return changed(result, input.requestId);
  },
});
