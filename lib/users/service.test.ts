import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { verifyPassword } from "@/lib/auth/password";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTeamSchema, createUserSchema } from "./schemas";
import {
  createTeam,
  createUser,
  deactivateUser,
  deleteTeam,
  listTeams,
  listUsers,
  reactivateUser,
  resetUserPassword,
  updateTeam,
  updateUser,
  type AuditNotes,
} from "./service";

let db: PrismaClient;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterEach(async () => {
  await cleanup();
});

const PASSWORD = "correct horse battery";

function recorder() {
  const seen: { target?: Parameters<AuditNotes["target"]>[0]; details: Record<string, unknown> } = { details: {} };
  const notes: AuditNotes = { target: (t) => (seen.target = t), detail: (d) => Object.assign(seen.details, d) };
  return { seen, notes };
}

function newUser(overrides: Partial<{ name: string; email: string; role: string; teams: string[]; leads: string[] }> = {}) {
  return createUserSchema.parse({ name: "Ann Admin", email: "ann@example.test", role: "admin", password: PASSWORD, ...overrides });
}

async function expectActionError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActionError);
  expect((error as ActionError).code).toBe(code);
}

describe("createUser", () => {
  it("creates a user with memberships, lowercases the email and stores only a hash", async () => {
    const team = await createTeam(db, createTeamSchema.parse({ name: "Payments" }));
    const { seen, notes } = recorder();
    const user = await createUser(db, newUser({ email: "  Lee@Example.TEST ", role: "lead", teams: [team.id], leads: [team.id] }), notes);

    expect(user).toEqual({ id: expect.any(String), email: "lee@example.test", name: "Ann Admin", role: "lead" });
    expect(Object.keys(user)).not.toContain("passwordHash");
    expect(seen.target).toMatchObject({ type: "user", id: user.id, label: "lee@example.test" });
    expect(JSON.stringify(seen.details)).not.toContain(PASSWORD);

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { memberships: true } });
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    expect(row.memberships).toEqual([expect.objectContaining({ teamId: team.id, isLead: true })]);
  });

  it("refuses a duplicate email whatever its case, with a field error, and adds no row", async () => {
    await createUser(db, newUser());
    const error = await createUser(db, newUser({ email: "ANN@example.test", name: "Other" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe("users.emailTaken");
    expect((error as ActionError).fieldErrors.email?.code).toBe("users.emailTaken");
    expect(await db.user.count()).toBe(1);
  });

  it("refuses a team id that does not exist and creates nothing", async () => {
    await expectActionError(createUser(db, newUser({ teams: ["doesnotexist"] })), "users.unknownTeam");
    expect(await db.user.count()).toBe(0);
  });

  it("never returns the password hash from listUsers", async () => {
    await createUser(db, newUser());
    const [row] = await listUsers(db);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain("scrypt$");
    expect(row).not.toHaveProperty("passwordHash");
  });
});

describe("updateUser", () => {
  it("records a role change from→to, drops lead flags for non-leads and ends the user's sessions", async () => {
    const admin = await createUser(db, newUser());
    const team = await createTeam(db, createTeamSchema.parse({ name: "Research" }));
    const lee = await createUser(db, newUser({ name: "Lee", email: "lee@example.test", role: "lead", teams: [team.id], leads: [team.id] }));
    const { seen, notes } = recorder();

    const result = await updateUser(db, admin, { id: lee.id, name: "Lee", role: "developer", teams: [team.id], leads: [] }, notes);

    expect(result.sessionsEnded).toBe(true);
    expect(seen.details.role).toEqual({ from: "lead", to: "developer" });
    expect(seen.details.leads).toEqual({ from: [team.id], to: [] });
    const row = await db.user.findUniqueOrThrow({ where: { id: lee.id }, include: { memberships: true } });
    expect(row.role).toBe("developer");
    expect(row.sessionVersion).toBe(1);
    expect(row.memberships).toEqual([expect.objectContaining({ teamId: team.id, isLead: false })]);
  });

  it("changes teams without ending sessions when the role stays", async () => {
    const admin = await createUser(db, newUser());
    const a = await createTeam(db, createTeamSchema.parse({ name: "A" }));
    const b = await createTeam(db, createTeamSchema.parse({ name: "B" }));
    const dev = await createUser(db, newUser({ name: "Dev", email: "dev@example.test", role: "developer", teams: [a.id] }));
    const { seen, notes } = recorder();
    await updateUser(db, admin, { id: dev.id, name: "Dev", role: "developer", teams: [b.id], leads: [] }, notes);
    expect(seen.details).toMatchObject({ teamsAdded: [b.id], teamsRemoved: [a.id] });
    const row = await db.user.findUniqueOrThrow({ where: { id: dev.id }, include: { memberships: true } });
    expect(row.sessionVersion).toBe(0);
    expect(row.memberships.map((m) => m.teamId)).toEqual([b.id]);
  });

  it("refuses to take the admin role from the last active admin, and changes nothing", async () => {
    const actor = await createUser(db, newUser());
    const other = await createUser(db, newUser({ name: "Bo", email: "bo@example.test" }));
    await db.user.update({ where: { id: actor.id }, data: { active: false } });
    // `other` is now the only active admin; a (scripted) actor tries to demote them.
    await expectActionError(updateUser(db, actor, { id: other.id, name: "Bo", role: "developer", teams: [], leads: [] }), "users.lastAdmin");
    const row = await db.user.findUniqueOrThrow({ where: { id: other.id } });
    expect(row.role).toBe("admin");
    expect(row.sessionVersion).toBe(0);
  });

  it("lets an admin demote another admin while one active admin remains", async () => {
    const actor = await createUser(db, newUser());
    const other = await createUser(db, newUser({ name: "Bo", email: "bo@example.test" }));
    await updateUser(db, actor, { id: other.id, name: "Bo", role: "developer", teams: [], leads: [] });
    expect((await db.user.findUniqueOrThrow({ where: { id: other.id } })).role).toBe("developer");
  });

  it("refuses an admin changing their own role", async () => {
    const actor = await createUser(db, newUser());
    await createUser(db, newUser({ name: "Bo", email: "bo@example.test" }));
    await expectActionError(updateUser(db, actor, { id: actor.id, name: "Ann", role: "developer", teams: [], leads: [] }), "users.selfRole");
    expect((await db.user.findUniqueOrThrow({ where: { id: actor.id } })).role).toBe("admin");
  });

  it("answers notFound for an unknown id", async () => {
    const actor = await createUser(db, newUser());
    await expectActionError(updateUser(db, actor, { id: "nosuchuser", name: "X", role: "developer", teams: [], leads: [] }), "notFound");
  });
});

describe("deactivate / reactivate / reset password", () => {
  it("deactivation bumps sessionVersion so the user's sessions end; reactivation lets them back in", async () => {
    const admin = await createUser(db, newUser());
    const dev = await createUser(db, newUser({ name: "Dev", email: "dev@example.test", role: "developer" }));
    const { seen, notes } = recorder();
    await deactivateUser(db, admin, dev.id, notes);
    let row = await db.user.findUniqueOrThrow({ where: { id: dev.id } });
    expect(row).toMatchObject({ active: false, sessionVersion: 1 });
    expect(seen.target).toMatchObject({ type: "user", id: dev.id, label: "dev@example.test" });

    await reactivateUser(db, dev.id);
    row = await db.user.findUniqueOrThrow({ where: { id: dev.id } });
    expect(row).toMatchObject({ active: true, sessionVersion: 1 });
  });

  it("refuses self-deactivation", async () => {
    const admin = await createUser(db, newUser());
    await expectActionError(deactivateUser(db, admin, admin.id), "users.selfDeactivate");
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).active).toBe(true);
  });

  it("refuses deactivating the last active admin", async () => {
    const cli = { id: "cli-actor" };
    const admin = await createUser(db, newUser());
    await expectActionError(deactivateUser(db, cli, admin.id), "users.lastAdmin");
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ active: true, sessionVersion: 0 });
  });

  it("resets the password and ends the user's sessions", async () => {
    const dev = await createUser(db, newUser({ name: "Dev", email: "dev@example.test", role: "developer" }));
    const { seen, notes } = recorder();
    await resetUserPassword(db, { id: dev.id, password: "a brand new passphrase" }, notes);
    const row = await db.user.findUniqueOrThrow({ where: { id: dev.id } });
    expect(row.sessionVersion).toBe(1);
    expect(await verifyPassword("a brand new passphrase", row.passwordHash)).toBe(true);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(false);
    expect(JSON.stringify(seen.details)).not.toContain("passphrase");
  });
});

describe("teams", () => {
  it("creates, renames (recording from→to) and lists teams with member counts and leads", async () => {
    const team = await createTeam(db, createTeamSchema.parse({ name: "Payments", description: "Checkout" }));
    await createUser(db, newUser({ name: "Lee", email: "lee@example.test", role: "lead", teams: [team.id], leads: [team.id] }));
    const { seen, notes } = recorder();
    await updateTeam(db, { id: team.id, name: "Billing", description: "Checkout and invoices" }, notes);
    expect(seen.details.name).toEqual({ from: "Payments", to: "Billing" });
    expect(seen.target).toMatchObject({ type: "team", id: team.id, teamId: team.id });
    const [listed] = await listTeams(db);
    expect(listed).toMatchObject({ name: "Billing", description: "Checkout and invoices", _count: { memberships: 1 } });
    expect(listed?.memberships.map((m) => m.user.email)).toEqual(["lee@example.test"]);
  });

  it("refuses a team name that differs only in case", async () => {
    const a = await createTeam(db, createTeamSchema.parse({ name: "Payments" }));
    await expectActionError(createTeam(db, createTeamSchema.parse({ name: "payments" })), "teams.nameTaken");
    const b = await createTeam(db, createTeamSchema.parse({ name: "Research" }));
    await expectActionError(updateTeam(db, { id: b.id, name: "PAYMENTS", description: "" }), "teams.nameTaken");
    // Renaming a team to itself (other case) is fine.
    await updateTeam(db, { id: a.id, name: "PAYMENTS", description: "" });
    expect(await db.team.count()).toBe(2);
  });

  it("refuses to delete a team with members, and deletes an empty one", async () => {
    const team = await createTeam(db, createTeamSchema.parse({ name: "Payments" }));
    const dev = await createUser(db, newUser({ name: "Dev", email: "dev@example.test", role: "developer", teams: [team.id] }));
    const error = await deleteTeam(db, team.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: "teams.notEmpty", params: { count: 1 } });
    expect(await db.team.count()).toBe(1);

    await db.teamMembership.deleteMany({ where: { userId: dev.id } });
    await deleteTeam(db, team.id);
    expect(await db.team.count()).toBe(0);
    await expectActionError(deleteTeam(db, team.id), "notFound");
  });
});
