import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/auth/permissions";
import { listKeys } from "@/lib/keys/queries";
import { keyFilterSchema } from "@/lib/keys/schemas";
import type { KeyActor } from "@/lib/keys/types";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere } from "@/lib/usage/queries";
import type { Viewer } from "@/lib/usage/scope";
import { costCsvExport, COST_CSV_HEADER } from "./export";
import { costAsOf, costOverview, keyCosts30, keyMonthlyCost, modelFilterIds, personMonthlyCost, OTHER_COST_SERIES, subjectSums, utcMonth } from "./queries";
import { insertInvocations, markSynced } from "./test-rows";

// Tokens and cost as the pages read them, on rows stored the way the ingest stores them.
// Every day and month here is UTC (the rollups' day is the record's UTC day).

const NOW = new Date("2026-12-03T12:00:00Z");
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const MYSTERY = "acme.private-model-v1";
let t: Awaited<ReturnType<typeof createTestDb>>;
let db: PrismaClient;
const viewers: Record<string, Viewer> = {};
const keys: Record<string, string> = {};
const teams: Record<string, string> = {};

const at = (iso: string) => new Date(iso);
const actor = (name: string): KeyActor => ({ ...viewers[name]!, email: `${name}@example.com`, teamIds: viewers[name]!.ledTeamIds });

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  teams.A = (await db.team.create({ data: { name: "Payments" } })).id;
  teams.B = (await db.team.create({ data: { name: "Research" } })).id;
  const mk = async (name: string, role: Role, memberOf: { id: string; lead?: boolean }[]) => {
    const u = await db.user.create({ data: { email: `${name}@example.com`, name, role, passwordHash: "x" } });
    for (const m of memberOf) await db.teamMembership.create({ data: { userId: u.id, teamId: m.id, isLead: !!m.lead } });
    viewers[name] = { id: u.id, role, ledTeamIds: memberOf.filter((m) => m.lead).map((m) => m.id) };
    return u;
  };
  const devA = await mk("dev-a", "developer", [{ id: teams.A }]);
  const devB = await mk("dev-b", "developer", [{ id: teams.B }]);
  await mk("lead-a", "lead", [{ id: teams.A, lead: true }]);
  await mk("admin", "admin", []);
  for (const [name, teamId, ownerId] of [["a", teams.A, devA.id], ["b", teams.B, devB.id], ["c", teams.A, devA.id]] as const) {
    keys[name] = (await db.apiKey.create({ data: { name: `key-${name}`, iamUserName: `BedrockAPIKey-${name}`, credentialId: `ACCA${name}`, teamId, ownerId, managed: true, awsCreatedAt: at("2026-09-01T00:00:00Z") } })).id;
  }
  for (const [u, sid] of [[devA, "dev-a@example.com"], [devB, "dev-b@example.com"]] as const) {
    await db.shortTermIssuance.create({ data: { userId: u.id, sourceIdentity: sid, roleArn: "arn:aws:iam::123456789012:role/Signer", region: "us-east-1", accessKeyId: `ASIA${u.id.slice(-8)}`, issuedAt: NOW, expiresAt: NOW } });
  }
  await insertInvocations(db, [
    // Key a (team A): this month, across the month boundary in UTC, and last month.
    { subject: "key:BedrockAPIKey-a", timestamp: at("2026-12-01T00:00:00Z"), modelId: HAIKU, input: 1000, output: 200, cacheRead: 50, cacheWrite: 10, costUsd: 1.25 },
    { subject: "key:BedrockAPIKey-a", timestamp: at("2026-12-02T10:00:00Z"), modelId: HAIKU, input: 3000, output: 400, costUsd: 2.5 },
    { subject: "key:BedrockAPIKey-a", timestamp: at("2026-11-30T23:59:59Z"), modelId: HAIKU, input: 500, output: 100, costUsd: 0.75 },
    { subject: "key:BedrockAPIKey-a", timestamp: at("2026-11-05T08:00:00Z"), modelId: MYSTERY, input: 900, output: 90, costUsd: null },
    { subject: "key:BedrockAPIKey-a", timestamp: at("2026-10-31T23:00:00Z"), modelId: HAIKU, input: 1, output: 1, costUsd: 100 }, // two months ago: in neither month
    // Key b (team B): the most expensive key.
    { subject: "key:BedrockAPIKey-b", timestamp: at("2026-12-02T09:00:00Z"), modelId: NOVA, region: "us-west-2", input: 100000, output: 5000, costUsd: 7 },
    // Key c (team A): unpriced only.
    { subject: "key:BedrockAPIKey-c", timestamp: at("2026-12-01T09:00:00Z"), modelId: MYSTERY, input: 10, output: 10, costUsd: null },
    { subject: "key:BedrockAPIKey-c", timestamp: at("2026-12-01T10:00:00Z"), modelId: MYSTERY, input: 10, output: 10, costUsd: null },
    // People: dev-a (team A), dev-b (team B); a caller the console cannot attribute.
    { subject: "identity:dev-a@example.com", timestamp: at("2026-11-20T09:00:00Z"), modelId: HAIKU, input: 2000, output: 300, costUsd: 0.5 },
    { subject: "identity:dev-b@example.com", timestamp: at("2026-11-21T09:00:00Z"), modelId: NOVA, input: 100, output: 10, costUsd: 3 },
    { subject: "session:OtherRole/someone", timestamp: at("2026-11-22T09:00:00Z"), modelId: HAIKU, input: 5, output: 5, costUsd: 0.25 },
  ]);
});
afterAll(async () => t?.cleanup());

const overview = async (who: string, params: Record<string, string> = {}) => {
  const filters = parseUsageFilters({ range: "90", ...params }).filters;
  const where = await resolveWhere(db, viewers[who]!, filters, NOW);
  return costOverview(db, viewers[who]!, where);
};

describe("cost on /usage", () => {
  it("totals every priced call and counts the unpriced ones apart, never as $0", async () => {
    const o = await overview("admin");
    // 1.25 + 2.5 + 0.75 + 100 + 7 + 0.5 + 3 + 0.25 (the 100 is 33 days ago: within 90 days)
    expect(o.totals.costUsd).toBeCloseTo(115.25, 6);
    expect(o.totals.unpricedCalls).toBe(3);
    expect(o.totals.calls).toBe(11);
    expect(o.totals.tokens).toEqual({ input: 1000 + 3000 + 500 + 900 + 1 + 100000 + 20 + 2000 + 100 + 5, output: 200 + 400 + 100 + 90 + 1 + 5000 + 20 + 300 + 10 + 5, cacheRead: 50, cacheWrite: 10 });
    const mystery = o.models.find((m) => m.modelId === MYSTERY)!;
    expect(mystery).toMatchObject({ costUsd: 0, unpricedCalls: 3, calls: 3 });
    const c = o.topKeys.find((k) => k.label === "key-c")!;
    expect(c).toMatchObject({ costUsd: 0, unpricedCalls: 2 });
  });

  it("charts cost per UTC day by model, largest model first", async () => {
    const o = await overview("admin", { range: "7" });
    expect(o.series).toEqual([NOVA, HAIKU, MYSTERY]);
    const day = (d: string) => o.days.find((x) => x.day === d)!;
    expect(day("2026-12-02")).toMatchObject({ costUsd: 9.5, [NOVA]: 7, [HAIKU]: 2.5 });
    expect(day("2026-12-01")).toMatchObject({ costUsd: 1.25, unpricedCalls: 2, [MYSTERY]: 0 });
    expect(day("2026-11-30")).toMatchObject({ costUsd: 0.75 });
    expect(o.days).toHaveLength(7);
    expect(o.series).not.toContain(OTHER_COST_SERIES);
  });

  it("ranks keys, people and teams by cost", async () => {
    const o = await overview("admin");
    expect(o.topKeys.map((k) => k.label)).toEqual(["key-a", "key-b", "key-c"]);
    expect(o.topKeys[0]!.costUsd).toBeCloseTo(104.5, 6);
    expect(o.topPeople.map((p) => [p.label, p.kind])).toEqual([
      ["dev-b", "person"],
      ["dev-a", "person"],
      ["OtherRole/someone", "other"],
    ]);
    // Team A: keys a and c and dev-a's short-term usage; team B: key b and dev-b.
    expect(o.teams.map((x) => [x.name, x.costUsd, x.unpricedCalls])).toEqual([
      ["Payments", 105, 3],
      ["Research", 10, 0],
    ]);
  });

  it("a lead sees only their teams' cost", async () => {
    const o = await overview("lead-a");
    expect(o.totals.costUsd).toBeCloseTo(105, 6);
    expect(o.topKeys.map((k) => k.label).sort()).toEqual(["key-a", "key-c"]);
    expect(o.topPeople.map((p) => p.label)).toEqual(["dev-a"]);
    expect(o.teams.map((x) => x.name)).toEqual(["Payments"]);
    expect(o.models.map((m) => m.modelId)).not.toContain(NOVA);
    // Narrowed to another team's key, nothing.
    const other = await overview("lead-a", { who: "key:BedrockAPIKey-b" });
    expect(other.totals).toMatchObject({ calls: 0, costUsd: 0 });
  });

  it("a developer sees their own keys and usage, and no team table", async () => {
    const o = await overview("dev-b");
    expect(o.totals.costUsd).toBeCloseTo(10, 6);
    expect(o.teams).toEqual([]);
  });

  it("follows the page's filters: team, model (profile or base id), region", async () => {
    expect((await overview("admin", { team: teams.B! })).totals.costUsd).toBeCloseTo(10, 6);
    expect((await overview("admin", { model: `us.${NOVA}` })).totals.costUsd).toBeCloseTo(10, 6);
    expect((await overview("admin", { region: "us-west-2" })).totals.costUsd).toBeCloseTo(7, 6);
    expect((await overview("admin", { identity: "short-term" })).totals.costUsd).toBeCloseTo(3.5, 6);
    expect(modelFilterIds("global.anthropic.claude-x")).toEqual(["global.anthropic.claude-x", "anthropic.claude-x"]);
  });

  it("says when it was last synced: the oldest cursor, or never", async () => {
    expect((await costAsOf(db)).syncedThrough).toBeNull();
    await markSynced(db, at("2026-12-03T11:00:00Z"), "us-east-1");
    await markSynced(db, at("2026-12-03T11:30:00Z"), "us-west-2");
    expect((await costAsOf(db)).syncedThrough).toBe("2026-12-03T11:00:00.000Z");
    expect((await overview("admin")).asOf.syncedThrough).toBe("2026-12-03T11:00:00.000Z");
  });
});

describe("cost on the key page", () => {
  it("splits this month and last month at the UTC month boundary", async () => {
    const c = (await keyMonthlyCost(db, viewers.admin!, keys.a!, NOW))!;
    expect(c.thisMonth).toMatchObject({ month: "2026-12", costUsd: 3.75, calls: 2, unpricedCalls: 0, tokens: { input: 4000, output: 600, cacheRead: 50, cacheWrite: 10 } });
    expect(c.lastMonth).toMatchObject({ month: "2026-11", costUsd: 0.75, calls: 2, unpricedCalls: 1, tokens: { input: 1400, output: 190, cacheRead: 0, cacheWrite: 0 } });
  });

  it("months across a year boundary", () => {
    expect(utcMonth(at("2027-01-01T00:30:00Z"), -1)).toEqual({ month: "2026-12", fromDay: "2026-12-01", toDay: "2026-12-31" });
    expect(utcMonth(at("2028-03-31T23:59:59Z"), -1)).toEqual({ month: "2028-02", fromDay: "2028-02-01", toDay: "2028-02-29" });
  });

  it("nothing for a key outside the viewer's scope", async () => {
    expect(await keyMonthlyCost(db, viewers["lead-a"]!, keys.b!, NOW)).toBeNull();
    expect(await keyMonthlyCost(db, viewers["dev-b"]!, keys.a!, NOW)).toBeNull();
  });
});

describe("cost on the short-term keys page", () => {
  it("a person's short-term keys by UTC month, for whoever may see them", async () => {
    const c = (await personMonthlyCost(db, viewers["lead-a"]!, viewers["dev-a"]!.id, NOW))!;
    expect(c.lastMonth).toMatchObject({ month: "2026-11", costUsd: 0.5, calls: 1, tokens: { input: 2000, output: 300 } });
    expect(c.thisMonth).toMatchObject({ costUsd: 0, calls: 0 });
    expect(await personMonthlyCost(db, viewers["lead-a"]!, viewers["dev-b"]!.id, NOW)).toBeNull();
    expect((await personMonthlyCost(db, viewers["dev-b"]!, viewers["dev-b"]!.id, NOW))!.lastMonth.costUsd).toBe(3);
  });
});

describe("cost in the inventory", () => {
  it("sums 30 days per key in one grouped query", async () => {
    const all = await keyCosts30(db, null, NOW);
    expect(all.get("BedrockAPIKey-a")).toEqual({ costUsd: 4.5, unpricedCalls: 1, calls: 4 });
    expect(all.get("BedrockAPIKey-c")).toEqual({ costUsd: 0, unpricedCalls: 2, calls: 2 });
    expect([...(await keyCosts30(db, ["BedrockAPIKey-b"], NOW)).keys()]).toEqual(["BedrockAPIKey-b"]);
  });

  it("sorts the list by cost, in scope, each row carrying its cost", async () => {
    const filters = (dir: string) => keyFilterSchema.parse({ sort: "cost30d", dir });
    const desc = await listKeys(db, actor("admin"), filters("desc"), NOW);
    expect(desc.rows.map((r) => [r.name, r.cost30d?.costUsd])).toEqual([
      ["key-b", 7],
      ["key-a", 4.5],
      ["key-c", 0],
    ]);
    const asc = await listKeys(db, actor("admin"), filters("asc"), NOW);
    expect(asc.rows.map((r) => r.name)).toEqual(["key-c", "key-a", "key-b"]);
    const lead = await listKeys(db, actor("lead-a"), filters("desc"), NOW);
    expect(lead.rows.map((r) => r.name)).toEqual(["key-a", "key-c"]);
    // Sorted by something else, the rows still carry their cost.
    const byName = await listKeys(db, actor("admin"), keyFilterSchema.parse({ sort: "name", dir: "asc" }), NOW);
    expect(byName.rows.map((r) => r.cost30d?.unpricedCalls)).toEqual([1, 0, 2]);
  });
});

describe("per-subject sums over a day range: whole months ± edge days", () => {
  it("equal the day-by-day sums of CostDailySubject and a recount of the records, for any range, filter and today", async () => {
    const own = await createTestDb();
    try {
      // 400 calls over ~4 months, several subjects of each kind, some unpriced, costs with many decimals.
      const subjects = ["key:K1", "key:K2", "key:K3", "identity:p1@example.com", "session:Role/s"];
      const start = Date.parse("2026-08-20T00:00:00Z");
      const rows = Array.from({ length: 400 }, (_, i) => ({
        subject: subjects[(i * 7) % subjects.length]!,
        timestamp: new Date(start + ((i * 7919) % (110 * 86_400)) * 1000 + (i % 24) * 3_600_000),
        input: 100 + i,
        output: 10 + (i % 17),
        cacheRead: i % 3,
        costUsd: i % 11 === 0 ? null : (i * 0.0137) % 1.9,
      }));
      await insertInvocations(own.db, rows);
      const records = await own.db.invocationRecord.findMany();
      const ranges: [string, string][] = [
        ["2026-08-20", "2026-12-07"],
        ["2026-11-08", "2026-12-07"],
        ["2026-09-09", "2026-12-07"],
        ["2026-09-01", "2026-10-31"],
        ["2026-10-30", "2026-11-02"],
        ["2026-10-15", "2026-10-15"],
        ["2026-12-10", "2026-12-20"],
      ];
      for (const [fromDay, toDay] of ranges) {
        for (const today of [toDay, "2026-09-30", "2027-06-01"]) {
          for (const narrow of [{}, { identityType: "long-term" }, { subjects: ["key:K2", "identity:p1@example.com", "key:nobody"] }]) {
            const got = await subjectSums(own.db, { fromDay, toDay, today, ...narrow });
            const daily = await own.db.costDailySubject.groupBy({
              by: ["subject"],
              where: {
                day: { gte: fromDay, lte: toDay },
                ...("identityType" in narrow ? { identityType: narrow.identityType } : {}),
                ...("subjects" in narrow ? { subject: { in: narrow.subjects } } : {}),
              },
              _sum: { calls: true, costUsd: true, unpricedCalls: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true },
            });
            const expected = new Map(
              daily.map((g) => [
                g.subject,
                {
                  calls: g._sum.calls,
                  costUsd: Math.round(g._sum.costUsd! * 1e6) / 1e6,
                  unpricedCalls: g._sum.unpricedCalls,
                  tokens: { input: g._sum.inputTokens, output: g._sum.outputTokens, cacheRead: g._sum.cacheReadTokens, cacheWrite: g._sum.cacheWriteTokens },
                },
              ]),
            );
            const label = `${fromDay}..${toDay}, today ${today}, ${JSON.stringify(narrow)}`;
            expect(new Map([...got].map(([k, f]) => [k, { ...f, costUsd: Math.round(f.costUsd * 1e6) / 1e6 }])), label).toEqual(expected);
            // …and the calls equal a recount of the records themselves.
            for (const [subject, f] of got) {
              expect(f.calls, `${label} ${subject}`).toBe(records.filter((r) => r.subject === subject && r.day >= fromDay && r.day <= toDay).length);
            }
          }
        }
      }
    } finally {
      await own.cleanup();
    }
  });
});

describe("cost CSV", () => {
  it("one row per UTC day × key or person × model × region, in scope, unpriced left blank", async () => {
    const filters = parseUsageFilters({ range: "90" }).filters;
    const where = await resolveWhere(db, viewers["lead-a"]!, filters, NOW);
    const text = await new Response(costCsvExport(db, where, await costAsOf(db))).text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe(COST_CSV_HEADER.join(","));
    const rows = lines.slice(1).map((l) => l.split(","));
    const col = (name: (typeof COST_CSV_HEADER)[number]) => COST_CSV_HEADER.indexOf(name);
    // Lead A: key a (5 rows over 5 days), key c (1 rollup row), dev-a (1).
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r[col("day_utc")])).toEqual([...rows.map((r) => r[col("day_utc")]!)].sort());
    const mystery = rows.find((r) => r[col("model_id")] === MYSTERY && r[col("key_or_person")]!.startsWith("key-c"))!;
    expect(mystery[col("cost_usd")]).toBe("");
    expect(mystery[col("unpriced_calls")]).toBe("2");
    const dec1 = rows.find((r) => r[col("day_utc")] === "2026-12-01" && r[col("model_id")] === HAIKU)!;
    expect(dec1[col("input_tokens")]).toBe("1000");
    expect(dec1[col("cache_read_tokens")]).toBe("50");
    expect(dec1[col("cost_usd")]).toBe("1.250000");
    expect(dec1[col("team")]).toBe("Payments");
    expect(rows.every((r) => r[col("costs_as_of_utc")] === "2026-12-03T11:00:00.000Z")).toBe(true);
    expect(text).not.toContain("key-b");
  });
});
