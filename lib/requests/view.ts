import type { Prisma } from "@/lib/generated/prisma/client";
import type { RequestKind, RequestStatus } from "./schemas";
import type { RequestActor } from "./types";

/** The columns a request page needs: explicit, never the whole row. */
export const requestSelect = {
  id: true,
  kind: true,
  keyName: true,
  accountId: true,
  purpose: true,
  justification: true,
  requestedDuration: true,
  requestedModels: true,
  status: true,
  approvedDuration: true,
  approvedModels: true,
  decidedAt: true,
  decidedByEmail: true,
  decisionComment: true,
  autoApproved: true,
  pickupBy: true,
  pickedUpAt: true,
  apiKeyId: true,
  shortTermIssuanceId: true,
  closedAt: true,
  createdAt: true,
  requesterId: true,
  teamId: true,
  requester: { select: { id: true, name: true, email: true } },
  decidedBy: { select: { name: true } },
  team: { select: { id: true, name: true } },
} as const satisfies Prisma.KeyRequestSelect;

export type RequestRow = Prisma.KeyRequestGetPayload<{ select: typeof requestSelect }>;

export function parseModels(json: string | null): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export interface Narrowing {
  /** [requested, approved] when the approver shortened it */
  duration?: [number, number];
  /** models the approver left out; or, when "any model" was asked, the models approved */
  modelsRemoved?: string[];
  restrictedTo?: string[];
}

/** What the approver changed, for the history and the audit entry. */
export function narrowing(requested: { duration: number; models: string[] }, approved: { duration: number; models: string[] }): Narrowing {
  const out: Narrowing = {};
  if (approved.duration !== requested.duration) out.duration = [requested.duration, approved.duration];
  if (requested.models.length === 0 && approved.models.length > 0) out.restrictedTo = approved.models;
  const removed = requested.models.filter((m) => !approved.models.includes(m));
  if (requested.models.length > 0 && removed.length > 0) out.modelsRemoved = removed;
  return out;
}

export type HistoryEvent =
  | { type: "submitted"; at: string; by: string }
  | { type: "approved"; at: string; by: string | null; auto: boolean; comment: string; narrowed: Narrowing }
  | { type: "denied"; at: string; by: string | null; comment: string }
  | { type: "pickedUp"; at: string; keyId: string | null; shortTerm: boolean }
  | { type: "expired"; at: string }
  | { type: "cancelled"; at: string };

export interface RequestView {
  id: string;
  kind: RequestKind;
  /** The key's name (long-term) or the purpose (short-term): how the request is named in lists. */
  label: string;
  keyName: string;
  purpose: string;
  justification: string;
  team: { id: string; name: string };
  requester: { id: string; name: string; email: string };
  /** As shown: an approval past its pick-up time is "expired" even before the job has marked it. */
  status: RequestStatus;
  requested: { duration: number; models: string[] };
  approved: { duration: number; models: string[] } | null;
  decidedBy: string | null;
  decisionComment: string;
  pickupBy: string | null;
  keyId: string | null;
  history: HistoryEvent[];
  createdAt: string;
  can: { decide: boolean; pickUp: boolean; cancel: boolean };
}

export function displayStatus(row: Pick<RequestRow, "status" | "pickupBy">, now: Date): RequestStatus {
  if (row.status === "approved" && row.pickupBy && row.pickupBy <= now) return "expired";
  return row.status as RequestStatus;
}

export function toRequestView(row: RequestRow, viewer: Pick<RequestActor, "id" | "role" | "ledTeamIds">, now: Date): RequestView {
  const status = displayStatus(row, now);
  const requested = { duration: row.requestedDuration, models: parseModels(row.requestedModels) };
  const approved = row.approvedDuration !== null ? { duration: row.approvedDuration, models: parseModels(row.approvedModels) } : null;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const history: HistoryEvent[] = [{ type: "submitted", at: row.createdAt.toISOString(), by: row.requester.name }];
  const decider = row.decidedBy?.name ?? row.decidedByEmail;
  if (row.decidedAt && approved) {
    history.push({ type: "approved", at: row.decidedAt.toISOString(), by: decider, auto: row.autoApproved, comment: row.decisionComment, narrowed: narrowing(requested, approved) });
  } else if (row.decidedAt) {
    history.push({ type: "denied", at: row.decidedAt.toISOString(), by: decider, comment: row.decisionComment });
  }
  if (row.pickedUpAt) history.push({ type: "pickedUp", at: row.pickedUpAt.toISOString(), keyId: row.apiKeyId, shortTerm: row.kind === "short-term" });
  if (status === "expired") history.push({ type: "expired", at: (row.closedAt ?? row.pickupBy ?? now).toISOString() });
  if (status === "cancelled" && row.closedAt) history.push({ type: "cancelled", at: row.closedAt.toISOString() });

  const mine = row.requesterId === viewer.id;
  const approver = viewer.role === "admin" || (viewer.role === "lead" && viewer.ledTeamIds.includes(row.teamId));
  return {
    id: row.id,
    kind: row.kind as RequestKind,
    label: row.keyName || row.purpose,
    keyName: row.keyName,
    purpose: row.purpose,
    justification: row.justification,
    team: row.team,
    requester: row.requester,
    status,
    requested,
    approved,
    decidedBy: decider,
    decisionComment: row.decisionComment,
    pickupBy: iso(row.pickupBy),
    keyId: row.apiKeyId,
    history,
    createdAt: row.createdAt.toISOString(),
    can: {
      decide: approver && !mine && status === "pending",
      pickUp: mine && status === "approved",
      cancel: mine && (status === "pending" || status === "approved"),
    },
  };
}
