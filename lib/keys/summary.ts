import type { PrismaClient } from "@/lib/generated/prisma/client";
import { keyWhere } from "./queries";
import { keyFilterSchema, type KeyFilters } from "./schemas";
import { keyReadScope } from "./scope";
import type { KeyActor } from "./types";
import { EXPIRING_SOON_DAYS } from "./expiring";

/**
 * The home page's key counts, within the viewer's read scope. Each count is the inventory's own
 * filter (keyWhere), so the card's numbers always match the list its links open.
 */
export async function keySummary(db: PrismaClient, actor: KeyActor, now: Date = new Date()) {
  const where = (filters: Partial<KeyFilters>) => keyWhere(actor, keyFilterSchema.parse(filters), now, db);
  const [active, expiringSoon, unmanaged] = await Promise.all([
    db.apiKey.count({ where: where({ status: "Active" }) }),
    db.apiKey.count({ where: where({ expiringWithinDays: EXPIRING_SOON_DAYS }) }),
    db.apiKey.count({ where: where({ managed: "unmanaged" }) }),
  ]);
  return { active, expiringSoon, unmanaged };
}

/**
 * Whether the usage sync has recorded a last use for any key the viewer can see. Until it has,
 * the inventory hides its "last used" column instead of showing a column of blanks.
 */
export async function usageRecorded(db: PrismaClient, actor: KeyActor): Promise<boolean> {
  const hit = await db.apiKey.findFirst({ where: { AND: [keyReadScope(actor), { lastUsedAt: { not: null } }] }, select: { id: true } });
  return hit !== null;
}
