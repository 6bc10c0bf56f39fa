import { ActionError } from "@/lib/actions/errors";
import { isAwsKind } from "@/lib/aws/errors";
import { deleteUserPolicy, detachUserPolicy } from "@/lib/aws/iam";
import { recordCleanup, retryCleanup } from "@/lib/keys/cleanup";
import { deleteKey, setKeyStatus } from "@/lib/keys/lifecycle";
import { RESTRICTION_POLICY_NAME } from "@/lib/keys/restriction-policy";
import { iamOf, type AuditSink, type KeyActor, type KeyDeps } from "@/lib/keys/types";
import type { PolicyRef } from "./evaluate";
import { RULE_INFO, type FixKind, type RuleId } from "./rules";
import { findFindingInScope, parseDetail } from "./scope";
import { FINDING_TARGET } from "./types";

/**
 * One-click fixes. Each looks the finding up in the actor's scope, then acts through the key's
 * lifecycle functions (which re-check the key's own scope, take its lock and record the result)
 * or, for policies and orphan users, through the same IAM operations the clean-up uses. The
 * finding is removed once fixed; the next evaluation confirms (or finds it again).
 */

export interface FixInput {
  findingId: string;
  fix: Exclude<FixKind, "keyPage">;
  /** detachPolicy: which of the finding's policies (its name). */
  policy?: string;
}

const ADMIN_ONLY: ReadonlySet<FixKind> = new Set(["delete", "deleteUser", "detachPolicy"]);

export async function fixFinding(deps: KeyDeps, actor: KeyActor, input: FixInput, audit: AuditSink): Promise<{ fixed: true; rule: RuleId }> {
  const finding = await findFindingInScope(deps.db, actor, input.findingId);
  const rule = finding.rule as RuleId;
  audit.detail({ findingId: finding.id, rule, fix: input.fix });
  if (!RULE_INFO[rule]?.fixes.includes(input.fix)) throw new ActionError("invalidInput");
  if (ADMIN_ONLY.has(input.fix) && actor.role !== "admin") throw new ActionError("forbidden");

  switch (input.fix) {
    case "disable":
      if (!finding.apiKeyId) throw new ActionError("invalidInput");
      await setKeyStatus(deps, actor, finding.apiKeyId, "Inactive", audit);
      break;
    case "delete": {
      if (!finding.apiKeyId) throw new ActionError("invalidInput");
      const key = await deps.db.apiKey.findUnique({ where: { id: finding.apiKeyId }, select: { name: true, status: true } });
      if (!key) throw new ActionError("notFound");
      // IAM deletes only a disabled key (as the AWS console): the one click disables it first.
      if (key.status === "Active") await setKeyStatus(deps, actor, finding.apiKeyId, "Inactive", audit);
      await deleteKey(deps, actor, finding.apiKeyId, key.name, audit);
      break;
    }
    case "deleteUser":
      audit.target({ type: "iamUser", id: finding.iamUserName, label: finding.iamUserName, teamId: null });
      await recordCleanup(deps.db, { iamUserName: finding.iamUserName, apiKeyId: null, accountId: finding.accountId, reason: "foundByRefresh", now: deps.now() });
      // Re-reads the user's credentials live and deletes only a user holding none.
      if ((await retryCleanup(deps, finding.iamUserName, audit)) === "failed") throw new ActionError("keys.cleanupFailed", { user: finding.iamUserName });
      break;
    case "detachPolicy": {
      audit.target({ type: FINDING_TARGET, id: finding.id, label: finding.label, teamId: finding.teamId });
      const policies = (parseDetail(finding.detail).policies ?? []) as PolicyRef[];
      const policy = policies.find((p) => p.name === input.policy) ?? (policies.length === 1 && !input.policy ? policies[0] : undefined);
      // The console's own restriction policy is never removed here (that widens the key).
      if (!policy || policy.name === RESTRICTION_POLICY_NAME) throw new ActionError("invalidInput");
      audit.detail({ iamUserName: finding.iamUserName, policy: policy.name, policyKind: policy.kind });
      const iam = await iamOf(deps, finding.accountId);
      try {
        if (policy.kind === "attached" && policy.arn) await detachUserPolicy(iam, finding.iamUserName, policy.arn);
        else await deleteUserPolicy(iam, finding.iamUserName, policy.name);
      } catch (error) {
        if (!isAwsKind(error, "NotFound")) throw error; // already removed: fixed all the same
      }
      break;
    }
  }
  await deps.db.postureFinding.deleteMany({ where: { id: finding.id } });
  return { fixed: true, rule };
}
