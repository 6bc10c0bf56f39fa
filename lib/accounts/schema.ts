import { z } from "zod";
import { isKnownModelId } from "@/lib/keys/catalogue";

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An IAM role ARN in any partition; group 1 is the account id. */
export const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@\/-]{1,512}$/;
/** What STS accepts as an ExternalId (2–1224 characters of [\w+=,.@:\/-]). */
export const EXTERNAL_ID = /^[\w+=,.@:\/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const regions = z
  .string()
  .trim()
  .max(400)
  .transform((s) =>
    s
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((r) => REGION.test(r)), { message: "field.regions" })
  .transform((list) => [...new Set(list)]);

/** Registering a member account by hand. The role must be in that account: AWS would assume it, but the console would act in the wrong place. */
export const addAccountSchema = z
  .object({
    id: z.string().trim().regex(ACCOUNT_ID, { message: "field.accountId" }),
    name: z.string().trim().min(1).max(64),
    roleArn: z.string().trim().regex(ROLE_ARN, { message: "field.roleArn" }),
    externalId: z.string().trim().regex(EXTERNAL_ID, { message: "field.externalId" }),
    regions,
  })
  .superRefine((v, ctx) => {
    const m = ROLE_ARN.exec(v.roleArn);
    if (m && m[1] !== v.id) ctx.addIssue({ code: "custom", path: ["roleArn"], message: "field.roleArnAccount", params: { account: m[1] } });
  });
export type AddAccountInput = z.infer<typeof addAccountSchema>;

export const accountIdSchema = z.object({ accountId: z.string().trim().regex(ACCOUNT_ID, { message: "field.accountId" }) });

export const updateAccountSchema = accountIdSchema.extend({
  name: z.string().trim().min(1).max(64),
  regions,
  /** Empty: keep the registered one (it is never sent back to the browser in full). */
  externalId: z
    .string()
    .trim()
    .refine((s) => s === "" || EXTERNAL_ID.test(s), { message: "field.externalId" }),
  /** Teams that may have keys in the account; none: every team. */
  teams: z.array(z.string().trim().min(1).max(64)).max(500).default([]),
  /** Overrides of the organisation's policy for keys here; empty: the organisation's value. */
  policyMaxKeyAgeDays: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().min(1).max(36600).nullable()).default(null),
  policyModels: z
    .string()
    .trim()
    .default("")
    .transform((s) => (s === "" ? null : [...new Set(s.split(/[\s,]+/).filter(Boolean))]))
    .refine((list) => list === null || list.every(isKnownModelId), { message: "field.unknownModel" }),
  /** The role short-term keys are signed with in this account; empty: none. */
  signingRoleArn: z
    .string()
    .trim()
    .default("")
    .refine((s) => s === "" || ROLE_ARN.test(s), { message: "field.roleArn" }),
}).superRefine((v, ctx) => {
  const m = ROLE_ARN.exec(v.signingRoleArn);
  if (m && m[1] !== v.accountId) ctx.addIssue({ code: "custom", path: ["signingRoleArn"], message: "field.roleArnAccount", params: { account: m[1] } });
});
export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

export const accountStatusSchema = accountIdSchema.extend({ status: z.enum(["active", "paused"]) });

/** Discovery from AWS Organizations: the member role's name (as the StackSet deploys it) and ExternalId. */
export const discoverSchema = z.object({
  roleName: z.string().trim().regex(/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, { message: "field.roleName" }),
  externalId: z.string().trim().regex(EXTERNAL_ID, { message: "field.externalId" }),
  regions,
});
export type DiscoverInput = z.infer<typeof discoverSchema>;
