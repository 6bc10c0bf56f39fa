import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * What deactivating a person always does to their key requests (issue 16), whichever way they are
 * deactivated (the Users page with or without offboarding, or an SSO sign-in that lost its groups):
 * their open requests — pending, or approved and not yet picked up — are cancelled in the same
 * transaction, so an approver cannot approve them later and nothing waits for a person who can no
 * longer sign in. A pick-up already under way (claimed) is left to finish and reported.
 */

/** Open requests of the person that are free to cancel now (same rule as the requester's own cancel). */
export function openRequestsWhere(userId: string, now: Date): Prisma.KeyRequestWhereInput {
  return {
    requesterId: userId,
    status: { in: ["pending", "approved"] },
    OR: [{ pickupClaimedUntil: null }, { pickupClaimedUntil: { lt: now } }],
  };
}

export function cancelledData(now: Date) {
  return { status: "cancelled", closedAt: now, pickupClaimedUntil: null } as const;
}

export interface ClosedRequests {
  cancelled: { id: string; label: string; previousStatus: string }[];
  /** Approved requests whose key is being issued right now: not cancelled, reported. */
  inPickup: { id: string; label: string }[];
}

/** Cancel the person's open requests inside the caller's transaction. */
export async function closeOpenRequests(tx: Prisma.TransactionClient, userId: string, now: Date): Promise<ClosedRequests> {
  const label = (r: { keyName: string; kind: string }) => r.keyName || r.kind;
  const open = await tx.keyRequest.findMany({ where: openRequestsWhere(userId, now), select: { id: true, keyName: true, kind: true, status: true }, orderBy: { createdAt: "asc" } });
  if (open.length > 0) {
    // The same condition again, with the ids read: a request decided or claimed in between is not overwritten.
    await tx.keyRequest.updateMany({ where: { AND: [{ id: { in: open.map((r) => r.id) } }, openRequestsWhere(userId, now)] }, data: cancelledData(now) });
  }
  const after = await tx.keyRequest.findMany({ where: { id: { in: open.map((r) => r.id) } }, select: { id: true, status: true } });
  const cancelledIds = new Set(after.filter((r) => r.status === "cancelled").map((r) => r.id));
  const claimed = await tx.keyRequest.findMany({
    where: { requesterId: userId, status: "approved", pickupClaimedUntil: { gte: now } },
    select: { id: true, keyName: true, kind: true },
  });
  return {
    cancelled: open.filter((r) => cancelledIds.has(r.id)).map((r) => ({ id: r.id, label: label(r), previousStatus: r.status })),
    inPickup: claimed.map((r) => ({ id: r.id, label: label(r) })),
  };
}
