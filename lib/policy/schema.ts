import { z } from "zod";
import { isKnownModelId } from "@/lib/keys/catalogue";
import { MAX_KEY_AGE_DAYS } from "@/lib/keys/schemas";

/**
 * The organisation's key policy: the limits every issuance path enforces (lib/policy/enforce.ts).
 * Pure (no server imports), so the settings form shares the schema with its action.
 */

/** AWS's limit for a short-term key (12 hours), in minutes. */
export const SHORT_TERM_LIMIT_MINUTES = 720;
export const SHORT_TERM_MIN_MINUTES = 5;
/** Longest pick-up window an admin may set (30 days). */
export const MAX_PICKUP_WINDOW_HOURS = 720;
/** Issue 16: how long before a key reaches the rotation policy's age its owner and leads hear about it. */
export const ROTATION_REMINDER_DAYS = 7;

export interface KeyPolicy {
  /** 0 while nothing was ever saved (the defaults). */
  version: number;
  /** null = no maximum; then admins alone may issue keys that never expire. */
  maxKeyAgeDays: number | null;
  defaultExpiryDays: number;
  /** Catalogue ids; [] = every model. */
  allowedModels: string[];
  /** AWS managed policy names, always within ALLOWED_EXTRA_POLICIES. */
  allowedExtraPolicies: string[];
  longTermRequiresApproval: boolean;
  /** Developers may generate short-term keys without a request (leads and admins always may). */
  shortTermSelfService: boolean;
  shortTermMaxMinutes: number;
  pickupWindowHours: number;
  /** Issue 16: rotate keys before they are this many days old (owners and leads are reminded); null = no rotation policy. */
  rotationDays: number | null;
  updatedAt: string | null;
  updatedByEmail: string | null;
}

/**
 * Before an admin saves a policy the console behaves as it did without one: no maximum age, every
 * model and configured extra policy, developers may make short-term keys themselves; long-term
 * keys for non-admins go through approval (only admins may issue directly anyway).
 */
export function defaultPolicy(configuredExtraPolicies: readonly string[]): KeyPolicy {
  return {
    version: 0,
    maxKeyAgeDays: null,
    defaultExpiryDays: 30,
    allowedModels: [],
    allowedExtraPolicies: [...configuredExtraPolicies],
    longTermRequiresApproval: true,
    shortTermSelfService: true,
    shortTermMaxMinutes: SHORT_TERM_LIMIT_MINUTES,
    pickupWindowHours: 72,
    rotationDays: null,
    updatedAt: null,
    updatedByEmail: null,
  };
}

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
/** A checkbox: present ("on") in FormData when ticked, absent when not. */
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const stringList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/) : v === undefined || v === null ? [] : v),
  z.array(z.string().trim()).transform((a) => [...new Set(a.filter(Boolean))]),
);

export const policyFormSchema = z
  .object({
    /** The version the form was rendered from: a save over someone else's newer save is refused. */
    version: z.coerce.number().int().min(0),
    maxKeyAgeDays: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_KEY_AGE_DAYS).optional()),
    defaultExpiryDays: z.coerce.number().int().min(1).max(MAX_KEY_AGE_DAYS),
    restrictModels: checkbox,
    allowedModels: stringList.pipe(z.array(z.string()).max(200)),
    allowedExtraPolicies: stringList.pipe(z.array(z.string().regex(/^[\w+=,.@-]{1,128}$/, { message: "field.choice" })).max(20)),
    longTermRequiresApproval: checkbox,
    shortTermSelfService: checkbox,
    shortTermMaxMinutes: z.coerce.number().int().min(SHORT_TERM_MIN_MINUTES).max(SHORT_TERM_LIMIT_MINUTES),
    pickupWindowHours: z.coerce.number().int().min(1).max(MAX_PICKUP_WINDOW_HOURS),
    rotationDays: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_KEY_AGE_DAYS).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.maxKeyAgeDays !== undefined && v.defaultExpiryDays > v.maxKeyAgeDays) {
      ctx.addIssue({ code: "custom", path: ["defaultExpiryDays"], message: "field.defaultAboveMax" });
    }
    if (v.restrictModels && v.allowedModels.length === 0) {
      ctx.addIssue({ code: "custom", path: ["allowedModels"], message: "field.chooseModels" });
    }
    if (v.allowedModels.some((m) => !isKnownModelId(m))) {
      ctx.addIssue({ code: "custom", path: ["allowedModels"], message: "field.unknownModel" });
    }
  })
  .transform((v) => ({
    version: v.version,
    maxKeyAgeDays: v.maxKeyAgeDays ?? null,
    defaultExpiryDays: v.defaultExpiryDays,
    allowedModels: v.restrictModels ? v.allowedModels : [],
    allowedExtraPolicies: v.allowedExtraPolicies,
    longTermRequiresApproval: v.longTermRequiresApproval,
    shortTermSelfService: v.shortTermSelfService,
    shortTermMaxMinutes: v.shortTermMaxMinutes,
    pickupWindowHours: v.pickupWindowHours,
    // Omitted (not undefined) when empty, so callers that predate the rotation policy still type-check.
    ...(v.rotationDays !== undefined ? { rotationDays: v.rotationDays as number | null } : {}),
  }));

export type PolicyInput = z.output<typeof policyFormSchema>;

/** The fields an admin edits, for before/after audit details. */
export function policyValues(p: Omit<KeyPolicy, "version" | "updatedAt" | "updatedByEmail"> | Omit<PolicyInput, "version">) {
  return {
    maxKeyAgeDays: p.maxKeyAgeDays,
    defaultExpiryDays: p.defaultExpiryDays,
    allowedModels: p.allowedModels,
    allowedExtraPolicies: p.allowedExtraPolicies,
    longTermRequiresApproval: p.longTermRequiresApproval,
    shortTermSelfService: p.shortTermSelfService,
    shortTermMaxMinutes: p.shortTermMaxMinutes,
    pickupWindowHours: p.pickupWindowHours,
    rotationDays: p.rotationDays ?? null,
  };
}
