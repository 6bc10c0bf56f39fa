import { randomUUID } from "node:crypto";
import { TagUserCommand } from "@aws-sdk/client-iam";
import { ActionError } from "@/lib/actions/errors";
import { callAws, isAwsKind } from "@/lib/aws/errors";
import { toTagValue } from "@/lib/aws/iam-mapping";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BULK_CONCURRENCY, BULK_MAX_KEYS } from "./bulk-limits";
import { collectingSink } from "./collecting-sink";
import { withKeyLock } from "./lease";
import { deleteKey, setKeyStatus } from "./lifecycle";
import { findKeyInScope, keyAdminScope, keyReadScope, keyStatusScope, VISIBLE_STATES } from "./scope";
import { type AuditSink, type AuditTarget, iamOf, KEY_TARGET, type KeyActor, type KeyDeps, NO_AUDIT } from "./types";

/**
 * Bulk actions on keys (issue 16): one operation over many selected keys. Every key goes through
 * the same single-key service as the row action (lib/keys/lifecycle.ts), with its own lookup in
 * the actor's scope, its own lock and its own audit entry; the batch adds one summary entry.
 * One key failing never stops the others: each gets a result (done, failed with the reason, or
 * skipped because the actor may not act on it).
 */

export { BULK_CONCURRENCY, BULK_MAX_KEYS };

export const BULK_OPERATIONS = ["disable", "enable", "delete", "team", "owner"] as const;
export type BulkOperationName = (typeof BULK_OPERATIONS)[number];

export type BulkOperation =
  | { op: "disable" }
  | { op: "enable" }
  /** confirmCount: the number of keys the person typed to confirm; must equal the batch's size. */
  | { op: "delete"; confirmCount: number }
  | { op: "team"; teamId: string }
  | { op: "owner"; ownerId: string };

export type BulkOutcome = "done" | "failed" | "skipped";

export interface BulkItem {
  keyId: string;
  name: string;
  outcome: BulkOutcome;
  /** Why it failed (an "errors" message code) or was skipped ("notAllowed"). */
  code?: string;
  params?: Record<string, string | number>;
}

export interface BulkResult {
  bulkId: string;
  op: BulkOperationName;
  done: number;
  failed: number;
  skipped: number;
  items: BulkItem[];
}

/** Writes one key's own audit entry, as the single action would have (the action chain supplies it). */
export type KeyAuditWriter = (entry: { action: string; result: "success" | "failure"; target: AuditTarget | null; details: Record<string, unknown> }) => Promise<void>;

/** The audit action each key's entry is written under: the single action's name. */
export const KEY_AUDIT_ACTION: Record<BulkOperationName, string> = {
  disable: "keys.disable",
  enable: "keys.enable",
  delete: "keys.delete",
  team: "keys.change_team",
  owner: "keys.change_owner",
};

/** Who may do it to which key: the single actions' scopes, so bulk never reaches further than a row action. */
function actionScope(actor: KeyActor, op: BulkOperationName): Prisma.ApiKeyWhereInput {
  return op === "delete" ? keyAdminScope(actor) : keyStatusScope(actor);
}

/** Run `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** An error as a per-item reason: expected ones by their message code, anything else as "unexpected". */
export function reasonOf(error: unknown, logUnexpected?: (error: unknown, eventId: string) => void): { code: string; params?: Record<string, string | number> } {
  if (error instanceof ActionError) return Object.keys(error.params).length ? { code: error.code, params: error.params } : { code: error.code };
  // Internals stay in the log; the person sees the event id to quote, as for a single action.
  const eventId = randomUUID();
  logUnexpected?.(error, eventId);
  return { code: "unexpected", params: { eventId } };
}

/**
 * Check the batch before touching anything: every id must be a key the actor can see (a key
 * outside their scope is "not found", as everywhere in the console, so a batch cannot be used to
 * probe for other teams' keys); a bad batch is refused as a whole and changes nothing.
 */
async function resolveBatch(deps: KeyDeps, actor: KeyActor, keyIds: readonly string[], operation: BulkOperation) {
  const ids = [...new Set(keyIds)];
  if (ids.length === 0) throw new ActionError("bulk.empty");
  if (ids.length > BULK_MAX_KEYS) throw new ActionError("bulk.tooMany", { max: BULK_MAX_KEYS, count: ids.length });
  const visible = await deps.db.apiKey.findMany({
    where: { AND: [{ id: { in: ids } }, { state: { in: VISIBLE_STATES } }, keyReadScope(actor)] },
    select: { id: true, name: true },
  });
  if (visible.length !== ids.length) throw new ActionError("bulk.unknownKeys", { count: ids.length - visible.length });
  if (operation.op === "delete" && operation.confirmCount !== ids.length) throw new ActionError("bulk.confirmCount", { count: ids.length });
  const allowed = await deps.db.apiKey.findMany({
    where: { AND: [{ id: { in: ids } }, actionScope(actor, operation.op)] },
    select: { id: true },
  });
  const names = new Map(visible.map((k) => [k.id, k.name]));
  return { ids, names, allowed: new Set(allowed.map((k) => k.id)) };
}

async function runOne(deps: KeyDeps, actor: KeyActor, keyId: string, operation: BulkOperation, sink: AuditSink): Promise<void> {
  switch (operation.op) {
    case "disable":
      await setKeyStatus(deps, actor, keyId, "Inactive", sink);
      return;
    case "enable":
      await setKeyStatus(deps, actor, keyId, "Active", sink);
      return;
    case "delete": {
      // The batch's typed count is the confirmation; the single service still checks each key
      // (disabled first, IAM's current state) and wants its name, read on the server.
      const key = await findKeyInScope(deps.db, keyId, keyAdminScope(actor));
      await deleteKey(deps, actor, keyId, key.name, sink);
      return;
    }
    case "team":
      await changeKeyOwnership(deps, actor, keyId, { teamId: operation.teamId }, sink);
      return;
    case "owner":
      await changeKeyOwnership(deps, actor, keyId, { ownerId: operation.ownerId }, sink);
      return;
  }
}

/**
 * Act on every key of the batch. `audit` receives the summary (the action chain's entry);
 * `writeKeyAudit` one entry per key acted on, exactly as the row action would have written it,
 * plus the batch's id. Keys the actor may see but not act on are skipped, not attempted.
 */
export async function runBulk(
  deps: KeyDeps,
  actor: KeyActor,
  input: { keyIds: readonly string[]; operation: BulkOperation },
  audit: AuditSink,
  writeKeyAudit: KeyAuditWriter,
  options: { concurrency?: number; logUnexpected?: (error: unknown, eventId: string) => void } = {},
): Promise<BulkResult> {
  const { operation } = input;
  const bulkId = randomUUID();
  audit.target({ type: "apiKeyBatch", id: bulkId, label: `${input.keyIds.length}` });
  audit.detail({ op: operation.op, requested: input.keyIds.length });
  const batch = await resolveBatch(deps, actor, input.keyIds, operation);
  const action = KEY_AUDIT_ACTION[operation.op];

  const items = await mapBounded(batch.ids, options.concurrency ?? BULK_CONCURRENCY, async (keyId): Promise<BulkItem> => {
    const name = batch.names.get(keyId) ?? keyId;
    if (!batch.allowed.has(keyId)) return { keyId, name, outcome: "skipped", code: "notAllowed" };
    const sink = collectingSink();
    try {
      await runOne(deps, actor, keyId, operation, sink);
      await writeKeyAudit({ action, result: "success", target: sink.target_, details: { ...sink.details, bulkId } });
      return { keyId, name, outcome: "done" };
    } catch (error) {
      const reason = reasonOf(error, options.logUnexpected);
      await writeKeyAudit({ action, result: "failure", target: sink.target_ ?? { type: KEY_TARGET, id: keyId, label: name }, details: { ...sink.details, bulkId, reason: reason.code } });
      return { keyId, name, outcome: "failed", ...(reason.params ? { code: reason.code, params: reason.params } : { code: reason.code }) };
    }
  });

  const count = (o: BulkOutcome) => items.filter((i) => i.outcome === o).length;
  const result: BulkResult = { bulkId, op: operation.op, done: count("done"), failed: count("failed"), skipped: count("skipped"), items };
  audit.detail({
    ...(operation.op === "team" ? { teamId: operation.teamId } : operation.op === "owner" ? { ownerId: operation.ownerId } : {}),
    done: result.done,
    failed: items.filter((i) => i.outcome === "failed").map((i) => ({ keyId: i.keyId, reason: i.code })),
    skipped: items.filter((i) => i.outcome === "skipped").map((i) => i.keyId),
  });
  return result;
}

/**
 * Minimal owner/team change of one managed key (bulk actions and offboarding's hand-over; the
 * full key edit is issue 16 item 1). Admins any key; leads keys of teams they lead, into teams
 * they lead. The owner must be active and a member of the key's team, as at issuance. The IAM
 * user's owner/team tags follow (they re-link a key to its record after a lost database), but
 * only on users the console created: a user made outside the console is never changed.
 */
export async function changeKeyOwnership(
  deps: KeyDeps,
  actor: KeyActor,
  keyId: string,
  change: { ownerId?: string; teamId?: string },
  audit: AuditSink = NO_AUDIT,
): Promise<{ keyId: string; changed: boolean }> {
  const scope = keyStatusScope(actor);
  const found = await findKeyInScope(deps.db, keyId, scope);
  return withKeyLock(deps.db, found.id, deps.now(), async () => {
    const key = await findKeyInScope(deps.db, found.id, scope);
    audit.target({ type: KEY_TARGET, id: key.id, label: key.name, teamId: key.teamId });
    if (key.state !== "present") throw new ActionError("keys.alreadyRemoved");
    if (!key.managed) throw new ActionError("bulk.unmanaged", { name: key.name });
    const teamId = change.teamId ?? key.teamId;
    const ownerId = change.ownerId ?? key.ownerId;
    if (!teamId) throw new ActionError("invalidInput", {}, { teamId: { code: "field.required" } });
    if (actor.role !== "admin" && !actor.ledTeamIds.includes(teamId)) throw new ActionError("bulk.teamNotLed");
    const team = await deps.db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
    if (!team) throw new ActionError("invalidInput", {}, { teamId: { code: "field.choice" } });
    const owner = ownerId
      ? await deps.db.user.findFirst({ where: { id: ownerId, active: true }, select: { id: true, email: true, memberships: { where: { teamId }, select: { teamId: true } } } })
      : null;
    if (ownerId && !owner) throw new ActionError("invalidInput", {}, { ownerId: { code: "field.unknownUser" } });
    if (owner && owner.memberships.length === 0) throw new ActionError("bulk.ownerNotInTeam", { team: team.name });
    if (ownerId === key.ownerId && teamId === key.teamId) {
      audit.detail({ unchanged: true });
      return { keyId: key.id, changed: false };
    }
    const before = await deps.db.apiKey.findUnique({ where: { id: key.id }, select: { owner: { select: { email: true } }, team: { select: { name: true } } } });
    if (key.consoleUser) {
      const tags = { ...(owner ? { owner: toTagValue(owner.email) } : {}), team: toTagValue(team.name) };
      try {
        const iam = await iamOf(deps, key.accountId);
        await callAws("iam", "TagUser", () => iam.send(new TagUserCommand({ UserName: key.iamUserName, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })));
      } catch (error) {
        if (isAwsKind(error, "NotFound")) {
          await deps.db.apiKey.updateMany({ where: { id: key.id, state: "present" }, data: { state: "gone", removedAt: deps.now() } });
          audit.detail({ goneOutsideConsole: true });
          throw new ActionError("keys.goneOutside", { name: key.name });
        }
        throw error;
      }
    }
    const updated = await deps.db.apiKey.updateMany({ where: { id: key.id, state: "present" }, data: { ownerId, teamId } });
    if (updated.count !== 1) throw new ActionError("conflict");
    audit.detail({
      ...(ownerId !== key.ownerId ? { owner: { from: before?.owner?.email ?? null, to: owner?.email ?? null } } : {}),
      ...(teamId !== key.teamId ? { team: { from: before?.team?.name ?? null, to: team.name } } : {}),
    });
    return { keyId: key.id, changed: true };
  });
}
