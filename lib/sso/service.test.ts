import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { hashPassword } from "@/lib/auth/password";
import { verifySignIn } from "@/lib/auth/sign-in";
import type { GroupGrant } from "./mapping";
import { loadGrants, saveMapping, ssoSignIn } from "./service";

const meta = { ip: "198.51.100.9", userAgent: "vitest" };
const issuer = "https://idp.example.test";
let t: Awaited<ReturnType<typeof createTestDb>>;
let pay: string;
let search: string;
let grants: GroupGrant[];

beforeEach(async () => {
  t = await createTestDb();
  pay = (await t.db.team.create({ data: { name: "Payments" } })).id;
  search = (await t.db.team.create({ data: { name: "Search" } })).id;
  grants = [
    { group: "admins", role: "admin", teamIds: [], ledTeamIds: [] },
    { group: "pay-leads", role: "lead", teamIds: [pay], ledTeamIds: [pay] },
    { group: "search-devs", role: "developer", teamIds: [search], ledTeamIds: [] },
  ];
});
afterEach(() => t.cleanup());

const who = (groups: string[], sub = "sub-1", email = "Pat@Example.test") => ({ issuer, sub, email, name: "Pat", groups });
const memberships = async (userId: string) =>
  (await t.db.teamMembership.findMany({ where: { userId }, orderBy: { teamId: "asc" } })).map((m) => ({ teamId: m.teamId, isLead: m.isLead }));
const audits = () => t.db.auditEntry.findMany({ where: { action: "auth.sso_sign_in" }, orderBy: { id: "asc" } });

describe("ssoSignIn", () => {
  it("creates the person on first sign-in with the mapped role and teams, without a password", async () => {
    const out = await ssoSignIn(t.db, who(["pay-leads", "search-devs", "other"]), grants, meta);
    expect(out).toMatchObject({ ok: true, created: true, user: { email: "pat@example.test" } });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "pat@example.test" } });
    expect(user).toMatchObject({ role: "lead", passwordHash: "", ssoSubject: `${issuer}|sub-1`, active: true });
    expect(await memberships(user.id)).toEqual([{ teamId: pay, isLead: true }, { teamId: search, isLead: false }].sort((a, b) => a.teamId.localeCompare(b.teamId)));
    const [entry] = await audits();
    expect(entry).toMatchObject({ result: "success", actorEmail: "pat@example.test" });
    expect(JSON.parse(entry!.details)).toMatchObject({ created: true, role: "lead", groups: ["pay-leads", "search-devs"] });
    // No password works for an SSO-created account.
    const local = await verifySignIn(t.db, { email: "pat@example.test", password: "anything-at-all" }, meta, { maxFailures: 5, lockMinutes: 5 });
    expect(local).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("follows group changes: role and teams change, and a role change bumps the session version", async () => {
    await ssoSignIn(t.db, who(["pay-leads"]), grants, meta);
    const before = await t.db.user.findUniqueOrThrow({ where: { email: "pat@example.test" } });
    const out = await ssoSignIn(t.db, who(["search-devs"]), grants, meta);
    expect(out.ok).toBe(true);
    const after = await t.db.user.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.role).toBe("developer");
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await memberships(after.id)).toEqual([{ teamId: search, isLead: false }]);
    expect(JSON.parse((await audits())[1]!.details).role).toEqual({ from: "lead", to: "developer" });
    // Same groups again: no bump.
    await ssoSignIn(t.db, who(["search-devs"]), grants, meta);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: before.id } })).sessionVersion).toBe(after.sessionVersion);
  });

  it("refuses a newcomer without a mapped group, creating nobody", async () => {
    expect(await ssoSignIn(t.db, who(["marketing"]), grants, meta)).toEqual({ ok: false, reason: "no_group" });
    expect(await t.db.user.count()).toBe(0);
    expect(JSON.parse((await audits())[0]!.details)).toEqual({ reason: "no_group", groups: ["marketing"] });
  });

  it("deactivates an existing person who lost every mapped group, ends their sessions, and keeps refusing", async () => {
    const first = await ssoSignIn(t.db, who(["admins"]), grants, meta);
    if (!first.ok) throw new Error("first sign-in failed");
    await t.db.userSession.create({ data: { id: "s1", userId: first.user.id, createdAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) } });
    // An open request of theirs (issue 16): cancelled with the deactivation, so nobody approves it later.
    const open = await t.db.keyRequest.create({ data: { requesterId: first.user.id, teamId: pay, kind: "long-term", keyName: "Pat's key", purpose: "x", requestedDuration: 30 } });
    expect(await ssoSignIn(t.db, who([]), grants, meta)).toEqual({ ok: false, reason: "removed" });
    expect((await t.db.keyRequest.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("cancelled");
    const user = await t.db.user.findUniqueOrThrow({ where: { id: first.user.id } });
    expect(user.active).toBe(false);
    expect(user.sessionVersion).toBe(first.user.sessionVersion + 1);
    expect((await t.db.userSession.findUniqueOrThrow({ where: { id: "s1" } })).revokedAt).not.toBeNull();
    // Groups back: still refused until an administrator reactivates the account.
    expect(await ssoSignIn(t.db, who(["admins"]), grants, meta)).toEqual({ ok: false, reason: "inactive" });
  });

  it("links an existing local account by email and keeps finding it by subject after an email change", async () => {
    const local = await t.db.user.create({ data: { email: "pat@example.test", name: "Pat", role: "developer", passwordHash: await hashPassword("local password 1") } });
    await ssoSignIn(t.db, who(["admins"]), grants, meta);
    const out = await ssoSignIn(t.db, who(["admins"], "sub-1", "pat.new@example.test"), grants, meta);
    expect(out).toMatchObject({ ok: true, created: false, user: { id: local.id } });
    expect(await t.db.user.count()).toBe(1);
  });

  it("refuses an identity without an email when nobody has its subject", async () => {
    expect(await ssoSignIn(t.db, { issuer, sub: "x", email: null, name: null, groups: ["admins"] }, grants, meta)).toEqual({ ok: false, reason: "no_email" });
  });
});

describe("mappings", () => {
  const sink = () => {
    const out: { target?: unknown; details: Record<string, unknown> } = { details: {} };
    return { out, target: (x: unknown) => (out.target = x), detail: (d: Record<string, unknown>) => Object.assign(out.details, d) };
  };

  it("saves and edits with before/after by team name, and loadGrants reads them back", async () => {
    const s1 = sink();
    const { id } = await saveMapping(t.db, { group: "pay-leads", role: "lead", teamIds: [], ledTeamIds: [pay] }, false, s1);
    expect(s1.out.details).toEqual({ before: null, after: { group: "pay-leads", role: "lead", teams: ["Payments"], leads: ["Payments"] } });
    const s2 = sink();
    await saveMapping(t.db, { id, group: "pay-leads", role: "developer", teamIds: [search], ledTeamIds: [] }, false, s2);
    expect(s2.out.details).toEqual({
      before: { group: "pay-leads", role: "lead", teams: ["Payments"], leads: ["Payments"] },
      after: { group: "pay-leads", role: "developer", teams: ["Search"], leads: [] },
    });
    expect((await loadGrants(t.db, undefined)).grants).toEqual([{ group: "pay-leads", role: "developer", teamIds: [search], ledTeamIds: [] }]);
  });

  it("refuses a duplicate group, an unknown team, and any edit when mappings are configured", async () => {
    await saveMapping(t.db, { group: "g", role: "lead", teamIds: [], ledTeamIds: [] }, false, sink());
    await expect(saveMapping(t.db, { group: "g", role: "admin", teamIds: [], ledTeamIds: [] }, false, sink())).rejects.toMatchObject({ code: "ssoGroupTaken" });
    await expect(saveMapping(t.db, { group: "h", role: "admin", teamIds: ["nope"], ledTeamIds: [] }, false, sink())).rejects.toMatchObject({ code: "invalidInput" });
    await expect(saveMapping(t.db, { group: "h", role: "admin", teamIds: [], ledTeamIds: [] }, true, sink())).rejects.toMatchObject({ code: "ssoMappingsConfigured" });
    expect(await t.db.idpGroupMapping.count()).toBe(1);
  });

  it("uses configured mappings instead of the table when OIDC_GROUP_MAPPINGS is set", async () => {
    await saveMapping(t.db, { group: "db-group", role: "admin", teamIds: [], ledTeamIds: [] }, false, sink());
    const out = await loadGrants(t.db, [{ group: "cfg", role: "lead", teams: ["Search"], leads: [] }]);
    expect(out).toEqual({ source: "config", unknownTeams: [], grants: [{ group: "cfg", role: "lead", teamIds: [search], ledTeamIds: [] }] });
  });
});
