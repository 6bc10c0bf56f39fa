import { teamMayUseAccount } from "@/lib/accounts/service";
import { ActionError } from "@/lib/actions/errors";
import { assertKeyNameFree } from "@/lib/keys/name-unique";
import type { AuditSink } from "@/lib/keys/types";
import { approversOf } from "@/lib/notifications/recipients";
import { notify } from "@/lib/notifications/service";
import { type FieldProblems, longTermProblems } from "@/lib/policy/enforce";
import type { KeyPolicy } from "@/lib/policy/schema";
import { getPolicy, policyForAccount } from "@/lib/policy/service";
import type { CreateRequestInput, RequestKind } from "./schemas";
import { requestReadScope } from "./scope";
import { REQUEST_TARGET, type RequestActor, type RequestDeps } from "./types";
import { type RequestRow, requestSelect } from "./view";

const HOUR_MS = 3_600_000;

/** How a request is named in notifications and the audit log. */
export function requestLabel(row: { keyName: string; purpose: string }): string {
  const label = row.keyName || row.purpose;
  return label.length > 80 ? `${label.slice(0, 79)}…` : label;
}

export function auditTarget(row: Pick<RequestRow, "id" | "keyName" | "purpose" | "teamId">) {
  return { type: REQUEST_TARGET, id: row.id, label: requestLabel(row), teamId: row.teamId };
}

/** A request the actor may see, or "not found" (also for requests of other teams). */
export async function findRequestInScope(deps: RequestDeps, actor: RequestActor, requestId: string): Promise<RequestRow> {
  const row = await deps.db.keyRequest.findFirst({ where: { AND: [{ id: requestId }, requestReadScope(actor)] }, select: requestSelect });
  if (!row) throw new ActionError("notFound");
  return row;
}

/**
 * What a request (or an approval) asks beyond the policy, with the request form's field names.
 * `durationField`/`modelsField` let the decide form reuse it for its own fields.
 */
export function requestPolicyProblems(
  policy: KeyPolicy,
  ask: { kind: RequestKind; duration: number; models: readonly string[] },
  shortTermCeilingMinutes: number,
  fields: { duration: string; models: string },
): FieldProblems {
  if (ask.kind === "short-term") {
    const max = Math.min(policy.shortTermMaxMinutes, shortTermCeilingMinutes);
    return ask.duration > max ? { [fields.duration]: { code: "policy.shortTermTooLong", params: { max } } } : {};
  }
  const problems = longTermProblems(policy, { ageDays: ask.duration, models: ask.models, extraPolicies: [] });
  const out: FieldProblems = {};
  if (problems.expiry) out[fields.duration] = problems.expiry;
  if (problems.models) out[fields.models] = problems.models;
  return out;
}

/** Whether a request of this kind needs a person's approval under the policy. */
export function needsApproval(policy: KeyPolicy, kind: RequestKind, role: RequestActor["role"]): boolean {
  if (kind === "long-term") return policy.longTermRequiresApproval;
  return role === "developer" && !policy.shortTermSelfService;
}

/**
 * Ask for a key. The team must be one of the requester's (checked against the database, not the
 * form), and what is asked must fit the policy. When the policy needs no approval for this kind,
 * the console approves at once and the requester can pick the key up straight away.
 */
export async function submitRequest(
  deps: RequestDeps,
  actor: RequestActor,
  input: CreateRequestInput,
  audit: AuditSink,
): Promise<{ requestId: string; status: "pending" | "approved" }> {
  const now = deps.now();
  const membership = await deps.db.teamMembership.findUnique({
    where: { userId_teamId: { userId: actor.id, teamId: input.teamId } },
    select: { team: { select: { id: true, name: true } }, user: { select: { name: true } } },
  });
  if (!membership) throw new ActionError("invalidInput", {}, { teamId: { code: "requests.notYourTeam" } });
  const team = membership.team;
  // The name is checked now (and again at approval and pick-up): the requester can still change it.
  if (input.kind === "long-term") await assertKeyNameFree(deps.db, input.keyName, "keyName");
  // A chosen account must be active and open to the team (checked again when the key is issued).
  if (input.accountId) {
    const account = await deps.db.awsAccount.findUnique({ where: { id: input.accountId }, select: { status: true } });
    if (!account) throw new ActionError("invalidInput", {}, { accountId: { code: "field.choice" } });
    if (account.status !== "active") throw new ActionError("invalidInput", {}, { accountId: { code: "field.accountPaused" } });
    if (!(await teamMayUseAccount(deps.db, team.id, input.accountId))) {
      throw new ActionError("invalidInput", {}, { accountId: { code: "field.accountNotForTeam", params: { team: team.name } } });
    }
  }

  const policy = await policyForAccount(deps.db, await getPolicy(deps.db, deps.configuredExtraPolicies), input.accountId ?? null);
  const problems = requestPolicyProblems(policy, input, deps.shortTermCeilingMinutes, {
    duration: input.kind === "long-term" ? "durationDays" : "durationMinutes",
    models: "models",
  });
  if (Object.keys(problems).length > 0) throw new ActionError("policy.refused", {}, problems);

  const auto = !needsApproval(policy, input.kind, actor.role);
  const models = JSON.stringify(input.models);
  const row = await deps.db.keyRequest.create({
    data: {
      requesterId: actor.id,
      teamId: team.id,
      kind: input.kind,
      keyName: input.keyName,
      accountId: input.accountId ?? null,
      purpose: input.purpose,
      justification: input.justification,
      requestedDuration: input.duration,
      requestedModels: models,
      createdAt: now,
      ...(auto
        ? {
            status: "approved",
            autoApproved: true,
            approvedDuration: input.duration,
            approvedModels: models,
            decidedAt: now,
            pickupBy: new Date(now.getTime() + policy.pickupWindowHours * HOUR_MS),
          }
        : {}),
    },
    select: { id: true, keyName: true, purpose: true, teamId: true },
  });
  audit.target(auditTarget(row));
  audit.detail({ kind: input.kind, team: team.name, ...(input.accountId ? { accountId: input.accountId } : {}), duration: input.duration, models: input.models, autoApproved: auto, policyVersion: policy.version });

  if (!auto) {
    const label = requestLabel(row);
    await notify(deps.notify, {
      kind: "request.submitted",
      recipients: await approversOf(deps.db, team.id, actor.id),
      params: { requester: membership.user.name, team: team.name, label },
      href: `/requests/${row.id}`,
      data: { requestId: row.id, kind: input.kind, team: team.name, requester: actor.email, label, duration: input.duration, models: input.models },
    });
  }
  return { requestId: row.id, status: auto ? "approved" : "pending" };
}

/**
 * The requester withdraws a pending or approved (not yet picked up) request. Conditional update:
 * a decision or pick-up that lands first wins, and the requester is told what happened instead.
 */
export async function cancelRequest(deps: RequestDeps, actor: RequestActor, requestId: string, audit: AuditSink): Promise<{ requestId: string }> {
  const now = deps.now();
  const row = await deps.db.keyRequest.findFirst({ where: { id: requestId, requesterId: actor.id }, select: requestSelect });
  if (!row) throw new ActionError("notFound");
  audit.target(auditTarget(row));
  const { count } = await deps.db.keyRequest.updateMany({
    where: {
      id: row.id,
      requesterId: actor.id,
      OR: [{ status: "pending" }, { status: "approved", pickupBy: { gt: now } }],
      AND: [{ OR: [{ pickupClaimedUntil: null }, { pickupClaimedUntil: { lt: now } }] }],
    },
    data: { status: "cancelled", closedAt: now, pickupClaimedUntil: null },
  });
  if (count !== 1) {
    const current = await deps.db.keyRequest.findUniqueOrThrow({ where: { id: row.id }, select: { status: true, pickupBy: true, pickupClaimedUntil: true } });
    if (current.status === "approved" && current.pickupClaimedUntil && current.pickupClaimedUntil >= now) throw new ActionError("requests.pickupInProgress");
    throw new ActionError("requests.notCancellable");
  }
  audit.detail({ previousStatus: row.status });
  return { requestId: row.id };
}
