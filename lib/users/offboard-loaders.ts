import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface LeftBehind {
  keys: number;
  requests: number;
  shortTermKeys: number;
}

/**
 * What each person would leave behind if deactivated, for the Users page's offboarding dialog:
 * keys they own, open requests, short-term keys not yet expired. Three grouped queries for the
 * whole page, not one per person.
 */
export async function leftBehindByUser(db: PrismaClient, now: Date): Promise<Record<string, LeftBehind>> {
  const [keys, requests, shortTerm] = await Promise.all([
    db.apiKey.groupBy({ by: ["ownerId"], where: { state: "present", ownerId: { not: null } }, _count: { _all: true } }),
    db.keyRequest.groupBy({ by: ["requesterId"], where: { status: { in: ["pending", "approved"] } }, _count: { _all: true } }),
    db.shortTermIssuance.groupBy({ by: ["userId"], where: { expiresAt: { gt: now } }, _count: { _all: true } }),
  ]);
  const out: Record<string, LeftBehind> = {};
  const at = (id: string) => (out[id] ??= { keys: 0, requests: 0, shortTermKeys: 0 });
  for (const k of keys) if (k.ownerId) at(k.ownerId).keys = k._count._all;
  for (const r of requests) at(r.requesterId).requests = r._count._all;
  for (const s of shortTerm) if (s.userId) at(s.userId).shortTermKeys = s._count._all;
  return out;
}
