import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import { defaultPolicy, type KeyPolicy, type PolicyInput, policyValues } from "./schema";

/** The single policy row's id. */
const POLICY_ID = "org";
export const POLICY_TARGET = "policy";

const strings = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
};

/**
 * The policy in force. `configuredExtraPolicies` (ALLOWED_EXTRA_POLICIES) is the deployment's
 * ceiling — the console's own IAM permissions only allow attaching those — so a stored choice is
 * always intersected with it, even if the setting shrank after the policy was saved.
 */
export async function getPolicy(db: PrismaClient, configuredExtraPolicies: readonly string[]): Promise<KeyPolicy> {
  const row = await db.orgPolicy.findUnique({ where: { id: POLICY_ID } });
  if (!row) return defaultPolicy(configuredExtraPolicies);
  return {
    version: row.version,
    maxKeyAgeDays: row.maxKeyAgeDays,
    defaultExpiryDays: row.defaultExpiryDays,
    allowedModels: strings(row.allowedModels),
    allowedExtraPolicies: strings(row.allowedExtraPolicies).filter((p) => configuredExtraPolicies.includes(p)),
    longTermRequiresApproval: row.longTermRequiresApproval,
    shortTermSelfService: row.shortTermSelfService,
    shortTermMaxMinutes: row.shortTermMaxMinutes,
    pickupWindowHours: row.pickupWindowHours,
    rotationDays: row.rotationDays,
    updatedAt: row.updatedAt.toISOString(),
    updatedByEmail: row.updatedByEmail,
  };
}

/**
 * The policy for keys in one AWS account (issue 14): the organisation's, with the account's own
 * maximum key age and model list where it sets them (null: the organisation's value). An account
 * may be stricter (production) or looser (a team sandbox) than the organisation.
 */
export async function policyForAccount(db: PrismaClient, base: KeyPolicy, accountId: string | null): Promise<KeyPolicy> {
  if (!accountId) return base;
  const account = await db.awsAccount.findUnique({ where: { id: accountId }, select: { policyMaxKeyAgeDays: true, policyAllowedModels: true } });
  if (!account) return base;
  return {
    ...base,
    ...(account.policyMaxKeyAgeDays !== null ? { maxKeyAgeDays: account.policyMaxKeyAgeDays, defaultExpiryDays: Math.min(base.defaultExpiryDays, account.policyMaxKeyAgeDays) } : {}),
    ...(account.policyAllowedModels !== null ? { allowedModels: strings(account.policyAllowedModels) } : {}),
  };
}

export interface PolicyLimits {
  configuredExtraPolicies: readonly string[];
  /** SHORT_TERM_MAX_HOURS × 60: the deployment's ceiling for short-term keys. */
  shortTermCeilingMinutes: number;
}

/**
 * Save the policy. Optimistic concurrency on `version`: an admin saving a form rendered before
 * someone else's save is refused ("conflict") instead of silently undoing the other change.
 * The audit entry gets the values before and after.
 */
export async function updatePolicy(
  db: PrismaClient,
  actor: { id: string; email: string },
  input: PolicyInput,
  limits: PolicyLimits,
  audit: AuditSink,
): Promise<KeyPolicy> {
  audit.target({ type: POLICY_TARGET, id: POLICY_ID, label: "Key policy" });
  const fields: Record<string, { code: string; params?: Record<string, string | number> }> = {};
  if (input.allowedExtraPolicies.some((p) => !limits.configuredExtraPolicies.includes(p))) {
    fields.allowedExtraPolicies = { code: "field.choice" };
  }
  if (input.shortTermMaxMinutes > limits.shortTermCeilingMinutes) {
    fields.shortTermMaxMinutes = { code: "policy.aboveDeploymentLimit", params: { max: limits.shortTermCeilingMinutes } };
  }
  if (Object.keys(fields).length > 0) throw new ActionError("invalidInput", {}, fields);

  const before = await getPolicy(db, limits.configuredExtraPolicies);
  const { version, ...values } = input;
  const data = {
    maxKeyAgeDays: values.maxKeyAgeDays,
    defaultExpiryDays: values.defaultExpiryDays,
    allowedModels: JSON.stringify(values.allowedModels),
    allowedExtraPolicies: JSON.stringify(values.allowedExtraPolicies),
    longTermRequiresApproval: values.longTermRequiresApproval,
    shortTermSelfService: values.shortTermSelfService,
    shortTermMaxMinutes: values.shortTermMaxMinutes,
    pickupWindowHours: values.pickupWindowHours,
    rotationDays: values.rotationDays ?? null,
    updatedById: actor.id,
    updatedByEmail: actor.email,
  };
  if (version !== before.version) throw new ActionError("conflict");
  if (version === 0) {
    // First save: the unique id decides between two admins saving the defaults at once.
    try {
      await db.orgPolicy.create({ data: { id: POLICY_ID, version: 1, ...data } });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") throw new ActionError("conflict");
      throw error;
    }
  } else {
    const saved = await db.orgPolicy.updateMany({ where: { id: POLICY_ID, version }, data: { ...data, version: version + 1 } });
    if (saved.count !== 1) throw new ActionError("conflict");
  }
  const after = await getPolicy(db, limits.configuredExtraPolicies);
  audit.detail({ version: after.version, before: policyValues(before), after: policyValues(after) });
  return after;
}
