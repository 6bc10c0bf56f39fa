import { z } from "zod";
import { BULK_MAX_KEYS } from "./bulk-limits";
import { keyFilterSchema } from "./schemas";

/**
 * A bulk action's input, shared by the inventory's selection bar and the server action. The id
 * list's own cap is a payload guard well above the batch limit: a batch over BULK_MAX_KEYS gets
 * the service's clear "at most 500" refusal, not a generic field error.
 */
const keyIds = z.array(z.string().trim().min(1).max(64)).max(BULK_MAX_KEYS * 20);
const ref = z.string().trim().min(1).max(64);

export const bulkKeysSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("disable"), keyIds }),
  z.object({ op: z.literal("enable"), keyIds }),
  z.object({ op: z.literal("delete"), keyIds, confirmCount: z.coerce.number().int().min(0).max(BULK_MAX_KEYS * 20) }),
  z.object({ op: z.literal("team"), keyIds, teamId: ref }),
  z.object({ op: z.literal("owner"), keyIds, ownerId: ref }),
]);
export type BulkKeysInput = z.output<typeof bulkKeysSchema>;

/** "Select all matching": the inventory's filters, as in its URL (paging ignored). */
export const matchingKeysSchema = keyFilterSchema;
