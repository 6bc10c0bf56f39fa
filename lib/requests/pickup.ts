import { ActionError } from "@/lib/actions/errors";
import { issueLongTermKey, type KeyReveal } from "@/lib/keys/issue";
import type { AuditSink, AuditTarget } from "@/lib/keys/types";
import { getPolicy } from "@/lib/policy/service";
import { generateShortTermKey, type ShortTermReveal } from "@/lib/shortterm/service";
import { expireApproval } from "./expiry";
import type { RequestKind } from "./schemas";
import { auditTarget, findRequestInScope, requestPolicyProblems } from "./service";
import type { RequestActor, RequestDeps } from "./types";
import { parseModels, type RequestRow } from "./view";
import { collectingSink } from "@/lib/keys/collecting-sink";

/** Long enough for an issuance with AWS retries; a crashed pick-up frees the request after it. */
const CLAIM_MS = 5 * 60_000;

export type PickUpResult = { requestId: string } & (
  | { kind: "long-term"; key: KeyReveal }
  | { kind: "short-term"; key: ShortTermReveal }
) & {
    /** An audit entry for the key itself (its history), written by the action with the request's context. */
    keyAudit: { action: "keys.issue" | "shortterm.generate"; target: AuditTarget | null; details: Record<string, unknown> };
  };

/** Why there is nothing to pick up, for a request that is not (or no longer) approved. */
function notPickable(status: string): ActionError {
  if (status === "picked_up") return new ActionError("requests.alreadyPickedUp");
  if (status === "expired") return new ActionError("requests.approvalExpired");
  return new ActionError("requests.notApproved");
}

/**
 * The requester issues the key they were approved for — within the approved limits and the policy
 * as it is now — and gets the secret once, in the result. Only the requester can: an approver sees
 * the request but never the key. A claim (conditional update with a lapse time) makes a double
 * click or a second tab issue one key, not two; an approval past its pick-up time is expired here
 * even if the scheduled job has not run yet.
 */
export async function pickUpRequest(
  deps: RequestDeps,
  actor: RequestActor,
  input: { requestId: string; region?: string | undefined },
  audit: AuditSink,
): Promise<PickUpResult> {
  const now = deps.now();
  const row = await findRequestInScope(deps, actor, input.requestId);
  audit.target(auditTarget(row));
  if (row.requesterId !== actor.id) throw new ActionError("requests.notRequester");
  if (row.status === "approved" && row.pickupBy && row.pickupBy <= now) {
    await expireApproval(deps, row.id);
    throw new ActionError("requests.approvalExpired");
  }
  if (row.status !== "approved") throw notPickable(row.status);

  const kind = row.kind as RequestKind;
  const approved = { duration: row.approvedDuration!, models: parseModels(row.approvedModels) };
  // The policy may have been tightened since the approval: it applies as it is now.
  const policy = await getPolicy(deps.db, deps.configuredExtraPolicies);
  const problems = requestPolicyProblems(policy, { kind, ...approved }, deps.shortTermCeilingMinutes, { duration: "duration", models: "models" });
  if (Object.keys(problems).length > 0) throw new ActionError("requests.policyChanged", {}, problems);
  const region = input.region ?? deps.regions[0];
  if (kind === "short-term" && (!region || !deps.regions.includes(region))) throw new ActionError("invalidInput", {}, { region: { code: "field.choice" } });

  const free = { OR: [{ pickupClaimedUntil: null }, { pickupClaimedUntil: { lt: now } }] };
  const claimed = await deps.db.keyRequest.updateMany({
    where: { id: row.id, requesterId: actor.id, status: "approved", pickupBy: { gt: now }, ...free },
    data: { pickupClaimedUntil: new Date(now.getTime() + CLAIM_MS) },
  });
  if (claimed.count !== 1) {
    const current = await deps.db.keyRequest.findUniqueOrThrow({ where: { id: row.id }, select: { status: true } });
    throw current.status === "approved" ? new ActionError("requests.pickupInProgress") : notPickable(current.status);
  }

  const sink = collectingSink();
  try {
    const result = kind === "long-term" ? await issueForRequest(deps, actor, row, approved.models, sink) : await generateForRequest(deps, actor, row, region!, sink);
    await deps.db.keyRequest.update({
      where: { id: row.id },
      data: {
        status: "picked_up",
        pickedUpAt: deps.now(),
        pickupClaimedUntil: null,
        ...(result.kind === "long-term" ? { apiKeyId: result.key.keyId } : { shortTermIssuanceId: result.key.issuanceId }),
      },
    });
    audit.detail({ kind, ...(result.kind === "long-term" ? { keyId: result.key.keyId, credentialId: result.key.credentialId } : { issuanceId: result.key.issuanceId }), key: sink.details });
    return {
      requestId: row.id,
      ...result,
      keyAudit: { action: kind === "long-term" ? "keys.issue" : "shortterm.generate", target: sink.target_, details: { ...sink.details, via: "request", requestId: row.id } },
    } as PickUpResult;
  } catch (error) {
    await deps.db.keyRequest.updateMany({ where: { id: row.id, status: "approved" }, data: { pickupClaimedUntil: null } });
    audit.detail({ kind, key: sink.details });
    if (error instanceof ActionError && error.code === "keys.alreadyIssued") throw await linkLostKey(deps, row.id);
    throw error;
  }
}

async function issueForRequest(deps: RequestDeps, actor: RequestActor, row: RequestRow, models: string[], sink: AuditSink) {
  const key = await issueLongTermKey(
    deps.keys(),
    actor,
    {
      // One key per request, however often the button is pressed (the key service's idempotency).
      idempotencyToken: `request-${row.id}`,
      name: row.keyName,
      ...(row.accountId ? { accountId: row.accountId } : {}),
      purpose: row.purpose,
      ownerId: actor.id,
      teamId: row.teamId,
      ageDays: row.approvedDuration!,
      extraPolicies: [],
      restrictions: { models, cidrs: [], notAfter: null },
    },
    sink,
  );
  return { kind: "long-term" as const, key };
}

async function generateForRequest(deps: RequestDeps, actor: RequestActor, row: RequestRow, region: string, sink: AuditSink) {
  const key = await generateShortTermKey(deps.shortTerm(), actor, { region, expiresInMinutes: row.approvedDuration! }, sink, { viaApprovedRequest: true });
  return { kind: "short-term" as const, key };
}

/**
 * An earlier pick-up issued the key but stopped before recording it (a crash between the two).
 * The key exists and its secret is gone: link it, and tell the requester to have it reset.
 */
async function linkLostKey(deps: RequestDeps, requestId: string): Promise<ActionError> {
  const key = await deps.db.apiKey.findUnique({ where: { idempotencyToken: `request-${requestId}` }, select: { id: true } });
  if (key) {
    await deps.db.keyRequest.updateMany({ where: { id: requestId, status: "approved" }, data: { status: "picked_up", pickedUpAt: deps.now(), apiKeyId: key.id } });
  }
  return new ActionError("requests.secretLost");
}
