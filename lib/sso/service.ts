import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit } from "@/lib/audit/service";
import { ActionError } from "@/lib/actions/errors";
import { isRole, type Role } from "@/lib/auth/permissions";
import { grantsFromConfig, parseIdList, resolveAccess, type GroupGrant, type MappingForm } from "./mapping";
import { cancelledData, openRequestsWhere } from "@/lib/users/deactivation";

export type ConfiguredMappings = { group: string; role: Role; teams: string[]; leads: string[] }[] | undefined;
type Meta = { ip: string | null; userAgent: string | null };

/**
 * The grants in force: the configured ones (OIDC_GROUP_MAPPINGS) when set — a declarative install
 * — otherwise the rows an admin edits on the settings page.
 */
export async function loadGrants(db: PrismaClient, configured: ConfiguredMappings): Promise<{ grants: GroupGrant[]; unknownTeams: string[]; source: "config" | "database" }> {
  if (configured) {
    const teams = await db.team.findMany({ select: { id: true, name: true } });
    return { ...grantsFromConfig(configured, new Map(teams.map((t) => [t.name, t.id]))), source: "config" };
  }
  const rows = await db.idpGroupMapping.findMany({ orderBy: { group: "asc" } });
  const grants = rows.flatMap((r) => (isRole(r.role) ? [{ group: r.group, role: r.role, teamIds: parseIdList(r.teamIds), ledTeamIds: parseIdList(r.ledTeamIds) }] : []));
  return { grants, unknownTeams: [], source: "database" };
}

export interface SsoIdentity {
  issuer: string;
  sub: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

export type SsoOutcome =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number; locale: string; timeZone: string | null }; created: boolean }
  | { ok: false; reason: "no_email" | "no_group" | "removed" | "inactive" };

/**
 * One SSO sign-in, after Auth.js has verified the ID token: just-in-time creation, role and teams
 * from the groups, and refusal (with deactivation of an existing user) when no group is mapped.
 * Every outcome is audited as auth.sso_sign_in. The role is the highest of the mapped groups' roles;
 * a role change bumps the session version, so the person's other sessions end.
 */
export async function ssoSignIn(db: PrismaClient, identity: SsoIdentity, grants: readonly GroupGrant[], meta: Meta, now = new Date()): Promise<SsoOutcome> {
  const subject = `${identity.issuer}|${identity.sub}`;
  const email = identity.email?.trim().toLowerCase() || null;
  const audit = (result: "success" | "failure", actor: { id: string | null; email: string | null }, details: Record<string, unknown>) =>
    appendAudit(db, { action: "auth.sso_sign_in", result, actorId: actor.id, actorEmail: actor.email, targetType: "user", targetId: actor.id, targetLabel: actor.email, ...meta, details }, now);

  // The subject is the stable key; the email links a person who already has a (local) account.
  const existing = (await db.user.findUnique({ where: { ssoSubject: subject } })) ?? (email ? await db.user.findUnique({ where: { email } }) : null);
  if (!existing && !email) {
    await audit("failure", { id: null, email: null }, { reason: "no_email" });
    return { ok: false, reason: "no_email" };
  }
  const access = resolveAccess(identity.groups, grants);
  const who = { id: existing?.id ?? null, email: existing?.email ?? email };
  if (!access) {
    // Groups are listed only when none is mapped: they are what the administrator needs to map.
    const groups = identity.groups.slice(0, 50);
    if (existing?.active) {
      await db.$transaction([
        db.user.update({ where: { id: existing.id }, data: { active: false, sessionVersion: { increment: 1 } } }),
        db.userSession.updateMany({ where: { userId: existing.id, revokedAt: null }, data: { revokedAt: now } }),
        // As every deactivation does (lib/users/deactivation.ts): nothing stays open for them.
        db.keyRequest.updateMany({ where: openRequestsWhere(existing.id, now), data: cancelledData(now) }),
      ]);
      await audit("failure", who, { reason: "no_group", groups, deactivated: true });
      return { ok: false, reason: "removed" };
    }
    await audit("failure", who, { reason: "no_group", groups });
    return { ok: false, reason: "no_group" };
  }
  if (existing && !existing.active) {
    // Deactivated (by an administrator, or by an earlier sign-in without groups): an administrator reactivates.
    await audit("failure", who, { reason: "inactive", groups: access.matchedGroups });
    return { ok: false, reason: "inactive" };
  }

  const led = new Set(access.ledTeamIds);
  // Teams deleted since the mapping was saved are skipped, not an error.
  const teamIds = (await db.team.findMany({ where: { id: { in: access.teamIds } }, select: { id: true } })).map((t) => t.id);
  const user = await db.$transaction(async (tx) => {
    const u = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: {
            role: access.role,
            ssoSubject: subject,
            lastSignInAt: now,
            ...(existing.role !== access.role ? { sessionVersion: { increment: 1 } } : {}),
          },
        })
      : await tx.user.create({
          data: { email: email!, name: identity.name?.trim().slice(0, 200) || email!, passwordHash: "", role: access.role, ssoSubject: subject, lastSignInAt: now },
        });
    await tx.teamMembership.deleteMany({ where: { userId: u.id, teamId: { notIn: teamIds } } });
    for (const teamId of teamIds) {
      await tx.teamMembership.upsert({
        where: { userId_teamId: { userId: u.id, teamId } },
        create: { userId: u.id, teamId, isLead: led.has(teamId) },
        update: { isLead: led.has(teamId) },
      });
    }
    return u;
  });
  await audit("success", { id: user.id, email: user.email }, {
    groups: access.matchedGroups,
    role: existing && existing.role !== access.role ? { from: existing.role, to: access.role } : access.role,
    teams: teamIds.length,
    ...(existing ? {} : { created: true }),
  });
  return {
    ok: true,
    created: !existing,
    user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, locale: user.locale, timeZone: user.timeZone },
  };
}

/** A refused or failed SSO callback (bad state, replayed code, invalid ID token, IdP down). */
export async function auditSsoFailure(db: PrismaClient, reason: string, errorType: string, meta: Meta, now = new Date()) {
  await appendAudit(db, { action: "auth.sso_sign_in", result: "failure", actorId: null, actorEmail: null, targetType: null, targetId: null, targetLabel: null, ...meta, details: { reason, error: errorType } }, now);
}

// ── Mapping edits (settings page) ──

interface MappingView {
  group: string;
  role: string;
  teams: string[];
  leads: string[];
}

async function view(db: PrismaClient, m: { group: string; role: string; teamIds: string[]; ledTeamIds: string[] }): Promise<MappingView> {
  const ids = [...new Set([...m.teamIds, ...m.ledTeamIds])];
  const names = new Map((await db.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
  return { group: m.group, role: m.role, teams: m.teamIds.map((id) => names.get(id) ?? id), leads: m.ledTeamIds.map((id) => names.get(id) ?? id) };
}

export type AuditSink = { target(t: { type: string; id?: string | null; label?: string | null }): void; detail(d: Record<string, unknown>): void };

/** Add or edit one mapping; the audit entry gets the mapping before and after (teams by name). */
export async function saveMapping(db: PrismaClient, input: MappingForm, configured: boolean, sink: AuditSink) {
  if (configured) throw new ActionError("ssoMappingsConfigured");
  const known = new Set((await db.team.findMany({ where: { id: { in: [...input.teamIds, ...input.ledTeamIds] } }, select: { id: true } })).map((t) => t.id));
  if ([...input.teamIds, ...input.ledTeamIds].some((id) => !known.has(id))) throw new ActionError("invalidInput");
  const clash = await db.idpGroupMapping.findUnique({ where: { group: input.group } });
  if (clash && clash.id !== input.id) throw new ActionError("ssoGroupTaken", { group: input.group }, { group: { code: "ssoGroupTaken", params: { group: input.group } } });
  const before = input.id ? await db.idpGroupMapping.findUnique({ where: { id: input.id } }) : null;
  if (input.id && !before) throw new ActionError("notFound");
  sink.target({ type: "sso_mapping", id: input.id ?? null, label: input.group });
  // Leading a team implies belonging to it.
  const teamIds = [...new Set([...input.teamIds, ...input.ledTeamIds])];
  const data = { group: input.group, role: input.role, teamIds: JSON.stringify(teamIds), ledTeamIds: JSON.stringify(input.ledTeamIds) };
  const row = before ? await db.idpGroupMapping.update({ where: { id: before.id }, data }) : await db.idpGroupMapping.create({ data });
  sink.target({ type: "sso_mapping", id: row.id, label: row.group });
  sink.detail({
    before: before ? await view(db, { ...before, teamIds: parseIdList(before.teamIds), ledTeamIds: parseIdList(before.ledTeamIds) }) : null,
    after: await view(db, { ...row, teamIds, ledTeamIds: input.ledTeamIds }),
  });
  return { id: row.id };
}

export async function deleteMapping(db: PrismaClient, id: string, configured: boolean, sink: AuditSink) {
  if (configured) throw new ActionError("ssoMappingsConfigured");
  const before = await db.idpGroupMapping.findUnique({ where: { id } });
  if (!before) throw new ActionError("notFound");
  sink.target({ type: "sso_mapping", id, label: before.group });
  await db.idpGroupMapping.delete({ where: { id } });
  sink.detail({ before: await view(db, { ...before, teamIds: parseIdList(before.teamIds), ledTeamIds: parseIdList(before.ledTeamIds) }), after: null });
}
