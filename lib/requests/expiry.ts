import { appendAudit } from "@/lib/audit/service";
import { notify } from "@/lib/notifications/service";
import { requestLabel } from "./service";
import { REQUEST_TARGET, type RequestDeps } from "./types";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Expire one approval whose pick-up time has passed. Conditional (still approved, past its time,
 * no pick-up under way), so the scheduled job, a pick-up attempt and a second instance can all
 * try and exactly one succeeds; that one writes the audit entry (actor: the console) and tells
 * the requester.
 */
export async function expireApproval(deps: RequestDeps, requestId: string): Promise<boolean> {
  const now = deps.now();
  const { count } = await deps.db.keyRequest.updateMany({
    where: {
      id: requestId,
      status: "approved",
      pickupBy: { lte: now },
      OR: [{ pickupClaimedUntil: null }, { pickupClaimedUntil: { lt: now } }],
    },
    data: { status: "expired", closedAt: now },
  });
  if (count !== 1) return false;
  const row = await deps.db.keyRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: { id: true, kind: true, keyName: true, purpose: true, teamId: true, requesterId: true, pickupBy: true, requester: { select: { email: true } }, team: { select: { name: true } } },
  });
  const label = requestLabel(row);
  await appendAudit(
    deps.db,
    {
      action: "requests.expire",
      result: "success",
      targetType: REQUEST_TARGET,
      targetId: row.id,
      targetLabel: label,
      teamId: row.teamId,
      details: { requester: row.requester.email, pickupBy: row.pickupBy?.toISOString() ?? null },
    },
    now,
  );
  await notify(deps.notify, {
    kind: "request.expired",
    recipients: [row.requesterId],
    params: { label },
    href: `/requests/${row.id}`,
    data: { requestId: row.id, kind: row.kind, team: row.team.name, requester: row.requester.email, label },
  });
  return true;
}

/** The scheduled sweep: every approval past its pick-up time. */
export async function expireApprovals(deps: RequestDeps): Promise<number> {
  const now = deps.now();
  const due = await deps.db.keyRequest.findMany({ where: { status: "approved", pickupBy: { lte: now } }, select: { id: true }, take: 500 });
  let expired = 0;
  for (const { id } of due) if (await expireApproval(deps, id)) expired++;
  return expired;
}

/**
 * Remind requesters once before an approval lapses: a day before, or half-way through windows
 * shorter than two days, so a short window still gets its reminder in time.
 */
export async function remindExpiringApprovals(deps: RequestDeps): Promise<number> {
  const now = deps.now();
  const soon = await deps.db.keyRequest.findMany({
    where: { status: "approved", expiryRemindedAt: null, pickupBy: { gt: now, lte: new Date(now.getTime() + DAY_MS) } },
    select: { id: true, kind: true, keyName: true, purpose: true, requesterId: true, decidedAt: true, pickupBy: true, requester: { select: { email: true } }, team: { select: { name: true } } },
    take: 500,
  });
  let reminded = 0;
  for (const row of soon) {
    const pickupBy = row.pickupBy!;
    const window = pickupBy.getTime() - (row.decidedAt ?? now).getTime();
    if (pickupBy.getTime() - now.getTime() > Math.min(DAY_MS, window / 2)) continue;
    const { count } = await deps.db.keyRequest.updateMany({ where: { id: row.id, status: "approved", expiryRemindedAt: null }, data: { expiryRemindedAt: now } });
    if (count !== 1) continue;
    const label = requestLabel(row);
    await notify(deps.notify, {
      kind: "request.expiring",
      recipients: [row.requesterId],
      params: { label, pickupBy: pickupBy.toISOString() },
      href: `/requests/${row.id}`,
      dedupeKey: `request.expiring:${row.id}`,
      data: { requestId: row.id, kind: row.kind, team: row.team.name, requester: row.requester.email, label, pickupBy: pickupBy.toISOString() },
    });
    reminded++;
  }
  return reminded;
}
