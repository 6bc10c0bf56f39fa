import { can } from "@/lib/auth/permissions";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { keyWhere } from "@/lib/keys/queries";
import { keyFilterSchema } from "@/lib/keys/schemas";
import { keyReadScope } from "@/lib/keys/scope";
import { KEY_REMINDER_DAYS } from "@/lib/notifications/key-reminders";
import { requestDecideScope } from "./scope";
import { requestLabel } from "./service";
import type { RequestActor } from "./types";

export const UNUSED_DAYS = 30;
const SHOWN = 5;

/**
 * The home page's "needs attention", per person: requests waiting for their decision, their own
 * approvals waiting to be picked up, keys in their scope expiring within 7 days, and — once the
 * usage sync has recorded any use at all — keys unused for 30 days. Key counts use the inventory's
 * own filters, so a number and the list its link opens always agree.
 */
export async function needsAttention(db: PrismaClient, actor: RequestActor, now: Date) {
  const canDecide = can(actor.role, "requests.decide");
  const keys = (filters: Record<string, unknown>) => keyWhere(actor, keyFilterSchema.parse(filters), now, db);
  const decideWhere = { AND: [requestDecideScope(actor), { requesterId: { not: actor.id } }, { status: "pending" }] };
  const [approvalsCount, approvals, pickups, waiting, expiringCount, expiring, usageKnown] = await Promise.all([
    canDecide ? db.keyRequest.count({ where: decideWhere }) : Promise.resolve(0),
    canDecide
      ? db.keyRequest.findMany({
          where: decideWhere,
          orderBy: { createdAt: "asc" },
          take: SHOWN,
          select: { id: true, keyName: true, purpose: true, createdAt: true, requester: { select: { name: true } }, team: { select: { name: true } } },
        })
      : Promise.resolve([]),
    db.keyRequest.findMany({
      where: { requesterId: actor.id, status: "approved", pickupBy: { gt: now } },
      orderBy: { pickupBy: "asc" },
      take: SHOWN,
      select: { id: true, keyName: true, purpose: true, pickupBy: true },
    }),
    db.keyRequest.count({ where: { requesterId: actor.id, status: "pending" } }),
    db.apiKey.count({ where: keys({ expiringWithinDays: KEY_REMINDER_DAYS }) }),
    db.apiKey.findMany({
      where: keys({ expiringWithinDays: KEY_REMINDER_DAYS }),
      orderBy: { expiresAt: "asc" },
      take: SHOWN,
      select: { id: true, name: true, expiresAt: true, team: { select: { name: true } } },
    }),
    db.apiKey.findFirst({ where: { AND: [keyReadScope(actor), { lastUsedAt: { not: null } }] }, select: { id: true } }),
  ]);
  const unusedCount = usageKnown ? await db.apiKey.count({ where: keys({ unusedForDays: UNUSED_DAYS, status: "Active" }) }) : null;
  return {
    canDecide,
    approvals: {
      count: approvalsCount,
      items: approvals.map((r) => ({ id: r.id, label: requestLabel(r), requester: r.requester.name, team: r.team.name, createdAt: r.createdAt.toISOString() })),
    },
    pickups: pickups.map((r) => ({ id: r.id, label: requestLabel(r), pickupBy: r.pickupBy!.toISOString() })),
    waiting,
    expiring: { count: expiringCount, items: expiring.map((k) => ({ id: k.id, name: k.name, team: k.team?.name ?? null, expiresAt: k.expiresAt!.toISOString() })) },
    /** null: no use recorded yet anywhere in scope, so "unused" is unknown rather than "all of them". */
    unused: unusedCount === null ? null : { count: unusedCount, days: UNUSED_DAYS },
  };
}

export type NeedsAttention = Awaited<ReturnType<typeof needsAttention>>;
