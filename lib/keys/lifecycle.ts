import type { Prisma } from "@/lib/generated/prisma/client";
import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import { deleteCredential, getUserPolicyDocument, listBedrockCredentials, putUserPolicy, resetBedrockCredential, setCredentialStatus } from "@/lib/aws/iam";
import { effectiveStatus } from "@/lib/aws/iam-mapping";
import { assertKeyNameFree } from "./name-unique";
import { suggestedModelId } from "./catalogue";
import type { KeyReveal } from "./issue";
import { recordCleanup, removeConsoleUser } from "./cleanup";
import { withKeyLock } from "./lease";
import { findKeyInScope, keyAdminScope, keyStatusScope, type KeyRow } from "./scope";
import { parseKeySettings } from "./settings";
import { buildRestrictionPolicy, hasRestrictions, readRestrictions, RESTRICTION_POLICY_NAME } from "./restriction-policy";
import { type AuditSink, iamOf, KEY_TARGET, type KeyActor, type KeyDeps, NO_AUDIT } from "./types";

/**
 * Disable, re-enable, reset and delete a long-term key. Each looks the key up within the actor's
 * scope (outside it: "not found"), acts on IAM, and mirrors the result in the database. When IAM
 * says the key no longer exists (deleted in the AWS console meanwhile), the record is marked
 * gone, nothing else is changed, and the person is told so.
 */

export function report(audit: AuditSink, key: KeyRow) {
  audit.target({ type: KEY_TARGET, id: key.id, label: key.name, teamId: key.teamId });
  audit.detail({ iamUserName: key.iamUserName, credentialId: key.credentialId });
}

export function requirePresent(key: KeyRow) {
  if (key.state === "gone" || key.state === "deleted" || !key.credentialId) throw new ActionError("keys.alreadyRemoved");
  return key.credentialId;
}

export async function markGone(deps: KeyDeps, key: KeyRow, audit: AuditSink): Promise<never> {
  await deps.db.apiKey.updateMany({ where: { id: key.id, state: "present" }, data: { state: "gone", removedAt: deps.now() } });
  audit.detail({ goneOutsideConsole: true });
  throw new ActionError("keys.goneOutside", { name: key.name });
}

type KeyScope = Prisma.ApiKeyWhereInput;

/**
 * Look the key up in scope, then hold its lifecycle lock and read it again: what was read before
 * the lock may be stale (another operation was mid-way), and everything after reads IAM and
 * writes the record, which must not interleave with another operation on the same key.
 */
export async function withLockedKey<T>(deps: KeyDeps, keyId: string, scope: KeyScope, run: (key: KeyRow) => Promise<T>): Promise<T> {
  const found = await findKeyInScope(deps.db, keyId, scope);
  return withKeyLock(deps.db, found.id, deps.now(), async () => run(await findKeyInScope(deps.db, found.id, scope)));
}

/** Mirror a change in the record only while it is still present; anything else is a conflict. */
async function updatePresent(deps: KeyDeps, key: KeyRow, data: { status?: string; expiresAt?: Date | null; awsCreatedAt?: Date; state?: string; removedAt?: Date }) {
  const updated = await deps.db.apiKey.updateMany({ where: { id: key.id, state: "present" }, data });
  if (updated.count !== 1) throw new ActionError("conflict");
}

/** Run an IAM call on the key; NoSuchEntity means it was deleted outside the console. */
export async function onKey<T>(deps: KeyDeps, key: KeyRow, audit: AuditSink, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return markGone(deps, key, audit);
    if (error instanceof AwsServiceError) audit.detail(error.toDetails());
    throw error;
  }
}

export async function setKeyStatus(
  deps: KeyDeps,
  actor: KeyActor,
  keyId: string,
  status: "Active" | "Inactive",
  audit: AuditSink = NO_AUDIT,
): Promise<{ keyId: string; status: string }> {
  return withLockedKey(deps, keyId, keyStatusScope(actor), async (key) => {
    report(audit, key);
    const credentialId = requirePresent(key);
    await onKey(deps, key, audit, async () => setCredentialStatus(await iamOf(deps, key.accountId), key.iamUserName, credentialId, status));
    const next = effectiveStatus(status, key.expiresAt, deps.now());
    await updatePresent(deps, key, { status: next });
    audit.detail({ from: key.status, to: next });
    return { keyId: key.id, status: next };
  });
}

/** New secret, shown once; the old one stops working at once. Expired keys cannot be reset (AWS rule). */
export async function resetKey(deps: KeyDeps, actor: KeyActor, keyId: string, audit: AuditSink = NO_AUDIT): Promise<KeyReveal> {
  return withLockedKey(deps, keyId, keyAdminScope(actor), (key) => resetLocked(deps, key, audit));
}

async function resetLocked(deps: KeyDeps, key: KeyRow, audit: AuditSink): Promise<KeyReveal> {
  report(audit, key);
  const credentialId = requirePresent(key);
  const now = deps.now();
  if (effectiveStatus(key.status, key.expiresAt, now) === "Expired") throw new ActionError("keys.resetExpired", { name: key.name });
  const issued = await onKey(deps, key, audit, async () => resetBedrockCredential(await iamOf(deps, key.accountId), key.iamUserName, credentialId, now));
  const { credential } = issued;
  await updatePresent(deps, key, { status: credential.status, expiresAt: credential.expiresAt, awsCreatedAt: credential.createdAt });
  return {
    keyId: key.id,
    name: key.name,
    iamUserName: key.iamUserName,
    credentialId,
    region: deps.region,
    modelId: suggestedModelId(deps.region, parseKeySettings(key.settings).models),
    createdAt: credential.createdAt.toISOString(),
    expiresAt: credential.expiresAt?.toISOString() ?? null,
    secret: issued.secret,
  };
}

export interface DeleteResult {
  keyId: string;
  /** true when the console-created IAM user was deleted too. */
  userDeleted: boolean;
  /** Why the IAM user was kept, when it was: not created by the console, or it still holds other keys. */
  userKeptBecause?: "notConsoleUser" | "otherCredentials";
  /** true when removing the console-made user failed after the key was deleted: recorded, retried later. */
  cleanupPending?: boolean;
}

/**
 * Delete a key. Like the AWS console, only a disabled key can be deleted; the current state is
 * read from IAM first, so a key re-enabled outside the console is not deleted by mistake. For a
 * user the console created, the user goes too (policies detached, inline policies deleted, user
 * deleted — its tags go with it). A user the console did not create keeps everything but the key.
 */
export async function deleteKey(
  deps: KeyDeps,
  actor: KeyActor,
  keyId: string,
  confirmName: string,
  audit: AuditSink = NO_AUDIT,
): Promise<DeleteResult> {
  return withLockedKey(deps, keyId, keyAdminScope(actor), (key) => deleteLocked(deps, key, confirmName, audit));
}

async function deleteLocked(deps: KeyDeps, key: KeyRow, confirmName: string, audit: AuditSink): Promise<DeleteResult> {
  report(audit, key);
  const credentialId = requirePresent(key);
  if (confirmName !== key.name && confirmName !== key.iamUserName) {
    throw new ActionError("invalidInput", {}, { confirmName: { code: "field.confirmName" } });
  }
  const now = deps.now();
  const current = await onKey(deps, key, audit, async () => listBedrockCredentials(await iamOf(deps, key.accountId), now, key.iamUserName));
  const live = current.items.find((c) => c.credentialId === credentialId);
  if (!live) return markGone(deps, key, audit);
  if (live.status === "Active") {
    await updatePresent(deps, key, { status: "Active" });
    throw new ActionError("keys.deleteRequiresInactive", { name: key.name });
  }
  await onKey(deps, key, audit, async () => deleteCredential(await iamOf(deps, key.accountId), key.iamUserName, credentialId));
  // The status is the one IAM had when the credential went, never a stale "Active".
  await updatePresent(deps, key, { state: "deleted", status: live.status, removedAt: now });

  const result: DeleteResult = { keyId: key.id, userDeleted: false };
  const others = current.items.filter((c) => c.credentialId !== credentialId);
  if (!key.consoleUser) result.userKeptBecause = "notConsoleUser";
  else if (others.length > 0) result.userKeptBecause = "otherCredentials";
  else {
    result.userDeleted = await removeUserOrRecord(deps, key, audit);
    if (!result.userDeleted) result.cleanupPending = true;
  }
  audit.detail({ userDeleted: result.userDeleted, ...(result.userKeptBecause ? { userKeptBecause: result.userKeptBecause } : {}) });
  return result;
}

/**
 * Delete the console-made user (policies, then the user). A failure after the key is gone is not
 * thrown — the key is deleted — but recorded as a pending clean-up that is retried until the
 * user is gone, and reported in the result and the audit entry.
 */
async function removeUserOrRecord(deps: KeyDeps, key: KeyRow, audit: AuditSink): Promise<boolean> {
  try {
    await removeConsoleUser(await iamOf(deps, key.accountId), key.iamUserName);
    // A refresh may have recorded the user as an orphan while this deletion was between steps.
    await deps.db.keyCleanup.deleteMany({ where: { iamUserName: key.iamUserName } });
    return true;
  } catch (error) {
    await recordCleanup(deps.db, { iamUserName: key.iamUserName, apiKeyId: key.id, accountId: key.accountId, reason: "deleteFailed", now: deps.now(), error });
    audit.detail({ userCleanupFailed: key.iamUserName, cleanupPending: true, ...(error instanceof AwsServiceError ? error.toDetails() : {}) });
    return false;
  }
}

/** Give an unmanaged key (made outside the console) an owner, a team and a purpose. */
export async function adoptKey(
  deps: KeyDeps,
  actor: KeyActor,
  input: { keyId: string; ownerId: string; teamId: string; name?: string; purpose: string },
  audit: AuditSink = NO_AUDIT,
): Promise<{ keyId: string }> {
  const key = await findKeyInScope(deps.db, input.keyId, keyAdminScope(actor));
  audit.target({ type: KEY_TARGET, id: key.id, label: input.name ?? key.name, teamId: input.teamId });
  requirePresent(key);
  if (key.managed) throw new ActionError("keys.alreadyManaged", { name: key.name });
  const owner = await deps.db.user.findFirst({
    where: { id: input.ownerId, active: true },
    select: { email: true, memberships: { where: { teamId: input.teamId }, select: { teamId: true } } },
  });
  if (!owner) throw new ActionError("invalidInput", {}, { ownerId: { code: "field.unknownUser" } });
  if (owner.memberships.length === 0) throw new ActionError("invalidInput", {}, { teamId: { code: "field.ownerTeam" } });
  await assertKeyNameFree(deps.db, input.name ?? key.name, "name", { keyId: key.id });
  // Conditional on "still unmanaged": two admins adopting at once cannot both win.
  const updated = await deps.db.apiKey.updateMany({
    where: { id: key.id, managed: false },
    data: {
      managed: true,
      ownerId: input.ownerId,
      teamId: input.teamId,
      purpose: input.purpose,
      ...(input.name ? { name: input.name } : {}),
      adoptedAt: deps.now(),
    },
  });
  if (updated.count !== 1) throw new ActionError("conflict");
  audit.detail({ iamUserName: key.iamUserName, ownerEmail: owner.email, previousTeamId: key.teamId });
  return { keyId: key.id };
}

/**
 * Writes the key's restriction policy again from what the console chose at issuance
 * (ApiKey.settings), as the console writes it today. Keys issued before issue 19 restrict models
 * on bedrock-runtime only; this makes the same restriction hold at bedrock-mantle (the OpenAI- and
 * Anthropic-compatible endpoint) too. Admins only; audited with the mantle models before and after.
 */
export async function reapplyRestrictions(deps: KeyDeps, actor: KeyActor, keyId: string, audit: AuditSink = NO_AUDIT): Promise<{ changed: boolean }> {
  return withLockedKey(deps, keyId, keyAdminScope(actor), async (key) => {
    report(audit, key);
    requirePresent(key);
    const settings = parseKeySettings(key.settings);
    if (!hasRestrictions(settings)) throw new ActionError("keys.noRestrictions", { name: key.name });
    const document = buildRestrictionPolicy(settings)!;
    const iam = await iamOf(deps, key.accountId);
    const before = await onKey(deps, key, audit, () => getUserPolicyDocument(iam, key.iamUserName, RESTRICTION_POLICY_NAME));
    const mantle = (doc: string | null) => (doc ? (readRestrictions([doc]).mantleModels?.map((m) => m.id) ?? null) : null);
    if (before !== null && JSON.stringify(JSON.parse(before)) === JSON.stringify(JSON.parse(document))) {
      audit.detail({ unchanged: true });
      return { changed: false };
    }
    await onKey(deps, key, audit, () => putUserPolicy(iam, key.iamUserName, RESTRICTION_POLICY_NAME, document));
    audit.detail({ mantleModels: { before: mantle(before), after: mantle(document) } });
    return { changed: true };
  });
}
