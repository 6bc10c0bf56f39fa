import { z } from "zod";
import { isKnownModelId } from "@/lib/keys/catalogue";
import { restrictionPolicyFits, USER_INLINE_POLICY_LIMIT } from "@/lib/keys/restriction-policy";
import { keyName, MAX_KEY_AGE_DAYS } from "@/lib/keys/schemas";

/**
 * Request forms and their actions share these schemas. Messages starting with "field." are keys
 * in the "errors" namespace. Checks against the policy, the requester's teams and the request's
 * current state need the database and run in the services.
 */

/** Database ids (cuids). Anything else is refused before it reaches a query. */
const idSchema = z.string().regex(/^[a-z0-9]{1,64}$/i, { message: "field.invalid" });

export const REQUEST_KINDS = ["long-term", "short-term"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ["pending", "approved", "denied", "picked_up", "expired", "cancelled"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const PURPOSE_MAX = 256;
export const JUSTIFICATION_MAX = 1000;
export const COMMENT_MAX = 1000;
export const SHORT_TERM_MINUTES = { min: 5, max: 720 } as const;

const HIDDEN_CHARS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;
// Line breaks are fine in a justification or comment; other control characters are not.
const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !HIDDEN_CHARS.test(s.replace(/\r?\n/g, " ")), { message: "field.plainText" });

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optionalInt = (min: number, max: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional());
const modelList = z
  .preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/) : v === undefined || v === null ? [] : v),
    z.array(z.string().trim()).transform((a) => [...new Set(a.filter(Boolean))]),
  )
  .pipe(z.array(z.string()).max(50))
  .refine((models) => models.every(isKnownModelId), { message: "field.unknownModel" });

export const createRequestSchema = z
  .object({
    kind: z.enum(REQUEST_KINDS),
    teamId: idSchema,
    keyName: z.preprocess(emptyToUndefined, keyName.optional()),
    /** The account of the long-term key (issue 14); empty: the console's own account. */
    accountId: z.preprocess(emptyToUndefined, z.string().trim().regex(/^\d{12}$/, { message: "field.accountId" }).optional()),
    purpose: text(1, PURPOSE_MAX),
    justification: text(1, JUSTIFICATION_MAX),
    durationDays: optionalInt(1, MAX_KEY_AGE_DAYS),
    durationMinutes: optionalInt(SHORT_TERM_MINUTES.min, SHORT_TERM_MINUTES.max),
    models: modelList,
  })
  .superRefine((v, ctx) => {
    if (v.kind === "long-term") {
      if (!v.keyName) ctx.addIssue({ code: "custom", path: ["keyName"], message: "field.required" });
      if (v.durationDays === undefined) ctx.addIssue({ code: "custom", path: ["durationDays"], message: "field.required" });
      // The long-term key picked up from the request gets these models in its inline policy: IAM's
      // budget. (Short-term keys carry no per-key models, so the list does not count for them.)
      if (!restrictionPolicyFits({ models: v.models, cidrs: [], notAfter: null })) {
        ctx.addIssue({ code: "custom", path: ["models"], message: "field.restrictionsTooLarge", params: { limit: USER_INLINE_POLICY_LIMIT } });
      }
    } else if (v.durationMinutes === undefined) {
      ctx.addIssue({ code: "custom", path: ["durationMinutes"], message: "field.required" });
    }
  })
  .transform((v) => ({
    kind: v.kind,
    teamId: v.teamId,
    keyName: v.kind === "long-term" ? v.keyName! : "",
    ...(v.kind === "long-term" && v.accountId ? { accountId: v.accountId } : {}),
    purpose: v.purpose,
    justification: v.justification,
    /** days (long-term) or minutes (short-term) */
    duration: v.kind === "long-term" ? v.durationDays! : v.durationMinutes!,
    /** Short-term keys carry the signing role's permissions: no per-key model restriction. */
    models: v.kind === "long-term" ? v.models : [],
  }));

export type CreateRequestInput = z.output<typeof createRequestSchema>;

export const decideRequestSchema = z
  .object({
    requestId: idSchema,
    decision: z.enum(["approve", "deny"]),
    comment: z.preprocess((v) => v ?? "", text(0, COMMENT_MAX)),
    /** Narrow the duration (days or minutes, as the request's kind). Omitted = as requested. */
    approvedDuration: optionalInt(1, MAX_KEY_AGE_DAYS),
    /** Narrow the models. Omitted = as requested; the form always sends the list. */
    approvedModels: modelList.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "deny" && v.comment.length === 0) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "field.denyReason" });
    }
  });

export type DecideRequestInput = z.output<typeof decideRequestSchema>;

export const requestIdSchema = z.object({ requestId: idSchema });

export const pickUpSchema = z.object({
  requestId: idSchema,
  /** Short-term keys only: the region the key is made for (one of BEDROCK_REGIONS). */
  region: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "field.choice" }).optional()),
});

export const QUEUE_STATUSES = ["pending", "approved", "denied", "picked_up", "expired", "cancelled", "all"] as const;

/** The approvals queue's filters, from the URL. */
export const queueFilterSchema = z.object({
  status: z.preprocess(emptyToUndefined, z.enum(QUEUE_STATUSES).default("pending")),
  teamId: z.preprocess(emptyToUndefined, idSchema.optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10_000).default(1)),
});

export type QueueFilters = z.output<typeof queueFilterSchema>;
