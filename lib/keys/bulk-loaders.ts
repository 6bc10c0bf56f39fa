import "server-only";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";

export interface BulkOptions {
  canDelete: boolean;
  canReassign: boolean;
  /** Teams keys may be moved into: every team for admins, the teams a lead leads. */
  teams: { id: string; name: string }[];
  /** Active people who may own keys of those teams, with their team ids (the dialog narrows by the keys' teams on the server). */
  people: { id: string; name: string; email: string; teamIds: string[] }[];
}

/** What the inventory's bulk bar offers the viewer; null when they may not act in bulk at all. The server checks every key again. */
export async function loadBulkOptions(user: SessionUser): Promise<BulkOptions | null> {
  if (!can(user.role, "keys.disable")) return null;
  const canReassign = can(user.role, "keys.reassign");
  const teams = canReassign
    ? await db().team.findMany({ where: user.role === "admin" ? {} : { id: { in: user.ledTeamIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } })
    : [];
  const teamIds = teams.map((t) => t.id);
  const people = canReassign
    ? await db().user.findMany({
        where: { active: true, memberships: { some: { teamId: { in: teamIds } } } },
        select: { id: true, name: true, email: true, memberships: { where: { teamId: { in: teamIds } }, select: { teamId: true } } },
        orderBy: { name: "asc" },
      })
    : [];
  return {
    canDelete: can(user.role, "keys.delete"),
    canReassign,
    teams,
    people: people.map((p) => ({ id: p.id, name: p.name, email: p.email, teamIds: p.memberships.map((m) => m.teamId) })),
  };
}
