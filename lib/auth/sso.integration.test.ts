/**
 * Single sign-on's group mapping (issue 13): groups → role and teams, just-in-time users, role
 * changes ending older sessions, refusal (and deactivation) without a mapped group.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { verifySignIn } from "./sign-in";
import { type GroupMapping, groupsFromClaims, mappedAccess, ssoSignIn } from "./sso";

const MAPPINGS: GroupMapping[] = [
  { group: "console-admins", role: "admin", teams: [], leads: [] },
  { group: "payments-leads", role: "lead", teams: ["Payments"], leads: ["Payments"] },
  { group: "payments-devs", role: "developer", teams: ["Payments"], leads: [] },
  { group: "research-devs", role: "developer", teams: ["Research"], leads: [] },
];
const meta = { ip: "203.0.113.5", userAgent: "vitest" };
let t: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.cleanup());

describe("group mapping", () => {
  it("the highest role wins; teams are the union; only a lead leads", () => {
    expect(mappedAccess(["payments-devs", "research-devs"], MAPPINGS)).toEqual({ role: "developer", teams: ["Payments", "Research"], leads: [] });
    expect(mappedAccess(["payments-devs", "payments-leads"], MAPPINGS)).toEqual({ role: "lead", teams: ["Payments"], leads: ["Payments"] });
    expect(mappedAccess(["console-admins", "payments-leads"], MAPPINGS)).toMatchObject({ role: "admin", leads: [] });
    expect(mappedAccess(["marketing"], MAPPINGS)).toBeNull();
    expect(groupsFromClaims({ groups: ["a", 3, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ roles: "one" }, "roles")).toEqual(["one"]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });
});

describe("SSO sign-in", () => {
  it("creates the user on first sign-in with the mapped role and teams, with no password", async () => {
    const out = await ssoSignIn(t.db, { email: "Lee.Lead@Example.com", name: "Lee", groups: ["payments-leads"] }, MAPPINGS, meta);
    expect(out).toMatchObject({ ok: true, created: true, roleChanged: false });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "lee.lead@example.com" }, include: { memberships: { include: { team: true } } } });
    expect(user).toMatchObject({ role: "lead", active: true, passwordHash: "" });
    expect(user.memberships.map((m) => [m.team.name, m.isLead])).toEqual([["Payments", true]]);
    // No password: the local sign-in refuses the account whatever is typed.
    const local = await verifySignIn(t.db, { email: "lee.lead@example.com", password: "" }, meta, { maxFailures: 5, lockMinutes: 15 });
    expect(local).toMatchObject({ ok: false });
    const audit = await t.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign_in", result: "success" }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit.details)).toMatchObject({ method: "sso", role: "lead", createdUser: true });
  });

  it("a group change at the IdP changes the role and teams at the next sign-in, and ends older sessions", async () => {
    const before = await t.db.user.findUniqueOrThrow({ where: { email: "lee.lead@example.com" } });
    const out = await ssoSignIn(t.db, { email: "lee.lead@example.com", name: "Lee", groups: ["research-devs"] }, MAPPINGS, meta);
    expect(out).toMatchObject({ ok: true, created: false, roleChanged: true });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: before.id }, include: { memberships: { include: { team: true } } } });
    expect(after.role).toBe("developer");
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.memberships.map((m) => [m.team.name, m.isLead])).toEqual([["Research", false]]);
  });

  it("removed from every mapped group: refused and deactivated; a person never given access: refused, nothing created", async () => {
    expect(await ssoSignIn(t.db, { email: "lee.lead@example.com", name: "Lee", groups: ["marketing"] }, MAPPINGS, meta)).toEqual({ ok: false, reason: "no_groups" });
    expect(await t.db.user.findUniqueOrThrow({ where: { email: "lee.lead@example.com" } })).toMatchObject({ active: false });
    const users = await t.db.user.count();
    expect(await ssoSignIn(t.db, { email: "stranger@example.com", name: "S", groups: [] }, MAPPINGS, meta)).toEqual({ ok: false, reason: "no_groups" });
    expect(await t.db.user.count()).toBe(users);
    const refused = await t.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign_in", result: "failure", actorEmail: "stranger@example.com" } });
    expect(JSON.parse(refused.details)).toMatchObject({ method: "sso", reason: "no_groups" });
    // Back in a group: access again.
    expect(await ssoSignIn(t.db, { email: "lee.lead@example.com", name: "Lee", groups: ["payments-devs"] }, MAPPINGS, meta)).toMatchObject({ ok: true });
  });

  it("with local sign-in off, only break-glass accounts may use a password", async () => {
    const { hashPassword } = await import("./password");
    await t.db.user.create({ data: { email: "breakglass@example.com", name: "BG", role: "admin", passwordHash: await hashPassword("correct horse battery") } });
    await t.db.user.create({ data: { email: "local@example.com", name: "L", role: "admin", passwordHash: await hashPassword("correct horse battery") } });
    const policy = { maxFailures: 5, lockMinutes: 15, localOnlyFor: ["breakglass@example.com"] };
    expect(await verifySignIn(t.db, { email: "breakglass@example.com", password: "correct horse battery" }, meta, policy)).toMatchObject({ ok: true });
    expect(await verifySignIn(t.db, { email: "local@example.com", password: "correct horse battery" }, meta, policy)).toEqual({ ok: false, reason: "local_off" });
  });
});
