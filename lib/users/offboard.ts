import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { BULK_CONCURRENCY } from "@/lib/keys/bulk-limits";
import { changeKeyOwnership, type KeyAuditWriter, mapBounded, reasonOf } from "@/lib/keys/bulk";
import { collectingSink } from "@/lib/keys/collecting-sink";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { type AuditSink, KEY_TARGET, type KeyActor, type KeyDeps } from "@/lib/keys/types";
import { revokeShortTermKeys, type ShortTermDeps } from "@/lib/shortterm/service";
import { deactivateUser } from "./service";

/**
 * Offboarding (issue 16): deactivate a person and, in the same operation, deal with what they
 * leave behind — their open key requests are cancelled (always, as every deactivation does), their
 * keys handed to someone else and/or disabled, their short-term keys revoked. Deactivation comes
 * first, so the person cannot act while the rest runs. Each later step is independent: one that
 * fails is reported and recorded, never rolled back or hidden, and never stops the others.
 */

export interface OffboardInput {
  userId: string;
  disableKeys: boolean;
  revokeShortTerm: boolean;
  /** Hand every key the person owns to this active user (a member of each key's team). */
  newOwnerId: string | null;
}

export interface OffboardDeps {
  db: PrismaClient;
  keys: KeyDeps;
  /** null: short-term keys are not set up (SHORT_TERM_ROLE_ARN unset). */
  shortTerm: ShortTermDeps | null;
}

export type OffboardStep = "deactivate" | "cancelRequest" | "handOver" | "disableKey" | "revokeShortTerm";

export interface OffboardItem {
  step: OffboardStep;
  /** What the step acted on: the user, a request or a key. */
  targetId: string;
  label: string;
  outcome: "done" | "failed" | "skipped";
  code?: string;
  params?: Record<string, string | number>;
}

export interface OffboardResult {
  userId: string;
  done: number;
  failed: number;
  skipped: number;
  items: OffboardItem[];
}

export async function offboardUser(
  deps: OffboardDeps,
  actor: KeyActor,
  input: OffboardInput,
  audit: AuditSink,
  writeAudit: KeyAuditWriter,
  options: { logUnexpected?: (error: unknown, eventId: string) => void } = {},
): Promise<OffboardResult> {
  const now = deps.keys.now();
  // Checked before anything changes: a bad choice of new owner refuses the whole operation.
  if (input.newOwnerId !== null) {
    const heir = input.newOwnerId === input.userId ? null : await deps.db.user.findFirst({ where: { id: input.newOwnerId, active: true }, select: { id: true } });
    if (!heir) throw new ActionError("invalidInput", {}, { newOwnerId: { code: "field.unknownUser" } });
  }

  const deactivation = await deactivateUser(deps.db, actor, input.userId, audit, now);
  const person = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
  const items: OffboardItem[] = [{ step: "deactivate", targetId: input.userId, label: person.email, outcome: "done", ...(deactivation.wasActive ? {} : { code: "alreadyInactive" }) }];
  for (const r of deactivation.requests.cancelled) items.push({ step: "cancelRequest", targetId: r.id, label: r.label, outcome: "done" });
  for (const r of deactivation.requests.inPickup) items.push({ step: "cancelRequest", targetId: r.id, label: r.label, outcome: "failed", code: "requests.pickupInProgress" });

  const keys = await deps.db.apiKey.findMany({ where: { ownerId: input.userId, state: "present" }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const perKey = await mapBounded(keys, BULK_CONCURRENCY, async (key) => {
    const out: OffboardItem[] = [];
    const step = async (name: OffboardStep, action: string, run: (sink: AuditSink) => Promise<unknown>) => {
      const sink = collectingSink();
      try {
        await run(sink);
        await writeAudit({ action, result: "success", target: sink.target_, details: { ...sink.details, offboarding: input.userId } });
        out.push({ step: name, targetId: key.id, label: key.name, outcome: "done" });
      } catch (error) {
        const reason = reasonOf(error, options.logUnexpected);
        await writeAudit({ action, result: "failure", target: sink.target_ ?? { type: KEY_TARGET, id: key.id, label: key.name }, details: { ...sink.details, offboarding: input.userId, reason: reason.code } });
        out.push({ step: name, targetId: key.id, label: key.name, outcome: "failed", code: reason.code, ...(reason.params ? { params: reason.params } : {}) });
      }
    };
    if (input.newOwnerId) await step("handOver", "keys.change_owner", (sink) => changeKeyOwnership(deps.keys, actor, key.id, { ownerId: input.newOwnerId! }, sink));
    if (input.disableKeys) await step("disableKey", "keys.disable", (sink) => setKeyStatus(deps.keys, actor, key.id, "Inactive", sink));
    return out;
  });
  items.push(...perKey.flat());

  if (input.revokeShortTerm) items.push(await revoke(deps, actor, input.userId, person.email, writeAudit, options.logUnexpected));

  const count = (o: OffboardItem["outcome"]) => items.filter((i) => i.outcome === o).length;
  const result: OffboardResult = { userId: input.userId, done: count("done"), failed: count("failed"), skipped: count("skipped"), items };
  audit.detail({
    options: { disableKeys: input.disableKeys, revokeShortTerm: input.revokeShortTerm, newOwnerId: input.newOwnerId },
    keys: keys.length,
    done: result.done,
    failed: items.filter((i) => i.outcome === "failed").map((i) => ({ step: i.step, targetId: i.targetId, reason: i.code })),
    skipped: items.filter((i) => i.outcome === "skipped").map((i) => ({ step: i.step, reason: i.code })),
  });
  return result;
}

async function revoke(
  deps: OffboardDeps,
  actor: KeyActor,
  userId: string,
  email: string,
  writeAudit: KeyAuditWriter,
  logUnexpected?: (error: unknown, eventId: string) => void,
): Promise<OffboardItem> {
  const item = { step: "revokeShortTerm" as const, targetId: userId, label: email };
  if (!deps.shortTerm) return { ...item, outcome: "skipped", code: "notConfigured" };
  const sink = collectingSink();
  try {
    const revoked = await revokeShortTermKeys(deps.shortTerm, actor, userId, sink);
    await writeAudit({ action: "shortterm.revoke", result: "success", target: sink.target_, details: { ...sink.details, offboarding: userId } });
    return { ...item, outcome: "done", params: { count: revoked.activeKeysRevoked } };
  } catch (error) {
    const reason = reasonOf(error, logUnexpected);
    await writeAudit({ action: "shortterm.revoke", result: "failure", target: sink.target_ ?? { type: "user", id: userId, label: email }, details: { ...sink.details, offboarding: userId, reason: reason.code } });
    return { ...item, outcome: "failed", code: reason.code, ...(reason.params ? { params: reason.params } : {}) };
  }
}
