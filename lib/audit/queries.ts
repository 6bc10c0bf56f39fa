import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/auth/session";

/** Filters accepted from the URL (audit page and CSV export share them). */
export const auditFilterSchema = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  result: z.enum(["success", "failure"]).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type AuditFilters = z.infer<typeof auditFilterSchema>;

/**
 * What a user may see of the audit log: admins everything; leads the entries of teams they lead
 * and their own actions; anyone else nothing. Applied in the query, never in the UI.
 */
export function auditScope(user: Pick<SessionUser, "id" | "role" | "ledTeamIds">): Prisma.AuditEntryWhereInput {
  if (user.role === "admin") return {};
  if (user.role === "lead") return { OR: [{ teamId: { in: user.ledTeamIds } }, { actorId: user.id }] };
  return { id: -1 };
}

export function auditWhere(user: Pick<SessionUser, "id" | "role" | "ledTeamIds">, f: Omit<AuditFilters, "page">): Prisma.AuditEntryWhereInput {
  const and: Prisma.AuditEntryWhereInput[] = [auditScope(user)];
  if (f.actor) and.push({ actorEmail: { contains: f.actor.toLowerCase() } });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.result) and.push({ result: f.result });
  if (f.from) and.push({ createdAt: { gte: new Date(`${f.from}T00:00:00.000Z`) } });
  if (f.to) and.push({ createdAt: { lt: new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  return { AND: and };
}

export const AUDIT_PAGE_SIZE = 50;

export const auditListSelect = {
  id: true,
  createdAt: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetLabel: true,
  result: true,
  ip: true,
  userAgent: true,
  details: true,
} as const satisfies Prisma.AuditEntrySelect;

export async function listAudit(db: PrismaClient, user: SessionUser, filters: AuditFilters) {
  const where = auditWhere(user, filters);
  const [total, rows] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (filters.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: auditListSelect,
    }),
  ]);
  return { total, rows, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

export async function recentAudit(db: PrismaClient, user: SessionUser, take = 8) {
  return db.auditEntry.findMany({ where: auditScope(user), orderBy: { id: "desc" }, take, select: auditListSelect });
}
