import { randomUUID } from "node:crypto";
import type { IAMClient } from "@aws-sdk/client-iam";
import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import { deleteUser, deleteUserPolicy, detachUserPolicy, listAttachedUserPolicyArns, listBedrockCredentials, listUserPolicyNames } from "@/lib/aws/iam";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { acquireLease, releaseLease, withKeyLock } from "./lease";
import { type AuditSink, iamOf, NO_AUDIT } from "./types";

/**
 * Unfinished clean-ups of console-made IAM users. Deleting a key removes its credential first;
 * if detaching a policy or deleting the user fails after that, the user would stay behind with
 * its policies and no credential — invisible to an inventory that lists credentials. Such a user
 * is recorded here (KeyCleanup), shown as "clean-up pending", and retried on demand and on the
 * schedule until it is gone. A refresh also records users under KEY_IAM_PATH that hold no
 * credential (e.g. left by a failed issuance's undo).
 */

interface Deps {
  db: PrismaClient;
  iam: IAMClient;
  iamFor?: (accountId: string | null) => Promise<IAMClient>;
  now: () => Date;
}

export type CleanupReason = "deleteFailed" | "foundByRefresh";

/** Detach managed policies, delete inline policies, delete the user. NotFound at any point: already gone. */
export async function removeConsoleUser(iam: IAMClient, userName: string): Promise<void> {
  try {
    for (const arn of await listAttachedUserPolicyArns(iam, userName)) await detachUserPolicy(iam, userName, arn);
    for (const name of await listUserPolicyNames(iam, userName)) await deleteUserPolicy(iam, userName, name);
    await deleteUser(iam, userName);
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return;
    throw error;
  }
}

const errorCode = (error: unknown) => (error instanceof AwsServiceError ? error.awsCode : error instanceof Error ? error.name : "unknown");

export async function recordCleanup(
  db: PrismaClient,
  input: { iamUserName: string; apiKeyId: string | null; accountId?: string | null; reason: CleanupReason; now: Date; error?: unknown },
): Promise<void> {
  const lastError = input.error === undefined ? null : errorCode(input.error);
  await db.keyCleanup.upsert({
    where: { iamUserName: input.iamUserName },
    create: { iamUserName: input.iamUserName, apiKeyId: input.apiKeyId, accountId: input.accountId ?? null, reason: input.reason, since: input.now, lastError, ...(lastError ? { attempts: 1, lastTriedAt: input.now } : {}) },
    update: { ...(input.apiKeyId ? { apiKeyId: input.apiKeyId } : {}), ...(lastError ? { lastError, lastTriedAt: input.now } : {}) },
  });
}

export type CleanupOutcome = "removed" | "failed" | "keptHasCredential";

/**
 * One clean-up attempt, under the user's lifecycle lock. The user is deleted only if it holds no
 * Bedrock credential right now (read live): a user that got a key meanwhile is not an orphan.
 */
export async function retryCleanup(deps: Deps, iamUserName: string, audit: AuditSink = NO_AUDIT): Promise<CleanupOutcome> {
  const row = await deps.db.keyCleanup.findUnique({ where: { iamUserName }, select: { iamUserName: true, apiKeyId: true, accountId: true, reason: true } });
  if (!row) throw new ActionError("notFound");
  audit.target({ type: "iamUser", id: iamUserName, label: iamUserName, teamId: null });
  audit.detail({ iamUserName, apiKeyId: row.apiKeyId, reason: row.reason });
  return withKeyLock(deps.db, `cleanup:${iamUserName}`, deps.now(), async () => {
    const now = deps.now();
    try {
      // The user's own account: never another account's credentials (issue 14).
      const iam = await iamOf(deps, row.accountId);
      const held = await listBedrockCredentials(iam, now, iamUserName).catch((e: unknown) => {
        if (isAwsKind(e, "NotFound")) return { items: [] };
        throw e;
      });
      if (held.items.length > 0) {
        await deps.db.keyCleanup.deleteMany({ where: { iamUserName } });
        audit.detail({ outcome: "keptHasCredential" });
        return "keptHasCredential";
      }
      await removeConsoleUser(iam, iamUserName);
      await deps.db.keyCleanup.deleteMany({ where: { iamUserName } });
      audit.detail({ outcome: "removed" });
      return "removed";
    } catch (error) {
      const code = errorCode(error);
      await deps.db.keyCleanup.updateMany({ where: { iamUserName }, data: { attempts: { increment: 1 }, lastTriedAt: now, lastError: code } });
      audit.detail({ outcome: "failed", ...(error instanceof AwsServiceError ? error.toDetails() : { error: code }) });
      return "failed";
    }
  });
}

export const CLEANUP_LEASE = "key-cleanup";
const CLEANUP_LEASE_TTL_MS = 10 * 60_000;

/** The scheduled retry of every pending clean-up, once across app instances; each attempt audited as a system action. */
export async function retryPendingCleanups(deps: Deps): Promise<{ status: "busy" } | { status: "done"; removed: number; failed: number; kept: number }> {
  const holder = randomUUID();
  if (!(await acquireLease(deps.db, CLEANUP_LEASE, holder, CLEANUP_LEASE_TTL_MS, deps.now()))) return { status: "busy" };
  try {
    const counts = { removed: 0, failed: 0, kept: 0 };
    const rows = await deps.db.keyCleanup.findMany({ orderBy: { since: "asc" }, select: { iamUserName: true } });
    for (const { iamUserName } of rows) {
      const details: Record<string, unknown> = { trigger: "schedule" };
      const sink: AuditSink = { target() {}, detail: (d) => Object.assign(details, d) };
      const outcome = await retryCleanup(deps, iamUserName, sink).catch((error: unknown) => {
        if (error instanceof ActionError) return "failed" as const; // busy (an on-demand retry holds it) or gone meanwhile
        throw error;
      });
      counts[outcome === "removed" ? "removed" : outcome === "failed" ? "failed" : "kept"]++;
      await appendAudit(deps.db, {
        action: "keys.cleanup",
        result: outcome === "failed" ? "failure" : "success",
        actorEmail: "system",
        targetType: "iamUser",
        targetId: iamUserName,
        targetLabel: iamUserName,
        details,
      });
    }
    return { status: "done", ...counts };
  } finally {
    await releaseLease(deps.db, CLEANUP_LEASE, holder);
  }
}

/** Pending clean-ups for the inventory (admins), newest first. */
export async function listPendingCleanups(db: PrismaClient) {
  return db.keyCleanup.findMany({
    orderBy: { since: "desc" },
    take: 200,
    select: { iamUserName: true, apiKeyId: true, reason: true, since: true, attempts: true, lastError: true, lastTriedAt: true },
  });
}
