import { ActionError } from "@/lib/actions/errors";
import { findNameClash } from "@/lib/keys/name-unique";
import type { AuditSink } from "@/lib/keys/types";
import { notify } from "@/lib/notifications/service";
import type { FieldProblems } from "@/lib/policy/enforce";
import { getPolicy } from "@/lib/policy/service";
import type { DecideRequestInput, RequestKind } from "./schemas";
import { auditTarget, findRequestInScope, requestLabel, requestPolicyProblems } from "./service";
import type { RequestActor, RequestDeps } from "./types";
import { narrowing, parseModels, type RequestRow } from "./view";

const HOUR_MS = 3_600_000;

/** Thrown inside the transaction when the conditional update found the request no longer pending. */
class LostRace extends Error {}

/** Why a decision cannot be made any more, naming who decided first where someone did. */
async function alreadyDecided(deps: RequestDeps, requestId: string): Promise<ActionError> {
  const current = await deps.db.keyRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: { status: true, decidedByEmail: true, autoApproved: true, decidedBy: { select: { name: true } } },
  });
  const by = current.decidedBy?.name ?? current.decidedByEmail ?? "";
  if (current.status === "denied") return new ActionError("requests.alreadyDenied", { by });
  if (current.autoApproved) return new ActionError("requests.notPending");
  if (current.status === "approved" || current.status === "picked_up" || (current.status === "expired" && by)) {
    return new ActionError("requests.alreadyApproved", { by });
  }
  return new ActionError("requests.notPending");
}

/** What the approver grants: at most what was asked, within the policy. Field errors name the decide form's fields. */
function granted(row: RequestRow, input: DecideRequestInput): { duration: number; models: string[]; problems: FieldProblems } {
  const requested = { duration: row.requestedDuration, models: parseModels(row.requestedModels) };
  const duration = input.approvedDuration ?? requested.duration;
  const models = input.approvedModels ?? requested.models;
  const problems: FieldProblems = {};
  if (duration > requested.duration) problems.approvedDuration = { code: "requests.longerThanRequested", params: { max: requested.duration } };
  else if ((row.kind as RequestKind) === "short-term" && duration < 5) problems.approvedDuration = { code: "field.tooSmall", params: { min: 5 } };
  if (requested.models.length > 0) {
    if (models.length === 0) problems.approvedModels = { code: "field.chooseModels" };
    else if (models.some((m) => !requested.models.includes(m))) problems.approvedModels = { code: "requests.modelsNotRequested" };
  }
  return { duration, models, problems };
}

/**
 * Approve (possibly narrowing duration or models) or deny a pending request. A lead decides for
 * the teams they lead, an admin for every team; nobody decides their own request. Two approvers
 * at once: the decision is a conditional update (status still "pending") in a transaction, so
 * exactly one wins and the other is told who decided first. Nothing is issued here: the approver
 * never sees a secret; the requester picks the key up.
 */
export async function decideRequest(
  deps: RequestDeps,
  actor: RequestActor,
  input: DecideRequestInput,
  audit: AuditSink,
): Promise<{ requestId: string; status: "approved" | "denied" }> {
  const now = deps.now();
  const row = await findRequestInScope(deps, actor, input.requestId);
  audit.target(auditTarget(row));
  if (row.requesterId === actor.id) throw new ActionError("requests.ownRequest");
  if (row.status !== "pending") throw await alreadyDecided(deps, row.id);

  const decider = { decidedById: actor.id, decidedByEmail: actor.email, decidedAt: now, decisionComment: input.comment };
  let data: Record<string, unknown>;
  let details: Record<string, unknown>;
  if (input.decision === "approve") {
    const grant = granted(row, input);
    const policy = await getPolicy(deps.db, deps.configuredExtraPolicies);
    const beyond = requestPolicyProblems(policy, { kind: row.kind as RequestKind, ...grant }, deps.shortTermCeilingMinutes, {
      duration: "approvedDuration",
      models: "approvedModels",
    });
    const problems = { ...beyond, ...grant.problems };
    if (Object.keys(problems).length > 0) throw new ActionError(Object.keys(grant.problems).length > 0 ? "invalidInput" : "policy.refused", {}, problems);
    // A key with this name may have been issued since the request was made: approving would only
    // fail at pick-up. The approver denies it instead, so the requester asks again with another name.
    if (row.kind === "long-term" && (await findNameClash(deps.db, row.keyName))) throw new ActionError("requests.nameTaken", { name: row.keyName });
    const pickupBy = new Date(now.getTime() + policy.pickupWindowHours * HOUR_MS);
    data = { ...decider, status: "approved", approvedDuration: grant.duration, approvedModels: JSON.stringify(grant.models), pickupBy };
    const narrowed = narrowing({ duration: row.requestedDuration, models: parseModels(row.requestedModels) }, grant);
    details = { decision: "approved", approvedDuration: grant.duration, approvedModels: grant.models, narrowed, pickupBy: pickupBy.toISOString() };
  } else {
    data = { ...decider, status: "denied" };
    details = { decision: "denied" };
  }

  try {
    await deps.db.$transaction(async (tx) => {
      const { count } = await tx.keyRequest.updateMany({ where: { id: row.id, status: "pending" }, data });
      if (count !== 1) throw new LostRace();
    });
  } catch (error) {
    if (error instanceof LostRace) throw await alreadyDecided(deps, row.id);
    throw error;
  }
  // The comment is the approver's own words for the requester: kept in the audit entry as written.
  audit.detail({ ...details, comment: input.comment, requester: row.requester.email });

  const label = requestLabel(row);
  const approved = input.decision === "approve";
  await notify(deps.notify, {
    kind: approved ? "request.approved" : "request.denied",
    recipients: [row.requesterId],
    params: { decider: actor.name ?? actor.email, label, ...(approved ? { pickupBy: (data.pickupBy as Date).toISOString() } : {}) },
    href: `/requests/${row.id}`,
    data: { requestId: row.id, kind: row.kind, team: row.team.name, requester: row.requester.email, decidedBy: actor.email, label, ...details, comment: input.comment },
  });
  return { requestId: row.id, status: approved ? "approved" : "denied" };
}
