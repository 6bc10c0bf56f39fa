import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { ActionError } from "@/lib/actions/errors";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { closeOpenRequests } from "./deactivation";
import type {
  CreateTeamInput,
  CreateUserInput,
  ResetPasswordInput,
  UpdateTeamInput,
  UpdateUserInput,
} from "./schemas";

/**
 * Console users and teams. Every function takes the database (and the acting user where it
 * matters) as parameters, and reports what it acted on through `notes`, which the server action
 * turns into the audit entry (see lib/actions/safe-action.ts). Expected failures are ActionErrors
 * whose codes are keys in the "errors" message namespace.
 */

export interface AuditNotes {
  target(target: { type: string; id?: string | null; label?: string | null; teamId?: string | null }): void;
  detail(details: Record<string, unknown>): void;
}

/** For callers that do not audit (tests, scripts that audit themselves). */
export const noAuditNotes: AuditNotes = { target() {}, detail() {} };

export interface Actor {
  id: string;
}

type Tx = Prisma.TransactionClient;

// Never passwordHash: explicit selects everywhere, so a new column cannot leak by accident.
const userSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  lastSignInAt: true,
  mfaEnabledAt: true,
  createdAt: true,
  memberships: {
    select: { teamId: true, isLead: true, team: { select: { name: true } } },
    orderBy: { team: { name: "asc" } },
  },
} as const satisfies Prisma.UserSelect;

export type UserRow = Prisma.UserGetPayload<{ select: typeof userSelect }>;

export function listUsers(db: PrismaClient): Promise<UserRow[]> {
  return db.user.findMany({ select: userSelect, orderBy: [{ name: "asc" }, { email: "asc" }] });
}

const teamSelect = {
  id: true,
  name: true,
  description: true,
  _count: { select: { memberships: true } },
  memberships: {
    where: { isLead: true },
    select: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { user: { name: "asc" } },
  },
} as const satisfies Prisma.TeamSelect;

export type TeamRow = Prisma.TeamGetPayload<{ select: typeof teamSelect }>;

export function listTeams(db: PrismaClient): Promise<TeamRow[]> {
  return db.team.findMany({ select: teamSelect, orderBy: { name: "asc" } });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

async function assertTeamsExist(tx: Tx, teamIds: string[]) {
  if (teamIds.length === 0) return;
  const found = await tx.team.count({ where: { id: { in: teamIds } } });
  if (found !== new Set(teamIds).size) throw new ActionError("users.unknownTeam", {}, { teams: { code: "users.unknownTeam" } });
}

/**
 * Run after the write, inside the same transaction: if the change left no active admin, the
 * thrown error rolls it back. Checking after writing (not before) means two admins demoting each
 * other at once cannot both pass: the second transaction sees the first one's write.
 */
async function assertActiveAdminRemains(tx: Tx) {
  const admins = await tx.user.count({ where: { role: "admin", active: true } });
  if (admins === 0) throw new ActionError("users.lastAdmin");
}

function membershipData(role: Role, teams: string[], leads: string[]) {
  const unique = [...new Set(teams)];
  return unique.map((teamId) => ({ teamId, isLead: role === "lead" && leads.includes(teamId) }));
}

async function findUser(tx: Tx, id: string) {
  const user = await tx.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, active: true, memberships: { select: { teamId: true, isLead: true } } },
  });
  if (!user) throw new ActionError("notFound");
  return user;
}

export async function createUser(db: PrismaClient, input: CreateUserInput, notes: AuditNotes = noAuditNotes) {
  notes.target({ type: "user", label: input.email });
  notes.detail({ role: input.role, teams: input.teams.length, leads: input.leads.length });
  // Hash outside the transaction: scrypt takes tens of milliseconds and must not hold the write lock.
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      await assertTeamsExist(tx, input.teams);
      return tx.user.create({
        data: {
          name: input.name,
          email: input.email,
          role: input.role,
          passwordHash,
          memberships: { create: membershipData(input.role, input.teams, input.leads) },
        },
        select: { id: true, email: true, name: true, role: true },
      });
    });
    notes.target({ type: "user", id: user.id, label: user.email });
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ActionError("users.emailTaken", {}, { email: { code: "users.emailTaken" } });
    throw error;
  }
}

export async function updateUser(db: PrismaClient, actor: Actor, input: UpdateUserInput, notes: AuditNotes = noAuditNotes) {
  return db.$transaction(async (tx) => {
    const before = await findUser(tx, input.id);
    notes.target({ type: "user", id: before.id, label: before.email });
    const roleChanged = before.role !== input.role;
    // Changing your own role would end your own session mid-edit, or lock you out; another
    // admin has to do it.
    if (roleChanged && before.id === actor.id) throw new ActionError("users.selfRole", {}, { role: { code: "users.selfRole" } });
    await assertTeamsExist(tx, input.teams);

    const next = membershipData(input.role, input.teams, input.leads);
    const beforeTeams = new Set(before.memberships.map((m) => m.teamId));
    const nextTeams = new Set(next.map((m) => m.teamId));
    const beforeLeads = before.memberships.filter((m) => m.isLead).map((m) => m.teamId);
    const nextLeads = next.filter((m) => m.isLead).map((m) => m.teamId);

    await tx.user.update({
      where: { id: before.id },
      // A role change ends the user's sessions (schema contract), so new rights start from a fresh sign-in.
      data: { name: input.name, role: input.role, ...(roleChanged ? { sessionVersion: { increment: 1 } } : {}) },
    });
    await tx.teamMembership.deleteMany({ where: { userId: before.id, teamId: { notIn: [...nextTeams] } } });
    for (const m of next) {
      await tx.teamMembership.upsert({
        where: { userId_teamId: { userId: before.id, teamId: m.teamId } },
        create: { userId: before.id, teamId: m.teamId, isLead: m.isLead },
        update: { isLead: m.isLead },
      });
    }
    if (roleChanged && before.role === "admin") await assertActiveAdminRemains(tx);

    notes.detail({
      ...(roleChanged ? { role: { from: before.role, to: input.role } } : {}),
      ...(before.name !== input.name ? { name: { from: before.name, to: input.name } } : {}),
      ...nonEmpty("teamsAdded", [...nextTeams].filter((id) => !beforeTeams.has(id))),
      ...nonEmpty("teamsRemoved", [...beforeTeams].filter((id) => !nextTeams.has(id))),
      ...(sameSet(beforeLeads, nextLeads) ? {} : { leads: { from: beforeLeads, to: nextLeads } }),
    });
    return { id: before.id, role: input.role, sessionsEnded: roleChanged };
  });
}

function nonEmpty(key: string, ids: string[]) {
  return ids.length > 0 ? { [key]: ids } : {};
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Deactivate a person: their sessions end and their open key requests are cancelled in the same
 * transaction (lib/users/deactivation.ts), so nothing is approved or picked up for them later.
 * Their keys keep working; the result says how many they own, and offboarding (./offboard.ts)
 * disables or hands them over. Run again on an inactive person, it only closes what is still open.
 */
export async function deactivateUser(db: PrismaClient, actor: Actor, id: string, notes: AuditNotes = noAuditNotes, now: Date = new Date()) {
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, id);
    notes.target({ type: "user", id: user.id, label: user.email });
    if (user.id === actor.id) throw new ActionError("users.selfDeactivate");
    if (user.active) {
      // sessionVersion bump: every session of the user stops working on its next request.
      await tx.user.update({ where: { id: user.id }, data: { active: false, sessionVersion: { increment: 1 } } });
      if (user.role === "admin") await assertActiveAdminRemains(tx);
    }
    const requests = await closeOpenRequests(tx, user.id, now);
    const keysOwned = await tx.apiKey.count({ where: { ownerId: user.id, state: "present" } });
    notes.detail({
      ...(user.active ? { active: { from: true, to: false }, sessionsEnded: true } : { alreadyInactive: true }),
      requestsCancelled: requests.cancelled.map((r) => r.id),
      ...(requests.inPickup.length ? { requestsInPickup: requests.inPickup.map((r) => r.id) } : {}),
      keysOwned,
    });
    return { id: user.id, active: false, wasActive: user.active, requests, keysOwned };
  });
}

export async function reactivateUser(db: PrismaClient, id: string, notes: AuditNotes = noAuditNotes) {
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, id);
    notes.target({ type: "user", id: user.id, label: user.email });
    if (user.active) return { id: user.id, active: true };
    await tx.user.update({ where: { id: user.id }, data: { active: true } });
    notes.detail({ active: { from: false, to: true } });
    return { id: user.id, active: true };
  });
}

export async function resetUserPassword(db: PrismaClient, input: ResetPasswordInput, notes: AuditNotes = noAuditNotes) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, input.id);
    notes.target({ type: "user", id: user.id, label: user.email });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    notes.detail({ sessionsEnded: true });
    return { id: user.id };
  });
}

/** Team names are unique regardless of case: "Payments" and "payments" would be indistinguishable in lists. */
async function assertTeamNameFree(tx: Tx, name: string, exceptId?: string) {
  const wanted = name.toLocaleLowerCase("en");
  const names = await tx.team.findMany({ where: exceptId ? { id: { not: exceptId } } : {}, select: { name: true } });
  if (names.some((t) => t.name.toLocaleLowerCase("en") === wanted)) throw teamNameTaken();
}

const teamNameTaken = () => new ActionError("teams.nameTaken", {}, { name: { code: "teams.nameTaken" } });

export async function createTeam(db: PrismaClient, input: CreateTeamInput, notes: AuditNotes = noAuditNotes) {
  notes.target({ type: "team", label: input.name });
  try {
    const team = await db.$transaction(async (tx) => {
      await assertTeamNameFree(tx, input.name);
      return tx.team.create({ data: { name: input.name, description: input.description }, select: { id: true, name: true } });
    });
    notes.target({ type: "team", id: team.id, label: team.name, teamId: team.id });
    return team;
  } catch (error) {
    if (isUniqueViolation(error)) throw teamNameTaken();
    throw error;
  }
}

export async function updateTeam(db: PrismaClient, input: UpdateTeamInput, notes: AuditNotes = noAuditNotes) {
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.team.findUnique({ where: { id: input.id }, select: { id: true, name: true, description: true } });
      if (!before) throw new ActionError("notFound");
      notes.target({ type: "team", id: before.id, label: before.name, teamId: before.id });
      await assertTeamNameFree(tx, input.name, before.id);
      const team = await tx.team.update({
        where: { id: before.id },
        data: { name: input.name, description: input.description },
        select: { id: true, name: true },
      });
      notes.detail({
        ...(before.name !== input.name ? { name: { from: before.name, to: input.name } } : {}),
        descriptionChanged: before.description !== input.description,
      });
      return team;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw teamNameTaken();
    throw error;
  }
}

export async function deleteTeam(db: PrismaClient, id: string, notes: AuditNotes = noAuditNotes) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id }, select: { id: true, name: true, _count: { select: { memberships: true } } } });
    if (!team) throw new ActionError("notFound");
    notes.target({ type: "team", id: team.id, label: team.name, teamId: team.id });
    // Conditional delete: a member added between the read and the delete still blocks it.
    const { count } = await tx.team.deleteMany({ where: { id: team.id, memberships: { none: {} } } });
    if (count !== 1) {
      const members = await tx.teamMembership.count({ where: { teamId: team.id } });
      throw new ActionError("teams.notEmpty", { count: members });
    }
    return { id: team.id };
  });
}
