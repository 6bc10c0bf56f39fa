import { appendAudit } from "@/lib/audit/service";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type Role, ROLES } from "./permissions";

/**
 * Single sign-on (issue 13): what a person's IdP groups make of them in the console. Run on every
 * SSO sign-in: the first one creates the user (just in time); each one sets the role and team
 * memberships from the groups; a role change ends older sessions (sessionVersion); a person whose
 * groups no longer grant access is deactivated and refused.
 */

export interface GroupMapping {
  group: string;
  role: Role;
  teams: string[];
  leads: string[];
}

export interface SsoProfile {
  email: string;
  name: string;
  groups: string[];
}

export type SsoOutcome =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number }; created: boolean; roleChanged: boolean }
  | { ok: false; reason: "no_email" | "no_groups" | "deactivated" };

/** Admin > lead > developer; null when no group is mapped. */
export function mappedAccess(groups: readonly string[], mappings: readonly GroupMapping[]): { role: Role; teams: string[]; leads: string[] } | null {
  const matched = mappings.filter((m) => groups.includes(m.group));
  if (matched.length === 0) return null;
  const role = ROLES.find((r) => matched.some((m) => m.role === r))!;
  const teams = [...new Set(matched.flatMap((m) => [...m.teams, ...m.leads]))].sort();
  // Only a lead leads teams (the console's rule for local users too).
  const leads = role === "lead" ? [...new Set(matched.flatMap((m) => m.leads))].sort() : [];
  return { role, teams, leads };
}

/** The groups claim as the IdP sent it: an array of strings, or one string. */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === "string");
  return typeof v === "string" ? [v] : [];
}

export async function ssoSignIn(
  db: PrismaClient,
  profile: SsoProfile,
  mappings: readonly GroupMapping[],
  meta: { ip: string | null; userAgent: string | null },
  now: Date = new Date(),
): Promise<SsoOutcome> {
  const email = profile.email.trim().toLowerCase();
  const audit = (result: "success" | "failure", details: Record<string, unknown>, actorId: string | null = null) =>
    appendAudit(db, { action: "auth.sign_in", result, actorId, actorEmail: email || null, targetType: "user", targetId: actorId, targetLabel: email || null, ...meta, details: { method: "sso", ...details } }, now);
  if (!email) {
    await audit("failure", { reason: "no_email" });
    return { ok: false, reason: "no_email" };
  }
  const access = mappedAccess(profile.groups, mappings);
  const existing = await db.user.findUnique({ where: { email }, include: { memberships: { include: { team: true } } } });
  if (!access) {
    // No mapped group: refused; someone who had access loses it (and every session) now.
    if (existing?.active) await db.user.update({ where: { id: existing.id }, data: { active: false, sessionVersion: { increment: 1 } } });
    await audit("failure", { reason: "no_groups", groups: profile.groups.slice(0, 20), ...(existing?.active ? { deactivated: true } : {}) }, existing?.id ?? null);
    return { ok: false, reason: "no_groups" };
  }
  if (existing && !existing.active && existing.passwordHash) {
    // A local account an admin deactivated stays so: SSO does not reopen it.
    await audit("failure", { reason: "deactivated" }, existing.id);
    return { ok: false, reason: "deactivated" };
  }

  const teamIds = new Map<string, string>();
  for (const name of access.teams) {
    const team = await db.team.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
    teamIds.set(name, team.id);
  }
  const created = !existing;
  const roleChanged = !!existing && existing.role !== access.role;
  const user = await db.$transaction(async (tx) => {
    const u = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { name: profile.name || existing.name, role: access.role, active: true, lastSignInAt: now, ...(roleChanged || !existing.active ? { sessionVersion: { increment: 1 } } : {}) },
        })
      : await tx.user.create({ data: { email, name: profile.name || email, role: access.role, passwordHash: "", lastSignInAt: now } });
    await tx.teamMembership.deleteMany({ where: { userId: u.id, teamId: { notIn: [...teamIds.values()] } } });
    for (const [name, teamId] of teamIds) {
      const isLead = access.leads.includes(name);
      await tx.teamMembership.upsert({ where: { userId_teamId: { userId: u.id, teamId } }, create: { userId: u.id, teamId, isLead }, update: { isLead } });
    }
    return u;
  });
  await audit(
    "success",
    {
      role: access.role,
      teams: access.teams,
      ...(created ? { createdUser: true } : {}),
      ...(roleChanged ? { roleChanged: { from: existing!.role, to: access.role } } : {}),
    },
    user.id,
  );
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion }, created, roleChanged };
}
