import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import {
  attachUserPolicy,
  createBedrockCredential,
  createUser,
  deleteCredential,
  deleteUser,
  deleteUserPolicy,
  detachUserPolicy,
  putUserPolicy,
} from "@/lib/aws/iam";
import { BEDROCK_LIMITED_ACCESS, managedPolicyArn, toTagValue } from "@/lib/aws/iam-mapping";
import { longTermProblems } from "@/lib/policy/enforce";
import { getPolicy, policyForAccount } from "@/lib/policy/service";
import { teamMayUseAccount } from "@/lib/accounts/service";
import { suggestedModelId } from "./catalogue";
import { findNameClash, nameTakenError } from "./name-unique";
import { iamUserNameFor } from "./naming";
import { buildRestrictionPolicy, RESTRICTION_POLICY_NAME, restrictionPolicyFits, USER_INLINE_POLICY_LIMIT } from "./restriction-policy";
import type { IssueKeyInput } from "./schemas";
import { isUniqueViolation, type KeySettings } from "./settings";
import { type AuditSink, iamOf, KEY_TARGET, type KeyActor, type KeyDeps, NO_AUDIT } from "./types";

/** What the one-time reveal screen needs. The only place a secret ever leaves the server. */
export interface KeyReveal {
  keyId: string;
  name: string;
  iamUserName: string;
  credentialId: string;
  region: string;
  /** Suggested BEDROCK_MODEL_ID for the snippets. */
  modelId: string;
  createdAt: string;
  /** ISO time, or null when the key never expires. */
  expiresAt: string | null;
  /** ServiceCredentialSecret. Shown once; never stored, logged, audited or put in a URL. */
  secret: string;
}

type Undo = { step: string; run: () => Promise<void> };

/**
 * Issue a long-term key: one IAM user per key (tagged), AmazonBedrockLimitedAccess plus the chosen
 * extra policies, the inline restriction policy, then the credential. Any failing step undoes
 * the earlier ones in reverse order, so no IAM user or policy is left behind; the audit entry
 * names the failed step. A second submit of the same form (same idempotency token) creates
 * nothing and says so.
 */
export async function issueLongTermKey(
  deps: KeyDeps,
  actor: KeyActor,
  input: IssueKeyInput,
  audit: AuditSink = NO_AUDIT,
): Promise<KeyReveal> {
  const now = deps.now();
  const { owner, team, accountId } = await checkIssueInput(deps, actor, input, now);
  const reserved = await reserve(deps, actor, input, accountId);
  audit.target({ type: KEY_TARGET, id: reserved.id, label: input.name, teamId: team.id });
  // Two submits with the same name at once both passed the check above; now that each has its
  // row, a second look sees the other. Whoever sees a clash steps back, before anything exists in AWS.
  if (await findNameClash(deps.db, input.name, { keyId: reserved.id, idempotencyToken: input.idempotencyToken })) {
    await deps.db.apiKey.delete({ where: { id: reserved.id } }).catch(() => undefined);
    throw nameTakenError("name", input.name);
  }

  const userName = reserved.iamUserName;
  const settings: KeySettings = { extraPolicies: input.extraPolicies, ...input.restrictions };
  audit.detail({
    iamUserName: userName,
    ...(input.accountId ? { accountId: input.accountId } : {}),
    ownerEmail: owner.email,
    team: team.name,
    ageDays: input.ageDays,
    extraPolicies: input.extraPolicies,
    restrictions: input.restrictions,
  });

  const undo: Undo[] = [];
  let step = "AssumeRole";
  try {
    // The key's account, and only it: every step and every undo runs with its credentials.
    const iam = await iamOf(deps, accountId);
    step = "CreateUser";
    await createUser(iam, {
      userName,
      path: deps.keyIamPath,
      ...(deps.permissionsBoundaryArn ? { permissionsBoundary: deps.permissionsBoundaryArn } : {}),
      tags: {
        owner: toTagValue(owner.email),
        team: toTagValue(team.name),
        purpose: toTagValue(input.purpose),
        name: toTagValue(input.name),
        "created-by": toTagValue(actor.email),
        "console-key-id": reserved.id,
      },
    });
    undo.push({ step: "DeleteUser", run: () => deleteUser(iam, userName) });

    for (const policy of [BEDROCK_LIMITED_ACCESS, ...input.extraPolicies]) {
      step = `AttachUserPolicy ${policy}`;
      const arn = managedPolicyArn(policy);
      await attachUserPolicy(iam, userName, arn);
      undo.push({ step: `DetachUserPolicy ${policy}`, run: () => detachUserPolicy(iam, userName, arn) });
    }

    const document = buildRestrictionPolicy(input.restrictions);
    if (document) {
      step = "PutUserPolicy";
      await putUserPolicy(iam, userName, RESTRICTION_POLICY_NAME, document);
      undo.push({ step: "DeleteUserPolicy", run: () => deleteUserPolicy(iam, userName, RESTRICTION_POLICY_NAME) });
    }

    step = "CreateServiceSpecificCredential";
    const issued = await createBedrockCredential(iam, userName, input.ageDays, now);
    const { credential } = issued;
    undo.push({ step: "DeleteServiceSpecificCredential", run: () => deleteCredential(iam, userName, credential.credentialId) });

    step = "SaveRecord";
    // Conditional: only the reservation this call made, still issuing, becomes the key.
    const saved = await deps.db.apiKey.updateMany({
      where: { id: reserved.id, state: "issuing" },
      data: {
        credentialId: credential.credentialId,
        state: "present",
        status: credential.status,
        awsCreatedAt: credential.createdAt,
        expiresAt: credential.expiresAt,
        settings: JSON.stringify(settings),
      },
    });
    // Not issuing any more: fine if an inventory refresh completed it with this credential (it
    // then lacks the settings, written here), otherwise the undo below removes what was made.
    if (saved.count !== 1) {
      const completed = await deps.db.apiKey.updateMany({ where: { id: reserved.id, credentialId: credential.credentialId }, data: { settings: JSON.stringify(settings) } });
      if (completed.count !== 1) throw new ActionError("conflict");
    }
    audit.detail({ credentialId: credential.credentialId });
    return {
      keyId: reserved.id,
      name: input.name,
      iamUserName: userName,
      credentialId: credential.credentialId,
      region: deps.region,
      modelId: suggestedModelId(deps.region, input.restrictions.models),
      createdAt: credential.createdAt.toISOString(),
      expiresAt: credential.expiresAt?.toISOString() ?? null,
      secret: issued.secret,
    };
  } catch (error) {
    const leftovers = await rollback(undo);
    await deps.db.apiKey.delete({ where: { id: reserved.id } }).catch(() => undefined);
    audit.detail({
      failedStep: step,
      ...(error instanceof AwsServiceError ? error.toDetails() : { error: error instanceof Error ? error.name : "unknown" }),
      rolledBack: undo.map((u) => u.step).reverse(),
      ...(leftovers.length ? { rollbackIncomplete: leftovers } : {}),
    });
    throw issueError(step, error, leftovers, userName);
  }
}

/** Undo in reverse order. Something already gone counts as undone. Returns the steps that failed. */
async function rollback(undo: Undo[]): Promise<string[]> {
  const failed: string[] = [];
  for (const u of [...undo].reverse()) {
    try {
      await u.run();
    } catch (error) {
      if (!isAwsKind(error, "NotFound")) failed.push(u.step);
    }
  }
  return failed;
}

/**
 * What the person is told. An unexpected error (a bug, the database failing) is passed on as is,
 * so the action chain logs it with an event id; the audit entry has the failed step either way.
 */
function issueError(step: string, error: unknown, leftovers: string[], userName: string): unknown {
  if (leftovers.length > 0) return new ActionError("keys.issueCleanupIncomplete", { step, userName });
  if (error instanceof AwsServiceError) {
    // The member role could not be assumed: the account's own message says what to fix.
    if (error.code.startsWith("accounts.")) return new ActionError(error.code, error.params);
    if (error.kind === "AccessDenied") return new ActionError("keys.issueFailedDenied", { step, action: String(error.params.action) });
    return new ActionError("keys.issueFailed", { step, reason: error.awsCode });
  }
  return error;
}

/** Checks that need the database, configuration or clock. Field errors name the form field. */
async function checkIssueInput(deps: KeyDeps, actor: KeyActor, input: IssueKeyInput, now: Date) {
  const fields: Record<string, { code: string; params?: Record<string, string | number> }> = {};
  // "Never expires" is a deliberate admin decision (the form warns); nobody else may choose it.
  if (input.ageDays === null && actor.role !== "admin") fields.expiry = { code: "field.neverAdminOnly" };
  const unknown = input.extraPolicies.filter((p) => !deps.allowedExtraPolicies.includes(p));
  if (unknown.length > 0) fields.extraPolicies = { code: "field.choice" };
  if (input.restrictions.notAfter && input.restrictions.notAfter < now.toISOString().slice(0, 10)) {
    fields.notAfter = { code: "field.dateInPast" };
  }
  const owner = await deps.db.user.findFirst({
    where: { id: input.ownerId, active: true },
    select: { id: true, email: true, memberships: { select: { teamId: true } } },
  });
  if (!owner) fields.ownerId = { code: "field.unknownUser" };
  const team = await deps.db.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } });
  if (!team || (owner && !owner.memberships.some((m) => m.teamId === team.id))) fields.teamId = { code: "field.ownerTeam" };
  // A chosen account must be registered and active (a paused account gets no new keys), and open
  // to the key's team; the console's own account too, when teams are limited there.
  const accountId = input.accountId ?? (deps.accounts ? await deps.accounts.ensureDefault().catch(() => null) : null);
  if (input.accountId) {
    const account = await deps.db.awsAccount.findUnique({ where: { id: input.accountId }, select: { status: true } });
    if (!account) fields.accountId = { code: "field.choice" };
    else if (account.status !== "active") fields.accountId = { code: "field.accountPaused" };
  }
  if (accountId && team && !fields.accountId && !(await teamMayUseAccount(deps.db, team.id, accountId))) {
    fields.accountId = { code: "field.accountNotForTeam", params: { team: team.name } };
  }
  // The organisation's key policy (issue 6) binds every issuance, the admin's own included, with
  // the account's own overrides (issue 14).
  const policy = await policyForAccount(deps.db, await getPolicy(deps.db, deps.allowedExtraPolicies), accountId);
  if (!restrictionPolicyFits(input.restrictions)) {
    fields[input.restrictions.models.length > 0 ? "models" : "cidrs"] ??= { code: "field.restrictionsTooLarge", params: { limit: USER_INLINE_POLICY_LIMIT } };
  }
  const beyondPolicy = longTermProblems(policy, { ageDays: input.ageDays, models: input.restrictions.models, extraPolicies: input.extraPolicies });
  for (const [field, problem] of Object.entries(beyondPolicy)) fields[field] ??= problem;
  const clash = await findNameClash(deps.db, input.name, { idempotencyToken: input.idempotencyToken });
  if (clash && Object.keys(fields).length === 0) throw nameTakenError("name", input.name);
  if (clash) fields.name = { code: "field.keyNameTaken", params: { name: input.name } };
  const onlyPolicy = Object.keys(fields).every((field) => fields[field] === beyondPolicy[field]);
  if (Object.keys(fields).length > 0 || !owner || !team) throw new ActionError(onlyPolicy ? "policy.refused" : "invalidInput", {}, fields);
  return { owner, team, accountId };
}

/**
 * Claim the idempotency token by inserting the record first (state "issuing"). The unique index
 * decides between two concurrent submits; the loser learns whether the winner is still working
 * or already done, and creates nothing.
 */
async function reserve(deps: KeyDeps, actor: KeyActor, input: IssueKeyInput, accountId: string | null, attempt = 1): Promise<{ id: string; iamUserName: string }> {
  try {
    return await deps.db.apiKey.create({
      data: {
        iamUserName: iamUserNameFor(input.name),
        name: input.name,
        purpose: input.purpose,
        ownerId: input.ownerId,
        teamId: input.teamId,
        accountId,
        managed: true,
        consoleUser: true,
        state: "issuing",
        idempotencyToken: input.idempotencyToken,
        createdById: actor.id,
        createdByEmail: actor.email,
      },
      select: { id: true, iamUserName: true },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await deps.db.apiKey.findUnique({
      where: { idempotencyToken: input.idempotencyToken },
      select: { state: true, name: true },
    });
    // The other submit failed and rolled back in between: its token is free again.
    if (!existing && attempt === 1) return reserve(deps, actor, input, accountId, 2);
    if (!existing || existing.state === "issuing") throw new ActionError("keys.issueInProgress");
    throw new ActionError("keys.alreadyIssued", { name: existing.name });
  }
}
