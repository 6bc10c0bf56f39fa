import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Active leads of a team. */
export async function teamLeads(db: PrismaClient, teamId: string): Promise<string[]> {
  const rows = await db.teamMembership.findMany({ where: { teamId, isLead: true, user: { active: true, role: "lead" } }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

/** Who may decide a team's requests: its active leads and every active admin — never the requester. */
export async function approversOf(db: PrismaClient, teamId: string, requesterId: string): Promise<string[]> {
  const [leads, admins] = await Promise.all([
    teamLeads(db, teamId),
    db.user.findMany({ where: { role: "admin", active: true }, select: { id: true } }),
  ]);
  return [...new Set([...leads, ...admins.map((a) => a.id)])].filter((id) => id !== requesterId);
}
