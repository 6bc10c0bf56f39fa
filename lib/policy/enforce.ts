import { ActionError } from "@/lib/actions/errors";
import type { Role } from "@/lib/auth/permissions";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { modelLabel } from "@/lib/keys/catalogue";
import type { KeyPolicy } from "./schema";
import { getPolicy } from "./service";

/**
 * The organisation's policy, enforced on the server in every issuance path: the admin's direct
 * issuance (lib/keys/issue.ts), the pick-up of an approved request (lib/requests), and short-term
 * generation (lib/shortterm/service.ts). Each check returns field errors whose codes are in the
 * "errors" namespace ("policy.*"), so a form can show them next to the field that asks too much.
 */

export type FieldProblem = { code: string; params?: Record<string, string | number> };
export type FieldProblems = Record<string, FieldProblem>;

export interface LongTermAsk {
  /** null = never expires */
  ageDays: number | null;
  /** [] = no model restriction */
  models: readonly string[];
  extraPolicies: readonly string[];
}

const list = (items: readonly string[]) => items.map(modelLabel).join(", ");

/** What a long-term key asks for beyond the policy. Field names are the issue form's. */
export function longTermProblems(policy: KeyPolicy, ask: LongTermAsk): FieldProblems {
  const problems: FieldProblems = {};
  const max = policy.maxKeyAgeDays;
  if (max !== null) {
    if (ask.ageDays === null) problems.expiry = { code: "policy.neverExpires", params: { max } };
    else if (ask.ageDays > max) problems.expiry = { code: "policy.tooLong", params: { max } };
  }
  if (policy.allowedModels.length > 0) {
    if (ask.models.length === 0) {
      problems.models = { code: "policy.modelsRequired" };
    } else {
      const outside = ask.models.filter((m) => !policy.allowedModels.includes(m));
      if (outside.length > 0) problems.models = { code: "policy.modelsNotAllowed", params: { models: list(outside) } };
    }
  }
  const extras = ask.extraPolicies.filter((p) => !policy.allowedExtraPolicies.includes(p));
  if (extras.length > 0) problems.extraPolicies = { code: "policy.extraPolicyNotAllowed", params: { policies: extras.join(", ") } };
  return problems;
}

export interface ShortTermAsk {
  role: Role;
  minutes: number;
  /** true when the key is the pick-up of an approved request (then no self-service is needed). */
  viaApprovedRequest: boolean;
}

/** Self-service is a developer question: leads and admins may always make short-term keys for themselves. */
export function shortTermProblems(policy: KeyPolicy, ask: ShortTermAsk): { form?: FieldProblem; fields: FieldProblems } {
  if (ask.role === "developer" && !ask.viaApprovedRequest && !policy.shortTermSelfService) {
    return { form: { code: "policy.shortTermNeedsApproval" }, fields: {} };
  }
  if (ask.minutes > policy.shortTermMaxMinutes) {
    return { fields: { expiresInMinutes: { code: "policy.shortTermTooLong", params: { max: policy.shortTermMaxMinutes } } } };
  }
  return { fields: {} };
}

function refuse(form: FieldProblem, fields: FieldProblems): never {
  throw new ActionError(form.code, form.params ?? {}, fields);
}

/** Throws a policy refusal ("policy.refused" + the field errors) when a long-term key asks too much. */
export async function assertLongTermWithinPolicy(db: PrismaClient, configuredExtraPolicies: readonly string[], ask: LongTermAsk): Promise<KeyPolicy> {
  const policy = await getPolicy(db, configuredExtraPolicies);
  const fields = longTermProblems(policy, ask);
  if (Object.keys(fields).length > 0) refuse({ code: "policy.refused" }, fields);
  return policy;
}

export async function assertShortTermWithinPolicy(db: PrismaClient, ask: ShortTermAsk): Promise<KeyPolicy> {
  // Extra managed policies play no part in short-term keys (they carry the signing role's rights).
  const policy = await getPolicy(db, []);
  const { form, fields } = shortTermProblems(policy, ask);
  if (form || Object.keys(fields).length > 0) refuse(form ?? { code: "policy.refused" }, fields);
  return policy;
}
