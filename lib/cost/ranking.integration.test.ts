import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere } from "@/lib/usage/queries";
import type { Viewer } from "@/lib/usage/scope";
import { costOverview, TOP_COST } from "./queries";
import { insertInvocations, type TestInvocation } from "./test-rows";

// "Top keys", "top people" and the teams' cost are cut and summed in the database (costRanking):
// with more keys and people than the lists show, ties at the tenth place, and a person in two
// teams, the lists equal a recount of the stored calls made here in the test.

const NOW = new Date("2026-12-03T12:00:00Z");
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
let t: Awaited<ReturnType<typeof createTestDb>>;
let db: PrismaClient;
const viewers: Record<string, Viewer> = {};
const teams: Record<string, string> = {};
const calls: TestInvocation[] = [];
/** subject → team names, as the console groups them (a key's team; each team its person is in). */
const teamsOf = new Map<string, string[]>();

// Fourteen keys; the tenth largest cost (1.0) is shared by three keys, told apart by their calls
// and then their names. Two keys cost nothing (their calls are unpriced).
const KEY_COSTS = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1, 0.5, null, null] as const;
// Thirteen people, ties at the tenth place too.
const PEOPLE_COSTS = [5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 0.75, 0.75, 0.75, 0.1, 0.05] as const;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  for (const name of ["Alpha", "Beta"]) teams[name] = (await db.team.create({ data: { name } })).id;
  const admin = await db.user.create({ data: { email: "admin@example.com", name: "admin", role: "admin", passwordHash: "x" } });
  const lead = await db.user.create({ data: { email: "lead@example.com", name: "lead", role: "lead", passwordHash: "x" } });
  await db.teamMembership.create({ data: { userId: lead.id, teamId: teams.Beta!, isLead: true } });
  viewers.admin = { id: admin.id, role: "admin", ledTeamIds: [] };
  viewers.lead = { id: lead.id, role: "lead", ledTeamIds: [teams.Beta!] };

  for (const [i, cost] of KEY_COSTS.entries()) {
    const name = `k${String(i).padStart(2, "0")}`;
    const team = i % 2 === 0 ? "Alpha" : "Beta";
    await db.apiKey.create({
      data: { name: `key-${name}`, iamUserName: `BedrockAPIKey-${name}`, credentialId: `ACCA${name}`, teamId: teams[team]!, managed: true, awsCreatedAt: NOW },
    });
    const subject = `key:BedrockAPIKey-${name}`;
    teamsOf.set(subject, [team]);
    // The tied keys differ in calls: k10 makes the most, k08 and k09 one each (then by name).
    const n = i === 10 ? 3 : 1;
    for (let c = 0; c < n; c++) calls.push({ subject, timestamp: new Date(NOW.getTime() - (i + c) * 3_600_000), modelId: i % 3 ? HAIKU : NOVA, input: 100, output: 10, costUsd: cost === null ? null : cost / n });
  }
  for (const [i, cost] of PEOPLE_COSTS.entries()) {
    const name = `p${String(i).padStart(2, "0")}`;
    const u = await db.user.create({ data: { email: `${name}@example.com`, name, role: "developer", passwordHash: "x" } });
    // p00 is in both teams; the others alternate.
    const memberOf = i === 0 ? ["Alpha", "Beta"] : [i % 2 === 0 ? "Alpha" : "Beta"];
    for (const team of memberOf) await db.teamMembership.create({ data: { userId: u.id, teamId: teams[team]! } });
    await db.shortTermIssuance.create({
      data: { userId: u.id, sourceIdentity: `${name}@example.com`, roleArn: "arn:aws:iam::123456789012:role/Signer", region: "us-east-1", accessKeyId: `ASIA${name}`, issuedAt: NOW, expiresAt: NOW },
    });
    const subject = `identity:${name}@example.com`;
    teamsOf.set(subject, memberOf);
    calls.push({ subject, timestamp: new Date(NOW.getTime() - i * 3_600_000), modelId: HAIKU, region: i % 2 ? "us-west-2" : "us-east-1", input: 50, output: 5, costUsd: cost });
  }
  // A caller no key or person of the console: among the people, in no team.
  calls.push({ subject: "session:OtherRole/someone", timestamp: NOW, modelId: HAIKU, input: 1, output: 1, costUsd: 0.75 });
  await insertInvocations(db, calls);
});
afterAll(async () => t?.cleanup());

const overview = async (who: string, params: Record<string, string> = {}) => {
  const filters = parseUsageFilters({ range: "30", ...params }).filters;
  return costOverview(db, viewers[who]!, await resolveWhere(db, viewers[who]!, filters, NOW));
};

/** The expected lists, recounted from the calls inserted above. */
function recount(keep: (c: TestInvocation) => boolean, inScope: (subject: string) => boolean) {
  const sums = new Map<string, { cost: number; calls: number; unpriced: number }>();
  for (const c of calls.filter(keep)) {
    if (!inScope(c.subject)) continue;
    const s = sums.get(c.subject) ?? sums.set(c.subject, { cost: 0, calls: 0, unpriced: 0 }).get(c.subject)!;
    s.cost += c.costUsd ?? 0;
    s.calls += 1;
    if (c.costUsd === null) s.unpriced += 1;
  }
  const ranked = [...sums.entries()].sort(([a, x], [b, y]) => Math.round(y.cost * 1e6) - Math.round(x.cost * 1e6) || y.calls - x.calls || (a < b ? -1 : 1));
  const teamTotals = new Map<string, number>();
  for (const [subject, s] of sums) for (const team of teamsOf.get(subject) ?? []) teamTotals.set(team, (teamTotals.get(team) ?? 0) + s.cost);
  return {
    keys: ranked.filter(([s]) => s.startsWith("key:")).slice(0, TOP_COST).map(([s]) => s),
    people: ranked.filter(([s]) => !s.startsWith("key:")).slice(0, TOP_COST).map(([s]) => s),
    teams: [...teamTotals.entries()].filter(([, cost]) => cost > 0).sort((a, b) => b[1] - a[1]).map(([team, cost]) => [team, Math.round(cost * 1e6) / 1e6]),
  };
}

const subjectOf = (r: { subject: string }) => r.subject;

describe("cost ranking cut in the database", () => {
  it("keeps the ten largest keys and people, ties at the cut ordered by calls then name, as a recount", async () => {
    const o = await overview("admin");
    const want = recount(() => true, () => true);
    expect(o.topKeys.map(subjectOf)).toEqual(want.keys);
    expect(o.topPeople.map(subjectOf)).toEqual(want.people);
    // The tie at 1.0: k10 (three calls) first, then k08 before k09; k11 (0.5) is out.
    expect(o.topKeys.slice(8).map((k) => k.label)).toEqual(["key-k10", "key-k08"]);
    expect(o.topKeys).toHaveLength(TOP_COST);
    expect(o.topPeople).toHaveLength(TOP_COST);
  });

  it("sums each team's keys and members, a person in two teams in both", async () => {
    const o = await overview("admin");
    const want = recount(() => true, () => true);
    expect(o.teams.map((x) => [x.name, x.costUsd])).toEqual(want.teams);
    const alpha = o.teams.find((x) => x.name === "Alpha")!;
    const beta = o.teams.find((x) => x.name === "Beta")!;
    // p00 (5.0) counts in both; the unattributed caller in neither.
    expect(alpha.costUsd + beta.costUsd).toBeCloseTo(KEY_COSTS.reduce<number>((n, c) => n + (c ?? 0), 0) + PEOPLE_COSTS.reduce((n, c) => n + c, 0) + 5, 6);
    expect(alpha.unpricedCalls + beta.unpricedCalls).toBe(2);
  });

  it("a lead's lists and team hold only their team's keys and members", async () => {
    const o = await overview("lead");
    const inBeta = (subject: string) => (teamsOf.get(subject) ?? []).includes("Beta");
    const want = recount(() => true, inBeta);
    expect(o.topKeys.map(subjectOf)).toEqual(want.keys);
    expect(o.topPeople.map(subjectOf)).toEqual(want.people);
    expect(o.teams.map((x) => [x.name, x.costUsd])).toEqual(want.teams.filter(([name]) => name === "Beta"));
  });

  it("under a model filter the lists and teams come from the per-model rollup, still as a recount", async () => {
    const o = await overview("admin", { model: HAIKU });
    const want = recount((c) => c.modelId === HAIKU, () => true);
    expect(o.topKeys.map(subjectOf)).toEqual(want.keys);
    expect(o.topPeople.map(subjectOf)).toEqual(want.people);
    expect(o.teams.map((x) => [x.name, x.costUsd])).toEqual(want.teams);
  });
});
