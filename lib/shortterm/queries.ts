import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { KeyActor } from "@/lib/keys/types";

/**
 * Short-term key issuances (never tokens), scoped like long-term keys: admins see everyone's,
 * leads their teams' members' and their own, developers their own.
 */
export function issuanceScope(actor: Pick<KeyActor, "id" | "role" | "ledTeamIds">): Prisma.ShortTermIssuanceWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "lead") {
    return { OR: [{ userId: actor.id }, { user: { memberships: { some: { teamId: { in: actor.ledTeamIds } } } } }] };
  }
  if (actor.role === "developer") return { userId: actor.id };
  return { id: { in: [] } };
}

export const issuanceFilterSchema = z.object({
  userId: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(64).optional()),
  activeOnly: z.preprocess((v) => v === "1" || v === "true" || v === true, z.boolean()).default(false),
  page: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type IssuanceFilters = z.output<typeof issuanceFilterSchema>;

export const ISSUANCE_PAGE_SIZE = 50;

export interface IssuanceItem {
  id: string;
  user: { id: string; name: string; email: string };
  region: string;
  accessKeyId: string;
  issuedAt: string;
  expiresAt: string;
  /** active | expired | revoked */
  state: "active" | "expired" | "revoked";
}

export async function listIssuances(db: PrismaClient, actor: KeyActor, filters: IssuanceFilters, now: Date = new Date()) {
  const and: Prisma.ShortTermIssuanceWhereInput[] = [issuanceScope(actor)];
  if (filters.userId) and.push({ userId: filters.userId });
  if (filters.activeOnly) and.push({ expiresAt: { gt: now } });
  const where = { AND: and };
  const [total, rows] = await Promise.all([
    db.shortTermIssuance.count({ where }),
    db.shortTermIssuance.findMany({
      where,
      orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * ISSUANCE_PAGE_SIZE,
      take: ISSUANCE_PAGE_SIZE,
      select: {
        id: true,
        region: true,
        accessKeyId: true,
        issuedAt: true,
        expiresAt: true,
        sourceIdentity: true,
        user: { select: { id: true, name: true, email: true } },
      },
    }),
  ]);
  const identities = [...new Set(rows.map((r) => r.sourceIdentity))];
  const revocations = identities.length
    ? await db.shortTermRevocation.groupBy({ by: ["sourceIdentity"], where: { sourceIdentity: { in: identities } }, _max: { revokedBefore: true } })
    : [];
  const revokedBefore = new Map(revocations.map((r) => [r.sourceIdentity, r._max.revokedBefore]));
  const items: IssuanceItem[] = rows.map((r) => {
    const cutoff = revokedBefore.get(r.sourceIdentity);
    const state = cutoff && r.issuedAt < cutoff ? "revoked" : r.expiresAt <= now ? "expired" : "active";
    return {
      id: r.id,
      user: r.user,
      region: r.region,
      accessKeyId: r.accessKeyId,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      state,
    };
  });
  return { total, page: filters.page, pages: Math.max(1, Math.ceil(total / ISSUANCE_PAGE_SIZE)), rows: items };
}
