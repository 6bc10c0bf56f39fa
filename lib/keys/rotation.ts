import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import { createBedrockCredential, deleteCredential, listBedrockCredentials, setCredentialStatus } from "@/lib/aws/iam";
import type { BedrockCredential } from "@/lib/aws/iam-mapping";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notify, type NotifyDeps } from "@/lib/notifications/service";
import { getPolicy, policyForAccount } from "@/lib/policy/service";
import { suggestedModelId } from "./catalogue";
import type { KeyReveal } from "./issue";
import { acquireLease, releaseLease, withKeyLock } from "./lease";
import { OPEN_ROTATION_STATES } from "./rotation-states";
import { markGone, onKey, report, requirePresent, withLockedKey } from "./lifecycle";
import { keyAdminScope, type KeyRow } from "./scope";
import { parseKeySettings } from "./settings";
import { type AuditSink, iamOf, KEY_TARGET, type KeyActor, type KeyDeps, NO_AUDIT } from "./types";

/**
 * Rotation with overlap (issue 16). IAM allows two Bedrock credentials per user, so a key is
 * rotated by creating the second one on its IAM user: the new secret is revealed once (to the
 * person rotating, or to the owner, who picks it up), both work until the grace period ends, then
 * the old one is deactivated and deleted — by the scheduled job (lease-protected, audited, retried
 * while AWS is unreachable) or earlier on demand.
 *
 * ApiKey.credentialId moves to the new credential as soon as it exists (status, expiry and age are
 * then the new one's); the old one is known through its KeyRotation row until deleted, so the
 * inventory refresh neither records it as an unmanaged key nor marks anything gone. Usage needs
 * nothing: CloudTrail names the IAM user, which both credentials share.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export { OPEN_ROTATION_STATES };

export type RotationDeps = KeyDeps & { notify?: NotifyDeps };

/** Who may rotate: admins any key, leads their teams' keys and their own, developers their own. */
export function keyRotateScope(actor: Pick<KeyActor, "id" | "role" | "ledTeamIds">): Prisma.ApiKeyWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "lead") return { OR: [{ teamId: { in: actor.ledTeamIds } }, { ownerId: actor.id }] };
  if (actor.role === "developer") return { ownerId: actor.id };
  return { id: { in: [] } };
}

export type StartResult =
  | { state: "overlap"; rotationId: string; graceEndsAt: string; reveal: KeyReveal }
  | { state: "pickup"; rotationId: string; pickupExpiresAt: string };

/** The new credential's age: the key's own, within the organisation's maximum (a key that never expired gets the maximum). */
function newAgeDays(key: KeyRow, maxKeyAgeDays: number | null): number | null {
  const own = key.expiresAt && key.awsCreatedAt ? Math.max(1, Math.round((key.expiresAt.getTime() - key.awsCreatedAt.getTime()) / DAY_MS)) : null;
  if (maxKeyAgeDays === null) return own;
  return own === null ? maxKeyAgeDays : Math.min(own, maxKeyAgeDays);
}

async function openRotation(deps: KeyDeps, keyId: string) {
  return deps.db.keyRotation.findFirst({ where: { apiKeyId: keyId, state: { in: [...OPEN_ROTATION_STATES] } } });
}

/**
 * Start a rotation. `deliver: "me"` creates the new credential now and returns its secret (admins,
 * or the key's owner); `"owner"` records a rotation waiting for the owner, who is notified and
 * picks the secret up once within the policy's pick-up window (the grace period starts then).
 */
export async function startRotation(
  deps: RotationDeps,
  actor: KeyActor,
  input: { keyId: string; graceHours: number; deliver: "me" | "owner" },
  audit: AuditSink = NO_AUDIT,
): Promise<StartResult> {
  return withLockedKey(deps, input.keyId, keyRotateScope(actor), async (key) => {
    report(audit, key);
    requirePresent(key);
    audit.detail({ graceHours: input.graceHours, deliver: input.deliver });
    if (await openRotation(deps, key.id)) throw new ActionError("rotation.inProgress", { name: key.name });
    const isOwner = key.ownerId === actor.id;
    if (input.deliver === "me" && actor.role !== "admin" && !isOwner) throw new ActionError("rotation.revealOwnerOnly");
    if (input.deliver === "owner" && !key.ownerId) throw new ActionError("rotation.noOwner", { name: key.name });
    const now = deps.now();
    const policy = await policyForAccount(deps.db, await getPolicy(deps.db, deps.allowedExtraPolicies), key.accountId);
    const base = {
      apiKeyId: key.id,
      accountId: key.accountId,
      iamUserName: key.iamUserName,
      oldCredentialId: key.credentialId!,
      graceHours: input.graceHours,
      startedById: actor.id,
      startedByEmail: actor.email,
    };
    if (input.deliver === "owner" && !isOwner) {
      const pickupExpiresAt = new Date(now.getTime() + policy.pickupWindowHours * HOUR_MS);
      const rotation = await deps.db.keyRotation.create({ data: { ...base, state: "pickup", recipientId: key.ownerId, pickupExpiresAt } });
      audit.detail({ rotationId: rotation.id, pickupExpiresAt: pickupExpiresAt.toISOString() });
      if (deps.notify) {
        await notify(deps.notify, {
          kind: "key.rotationReady",
          recipients: [key.ownerId!],
          params: { keyName: key.name, pickupBy: pickupExpiresAt.toISOString() },
          href: `/keys/${key.id}`,
          dedupeKey: `key.rotationReady:${rotation.id}`,
          data: { keyId: key.id, keyName: key.name, pickupBy: pickupExpiresAt.toISOString() },
        });
      }
      return { state: "pickup", rotationId: rotation.id, pickupExpiresAt: pickupExpiresAt.toISOString() };
    }
    const rotation = await deps.db.keyRotation.create({ data: { ...base, state: "creating", recipientId: actor.id } });
    return createSecond(deps, key, rotation.id, newAgeDays(key, policy.maxKeyAgeDays), audit);
  });
}

/** The owner picks up the new secret of a rotation started for them: created now, shown once. */
export async function pickUpRotation(deps: RotationDeps, actor: KeyActor, keyId: string, audit: AuditSink = NO_AUDIT): Promise<StartResult> {
  return withLockedKey(deps, keyId, keyRotateScope(actor), async (key) => {
    report(audit, key);
    requirePresent(key);
    const now = deps.now();
    const rotation = await deps.db.keyRotation.findFirst({ where: { apiKeyId: key.id, state: "pickup", recipientId: actor.id } });
    if (!rotation) throw new ActionError("notFound");
    if (!rotation.pickupExpiresAt || rotation.pickupExpiresAt <= now) throw new ActionError("rotation.pickupExpired", { name: key.name });
    // Conditional: one pick-up, however many tabs submit at once (the key lock serialises them too).
    const claimed = await deps.db.keyRotation.updateMany({ where: { id: rotation.id, state: "pickup" }, data: { state: "creating" } });
    if (claimed.count !== 1) throw new ActionError("conflict");
    const policy = await policyForAccount(deps.db, await getPolicy(deps.db, deps.allowedExtraPolicies), key.accountId);
    audit.detail({ rotationId: rotation.id, via: "pickup" });
    try {
      return await createSecond(deps, key, rotation.id, newAgeDays(key, policy.maxKeyAgeDays), audit);
    } catch (error) {
      // Nothing was made (createSecond undoes its own steps): the owner may try again.
      await deps.db.keyRotation.updateMany({ where: { id: rotation.id, state: "cancelled" }, data: { state: "pickup" } });
      throw error;
    }
  });
}

/**
 * Create the second credential, switch the key to it and start the grace period. On a failure
 * nothing is left: the rotation row is cancelled and a credential already made is deleted.
 */
async function createSecond(deps: KeyDeps, key: KeyRow, rotationId: string, ageDays: number | null, audit: AuditSink): Promise<StartResult> {
  const now = deps.now();
  const iam = await iamOf(deps, key.accountId);
  const cancel = () => deps.db.keyRotation.updateMany({ where: { id: rotationId, state: "creating" }, data: { state: "cancelled", finishedAt: deps.now() } });
  let created: Awaited<ReturnType<typeof createBedrockCredential>> | null = null;
  try {
    const live = await onKey(deps, key, audit, () => listBedrockCredentials(iam, now, key.iamUserName));
    if (!live.items.some((c) => c.credentialId === key.credentialId)) return await markGone(deps, key, audit);
    const others = live.items.filter((c) => c.credentialId !== key.credentialId);
    if (others.length > 0) throw twoCredentials(key, others[0]!);
    try {
      created = await onKey(deps, key, audit, () => createBedrockCredential(iam, key.iamUserName, ageDays, now));
    } catch (error) {
      // Someone made a second one between the listing and the create.
      if (isAwsKind(error, "LimitExceeded")) {
        const again = await listBedrockCredentials(iam, now, key.iamUserName);
        const other = again.items.find((c) => c.credentialId !== key.credentialId);
        if (other) throw twoCredentials(key, other);
      }
      throw error;
    }
    const { credential } = created;
    const graceEndsAt = new Date(now.getTime() + (await graceHoursOf(deps, rotationId)) * HOUR_MS);
    await deps.db.$transaction(async (tx) => {
      const moved = await tx.apiKey.updateMany({
        where: { id: key.id, state: "present", credentialId: key.credentialId },
        data: { credentialId: credential.credentialId, status: credential.status, expiresAt: credential.expiresAt, awsCreatedAt: credential.createdAt },
      });
      const started = await tx.keyRotation.updateMany({ where: { id: rotationId, state: "creating" }, data: { state: "overlap", newCredentialId: credential.credentialId, graceEndsAt } });
      if (moved.count !== 1 || started.count !== 1) throw new ActionError("conflict");
    });
    audit.detail({ rotationId, oldCredentialId: key.credentialId, newCredentialId: credential.credentialId, graceEndsAt: graceEndsAt.toISOString(), ageDays });
    return {
      state: "overlap",
      rotationId,
      graceEndsAt: graceEndsAt.toISOString(),
      reveal: {
        keyId: key.id,
        name: key.name,
        iamUserName: key.iamUserName,
        credentialId: credential.credentialId,
        region: deps.region,
        modelId: suggestedModelId(deps.region, parseKeySettings(key.settings).models),
        createdAt: credential.createdAt.toISOString(),
        expiresAt: credential.expiresAt?.toISOString() ?? null,
        secret: created.secret,
      },
    };
  } catch (error) {
    if (created) {
      const id = created.credential.credentialId;
      const undone = await deleteCredential(iam, key.iamUserName, id).then(
        () => true,
        (e: unknown) => isAwsKind(e, "NotFound"),
      );
      audit.detail({ undone: { newCredentialId: id, deleted: undone } });
    }
    await cancel();
    if (error instanceof AwsServiceError) audit.detail(error.toDetails());
    throw error;
  }
}

async function graceHoursOf(deps: KeyDeps, rotationId: string): Promise<number> {
  return (await deps.db.keyRotation.findUniqueOrThrow({ where: { id: rotationId }, select: { graceHours: true } })).graceHours;
}

function twoCredentials(key: KeyRow, other: BedrockCredential): ActionError {
  return new ActionError("rotation.twoCredentials", { name: key.name, user: key.iamUserName, credentialId: other.credentialId, status: other.status });
}

export type FinishOutcome = "finished" | "failed";

/**
 * End the overlap: deactivate, then delete the old credential (already gone counts as done) and
 * close the rotation. A failure (AWS unreachable, …) leaves the rotation open with the attempt
 * counted: the job tries again on its next run, so a grace period is never silently dropped.
 */
async function finishLocked(deps: KeyDeps, rotationId: string, audit: AuditSink): Promise<{ oldCredentialId: string }> {
  const rotation = await deps.db.keyRotation.findUnique({ where: { id: rotationId } });
  if (!rotation || rotation.state !== "overlap") throw new ActionError("rotation.notInOverlap");
  audit.detail({ rotationId, oldCredentialId: rotation.oldCredentialId, newCredentialId: rotation.newCredentialId, attempt: rotation.attempts + 1 });
  try {
    const iam = await iamOf(deps, rotation.accountId);
    const gone = (e: unknown) => {
      if (!isAwsKind(e, "NotFound")) throw e;
    };
    await setCredentialStatus(iam, rotation.iamUserName, rotation.oldCredentialId, "Inactive").catch(gone);
    await deleteCredential(iam, rotation.iamUserName, rotation.oldCredentialId).catch(gone);
  } catch (error) {
    await deps.db.keyRotation.update({
      where: { id: rotation.id },
      data: { attempts: { increment: 1 }, lastError: error instanceof AwsServiceError ? `${error.operation}: ${error.awsCode}` : error instanceof Error ? error.name : "unknown" },
    });
    if (error instanceof AwsServiceError) audit.detail(error.toDetails());
    throw error;
  }
  await deps.db.keyRotation.update({ where: { id: rotation.id }, data: { state: "done", finishedAt: deps.now(), lastError: null } });
  return { oldCredentialId: rotation.oldCredentialId };
}

/** "Finish rotation now": whoever may rotate the key ends its overlap early. */
export async function finishRotationNow(deps: KeyDeps, actor: KeyActor, keyId: string, audit: AuditSink = NO_AUDIT): Promise<{ keyId: string; oldCredentialId: string }> {
  return withLockedKey(deps, keyId, keyRotateScope(actor), async (key) => {
    report(audit, key);
    const rotation = await deps.db.keyRotation.findFirst({ where: { apiKeyId: key.id, state: "overlap" } });
    if (!rotation) throw new ActionError("rotation.notInOverlap");
    audit.detail({ early: true });
    const done = await finishLocked(deps, rotation.id, audit);
    return { keyId: key.id, ...done };
  });
}

/**
 * The way out when the key's user already holds a second credential (made elsewhere): delete it,
 * after the admin confirmed. Only a credential of this key's user, never the key's own nor one a
 * rotation is using; an active one is deactivated first, and a record of it (an unmanaged row)
 * is marked deleted.
 */
export async function removeOtherCredential(deps: KeyDeps, actor: KeyActor, input: { keyId: string; credentialId: string }, audit: AuditSink = NO_AUDIT) {
  return withLockedKey(deps, input.keyId, keyAdminScope(actor), async (key) => {
    report(audit, key);
    requirePresent(key);
    audit.detail({ otherCredentialId: input.credentialId });
    if (input.credentialId === key.credentialId || (await openRotation(deps, key.id))) throw new ActionError("rotation.notOther");
    const now = deps.now();
    const iam = await iamOf(deps, key.accountId);
    const live = await onKey(deps, key, audit, () => listBedrockCredentials(iam, now, key.iamUserName));
    const other = live.items.find((c) => c.credentialId === input.credentialId);
    if (!other) throw new ActionError("rotation.notOther");
    if (other.status === "Active") await onKey(deps, key, audit, () => setCredentialStatus(iam, key.iamUserName, other.credentialId, "Inactive"));
    await onKey(deps, key, audit, () => deleteCredential(iam, key.iamUserName, other.credentialId));
    await deps.db.apiKey.updateMany({ where: { credentialId: other.credentialId, state: { in: ["present", "gone"] } }, data: { state: "deleted", status: "Inactive", removedAt: now } });
    audit.detail({ otherStatus: other.status });
    return { keyId: key.id, credentialId: other.credentialId };
  });
}

/** The other credentials on a key's IAM user (the key page's way out of "two credentials already"). */
export async function otherCredentials(deps: KeyDeps, key: { iamUserName: string; credentialId: string | null; accountId: string | null }) {
  const live = await listBedrockCredentials(await iamOf(deps, key.accountId), deps.now(), key.iamUserName);
  return live.items.filter((c) => c.credentialId !== key.credentialId).map((c) => ({ credentialId: c.credentialId, status: c.status, createdAt: c.createdAt.toISOString() }));
}

export const ROTATION_LEASE = "key-rotation";
/** Longer than any create-and-switch takes (the key lock's TTL is 2 minutes). */
const STUCK_CREATING_MS = 10 * 60_000;
const LEASE_TTL_MS = 10 * 60_000;

export interface RotationJobOutcome {
  status: "done" | "busy";
  finished: number;
  failed: number;
  pickupsExpired: number;
}

/**
 * The scheduled job: end every overlap whose grace period is over, and close pick-ups nobody came
 * for (nothing was made for them). One instance at a time (database lease); every attempt is
 * audited as "system"; a failed one stays due and is tried again next run.
 */
export async function runRotationJob(deps: KeyDeps, holder: string): Promise<RotationJobOutcome> {
  const outcome: RotationJobOutcome = { status: "done", finished: 0, failed: 0, pickupsExpired: 0 };
  if (!(await acquireLease(deps.db, ROTATION_LEASE, holder, LEASE_TTL_MS, deps.now()))) return { ...outcome, status: "busy" };
  try {
    const now = deps.now();
    const expired = await deps.db.keyRotation.findMany({ where: { state: "pickup", pickupExpiresAt: { lte: now } }, take: 500 });
    for (const r of expired) {
      const closed = await deps.db.keyRotation.updateMany({ where: { id: r.id, state: "pickup" }, data: { state: "cancelled", finishedAt: now } });
      if (closed.count !== 1) continue;
      outcome.pickupsExpired++;
      await systemAudit(deps, "keys.rotation_pickup_expired", "success", r.apiKeyId, { rotationId: r.id });
    }
    // A rotation stuck in "creating" (the process died mid-way) would block the key's next one.
    const stuck = await deps.db.keyRotation.findMany({ where: { state: "creating", updatedAt: { lt: new Date(now.getTime() - STUCK_CREATING_MS) } }, take: 500 });
    for (const r of stuck) {
      const closed = await deps.db.keyRotation.updateMany({ where: { id: r.id, state: "creating" }, data: { state: "cancelled", finishedAt: now, lastError: "interrupted" } });
      if (closed.count === 1) await systemAudit(deps, "keys.rotation_finish", "failure", r.apiKeyId, { rotationId: r.id, reason: "interrupted", cancelled: true });
    }
    const due = await deps.db.keyRotation.findMany({ where: { state: "overlap", graceEndsAt: { lte: now } }, orderBy: { graceEndsAt: "asc" }, take: 500 });
    for (const r of due) {
      const details: Record<string, unknown> = { trigger: "schedule" };
      const sink: AuditSink = { target() {}, detail: (d) => Object.assign(details, d) };
      try {
        // The key's lock: a "finish now" or another lifecycle operation on it waits its turn.
        await withKeyLock(deps.db, r.apiKeyId, deps.now(), () => finishLocked(deps, r.id, sink));
        outcome.finished++;
        await systemAudit(deps, "keys.rotation_finish", "success", r.apiKeyId, details);
      } catch (error) {
        outcome.failed++;
        await systemAudit(deps, "keys.rotation_finish", "failure", r.apiKeyId, { ...details, reason: error instanceof ActionError ? error.code : error instanceof AwsServiceError ? error.awsCode : "error", willRetry: true });
      }
    }
  } finally {
    await releaseLease(deps.db, ROTATION_LEASE, holder);
  }
  return outcome;
}

async function systemAudit(deps: KeyDeps, action: string, result: "success" | "failure", keyId: string, details: Record<string, unknown>) {
  const key = await deps.db.apiKey.findUnique({ where: { id: keyId }, select: { name: true, teamId: true } });
  await appendAudit(deps.db, { action, result, actorEmail: "system", targetType: KEY_TARGET, targetId: keyId, targetLabel: key?.name ?? null, teamId: key?.teamId ?? null, details });
}

/** What the key page shows about rotation. */
export interface RotationView {
  state: "pickup" | "overlap";
  graceHours: number;
  graceEndsAt: string | null;
  pickupExpiresAt: string | null;
  /** The viewer is the one to pick the new secret up. */
  forViewer: boolean;
  attempts: number;
  lastError: string | null;
}

export async function rotationView(deps: Pick<KeyDeps, "db">, keyId: string, viewerId: string): Promise<RotationView | null> {
  const r = await deps.db.keyRotation.findFirst({ where: { apiKeyId: keyId, state: { in: ["pickup", "overlap"] } }, orderBy: { createdAt: "desc" } });
  if (!r) return null;
  return {
    state: r.state as "pickup" | "overlap",
    graceHours: r.graceHours,
    graceEndsAt: r.graceEndsAt?.toISOString() ?? null,
    pickupExpiresAt: r.pickupExpiresAt?.toISOString() ?? null,
    forViewer: r.state === "pickup" && r.recipientId === viewerId,
    attempts: r.attempts,
    lastError: r.lastError,
  };
}
