import { z } from "zod";
import { isKnownModelId } from "./catalogue";
import { parseCidr } from "./cidr";
import { restrictionPolicyFits, USER_INLINE_POLICY_LIMIT } from "./restriction-policy";
import { KEY_NAME_MAX, KEY_NAME_PATTERN } from "./naming";
import { KEY_STATUSES } from "@/lib/aws/iam-mapping";

/**
 * Zod schemas shared by the key forms and their server actions (one schema per form). Field
 * errors use message keys from the "errors" namespace (`field.*`), translated by the action chain.
 * Checks that need the database, the configuration or the clock (owner's teams, allowed extra
 * policies, "never" for admins only, not-after in the future) run in the service.
 */

export const EXPIRY_PRESETS = ["1", "7", "30", "90", "365"] as const;
export const EXPIRY_CHOICES = [...EXPIRY_PRESETS, "custom", "never"] as const;
/** IAM's CredentialAgeDays range. */
export const MAX_KEY_AGE_DAYS = 36600;

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Lists come from multi-selects (arrays) or text areas (one per line, or comma-separated). */
const stringList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/) : v === undefined || v === null ? [] : v),
  z.array(z.string().trim()).transform((a) => [...new Set(a.filter(Boolean))]),
);

// The rule lives in naming.ts, so the forms can state it before submission.
export const keyName = z.string().trim().min(1).max(KEY_NAME_MAX).regex(KEY_NAME_PATTERN, { message: "field.keyName" });

export const idempotencyTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { message: "field.invalid" });

/** The restriction fields' checks, shared by the issue and edit forms. */
function checkRestrictionFields(v: { models: string[]; cidrs: string[]; notAfter?: string }, ctx: z.RefinementCtx) {
  if (v.models.some((m) => !isKnownModelId(m))) {
    ctx.addIssue({ code: "custom", path: ["models"], message: "field.unknownModel" });
  }
  let cidrsOk = true;
  for (const c of v.cidrs) {
    const r = parseCidr(c);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", path: ["cidrs"], message: r.reason === "hostBits" ? "field.cidrHostBits" : "field.cidr" });
      cidrsOk = false;
      break;
    }
  }
  // IAM's inline-policy budget for the key's user (checked again by the issuance itself).
  if (cidrsOk && !restrictionPolicyFits({ models: v.models, cidrs: v.cidrs, notAfter: v.notAfter ?? null })) {
    ctx.addIssue({ code: "custom", path: [v.models.length > 0 ? "models" : "cidrs"], message: "field.restrictionsTooLarge", params: { limit: USER_INLINE_POLICY_LIMIT } });
  }
}

/** Restrictions as the services take them: CIDRs in canonical form, no date = null. */
function restrictionsOf(v: { models: string[]; cidrs: string[]; notAfter?: string }) {
  return {
    models: v.models,
    cidrs: v.cidrs.map((c) => {
      const r = parseCidr(c);
      return r.ok ? r.cidr : c;
    }),
    notAfter: v.notAfter ?? null,
  };
}

export const issueKeySchema = z
  .object({
    /** Made once per form render (e.g. crypto.randomUUID()); a second submit of the same form creates nothing. */
    idempotencyToken: idempotencyTokenSchema,
    name: keyName,
    purpose: z.string().trim().max(256).default(""),
    ownerId: z.string().trim().min(1).max(64),
    teamId: z.string().trim().min(1).max(64),
    /** The AWS account to issue in (issue 14); empty: the console's own account. */
    accountId: z.preprocess(emptyToUndefined, z.string().trim().regex(/^\d{12}$/, { message: "field.accountId" }).optional()),
    expiry: z.enum(EXPIRY_CHOICES),
    customDays: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_KEY_AGE_DAYS).optional()),
    extraPolicies: stringList.pipe(z.array(z.string().regex(/^[\w+=,.@-]{1,128}$/, { message: "field.choice" }))),
    models: stringList.pipe(z.array(z.string()).max(50)),
    cidrs: stringList.pipe(z.array(z.string()).max(100)),
    notAfter: z.preprocess(emptyToUndefined, z.iso.date({ message: "field.date" }).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.expiry === "custom" && v.customDays === undefined) {
      ctx.addIssue({ code: "custom", path: ["customDays"], message: "field.required" });
    }
    checkRestrictionFields(v, ctx);
  })
  .transform((v) => ({
    idempotencyToken: v.idempotencyToken,
    name: v.name,
    purpose: v.purpose,
    ownerId: v.ownerId,
    teamId: v.teamId,
    ...(v.accountId ? { accountId: v.accountId } : {}),
    /** null = never expires */
    ageDays: v.expiry === "never" ? null : v.expiry === "custom" ? v.customDays! : Number(v.expiry),
    extraPolicies: v.extraPolicies,
    restrictions: restrictionsOf(v),
  }));

export type IssueKeyInput = z.output<typeof issueKeySchema>;

export const keyIdSchema = z.object({ keyId: z.string().trim().min(1).max(64) });

/** Delete: the person types the key's name to confirm (checked against the record on the server). */
export const deleteKeySchema = keyIdSchema.extend({ confirmName: z.string().trim().min(1).max(128) });

export const adoptKeySchema = keyIdSchema.extend({
  ownerId: z.string().trim().min(1).max(64),
  teamId: z.string().trim().min(1).max(64),
  name: keyName.optional(),
  purpose: z.string().trim().max(256).default(""),
});

/** Edit an issued key (issue 16): who it is for and what it may do. Its age is changed by rotating. */
export const editKeySchema = keyIdSchema
  .extend({
    name: keyName,
    purpose: z.string().trim().max(256).default(""),
    ownerId: z.string().trim().min(1).max(64),
    teamId: z.string().trim().min(1).max(64),
    models: stringList.pipe(z.array(z.string()).max(50)),
    cidrs: stringList.pipe(z.array(z.string()).max(100)),
    notAfter: z.preprocess(emptyToUndefined, z.iso.date({ message: "field.date" }).optional()),
  })
  .superRefine((v, ctx) => checkRestrictionFields(v, ctx))
  .transform((v) => ({ keyId: v.keyId, name: v.name, purpose: v.purpose, ownerId: v.ownerId, teamId: v.teamId, restrictions: restrictionsOf(v) }));

export type EditKeyInput = z.output<typeof editKeySchema>;

/** Longest overlap of a rotation: 30 days. */
export const MAX_GRACE_HOURS = 720;

/** Start a rotation: how long both secrets work, and who receives the new one. */
export const rotateKeySchema = keyIdSchema.extend({
  graceHours: z.coerce.number().int().min(1, { message: "field.graceHours" }).max(MAX_GRACE_HOURS, { message: "field.graceHours" }),
  /** me: revealed now to the person rotating · owner: the owner is notified and picks it up once. */
  deliver: z.enum(["me", "owner"]).default("me"),
});

/** The other credential a rotation found on the key's user (made elsewhere), to delete after confirmation. */
export const removeOtherCredentialSchema = keyIdSchema.extend({ credentialId: z.string().trim().regex(/^[A-Z0-9]{16,128}$/, { message: "field.invalid" }) });

export const KEY_SORTS = ["name", "iamUserName", "status", "createdAt", "expiresAt", "lastUsedAt", "owner", "team", "cost30d"] as const;
export const KEY_PAGE_SIZES = [25, 50, 100] as const;

/** The inventory's filters, from the URL (the page and the CSV export share them). */
export const keyFilterSchema = z.object({
  status: z.preprocess(emptyToUndefined, z.enum(KEY_STATUSES).optional()),
  teamId: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  ownerId: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  expiringWithinDays: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(MAX_KEY_AGE_DAYS).optional()),
  unusedForDays: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_KEY_AGE_DAYS).optional()),
  managed: z.preprocess(emptyToUndefined, z.enum(["managed", "unmanaged"]).optional()),
  /** Keys of one AWS account (issue 14). */
  accountId: z.preprocess(emptyToUndefined, z.string().regex(/^\d{12}$/).optional()),
  /** present (default) | removed (deleted or gone from IAM) | all */
  presence: z.preprocess(emptyToUndefined, z.enum(["present", "removed", "all"]).default("present")),
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100).optional()),
  sort: z.preprocess(emptyToUndefined, z.enum(KEY_SORTS).default("createdAt")),
  dir: z.preprocess(emptyToUndefined, z.enum(["asc", "desc"]).default("desc")),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce
      .number()
      .int()
      .refine((n) => (KEY_PAGE_SIZES as readonly number[]).includes(n), { message: "field.choice" })
      .default(50)),
});

export type KeyFilters = z.output<typeof keyFilterSchema>;

/** Retry a pending clean-up: the IAM user's name, as STS/IAM allow it (looked up on the server). */
export const cleanupSchema = z.object({ iamUserName: z.string().trim().min(1).max(64).regex(/^[\w+=,.@-]+$/) });
