import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { usageRow } from "@/lib/testing/usage-rows";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/auth/permissions";
import { findAnomalies, anomalyKeyWhere } from "./anomalies";
import { loadUsageDashboard } from "./dashboard";
import { usageCsvExport } from "./export";
import { parseUsageFilters, type UsageFilters } from "./filters";
import { commitPage, type IngestRow } from "./ingest";
import { keyUsage } from "./key-usage";
import { type NormalizedEvent, utcDay } from "./normalize";
import { eventWhere, getEvent, resolveWhere, usageOverview } from "./queries";
import { recountRollups, storedRollups } from "./rollups";
import type { Viewer } from "./scope";
import { searchSubjects } from "./subject-search";

// Scope of every usage read, per role, against a database filled through the sync's own commit
// path: admin everything; lead their teams' keys and members' short-term usage; developer their own.

const DAY = 86_400_000;
const NOW = new Date("2026-11-20T12:00:00Z");
let t: Awaited<ReturnType<typeof createTestDb>>;
let db: PrismaClient;
const viewers: Record<string, Viewer> = {};
const keys: Record<string, string> = {};
let seq = 0;

function ev(subject: string, daysAgo: number, extra: Partial<NormalizedEvent> = {}): IngestRow {
  return usageRow(`ev-${++seq}`, subject, new Date(NOW.getTime() - daysAgo * DAY), extra);
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  const teamA = await db.team.create({ data: { name: "Payments" } });
  const teamB = await db.team.create({ data: { name: "Research" } });
  const mk = async (key: string, role: Role, teams: { id: string; lead?: boolean }[]) => {
    const u = await db.user.create({ data: { email: `${key}@example.com`, name: key, role, passwordHash: "x" } });
    for (const team of teams) await db.teamMembership.create({ data: { userId: u.id, teamId: team.id, isLead: !!team.lead } });
    viewers[key] = { id: u.id, role, ledTeamIds: teams.filter((x) => x.lead).map((x) => x.id) };
    return u;
  };
  const devA = await mk("dev-a", "developer", [{ id: teamA.id }]);
  await mk("dev-a2", "developer", [{ id: teamA.id }]);
  const devB = await mk("dev-b", "developer", [{ id: teamB.id }]);
  await mk("lead-a", "lead", [{ id: teamA.id, lead: true }]);
  await mk("admin", "admin", []);
  const key = async (name: string, teamId: string | null, ownerId: string | null, extra: Record<string, unknown> = {}) => {
    const k = await db.apiKey.create({ data: { name, iamUserName: `BedrockAPIKey-${name}`, credentialId: `ACCA${name}`, teamId, ownerId, managed: teamId !== null, awsCreatedAt: new Date(NOW.getTime() - 60 * DAY), ...extra } });
    keys[name] = k.id;
  };
  await key("a", teamA.id, devA.id);
  await key("a2", teamA.id, viewers["dev-a2"]!.id);
  await key("b", teamB.id, devB.id, { status: "Inactive" });
  await key("u", null, null);
  for (const [u, sid] of [[devA, "dev-a@example.com"], [devB, "dev-b@example.com"]] as const) {
    await db.shortTermIssuance.create({ data: { userId: u.id, sourceIdentity: sid, roleArn: "arn:aws:iam::123456789012:role/Signer", region: "us-east-1", accessKeyId: `ASIA${sid.length}${u.id.slice(-6)}`, issuedAt: NOW, expiresAt: NOW } });
  }
  await db.usageSyncCursor.create({ data: { region: "us-east-1", syncedThrough: NOW } });

  const rows: IngestRow[] = [
    ...Array.from({ length: 5 }, (_, i) => ev("key:BedrockAPIKey-a", 20 - i)),
    ev("key:BedrockAPIKey-a", 2, { sourceIp: "203.0.113.99" }), // a new address, two days ago
    ev("key:BedrockAPIKey-a2", 40), // last used 40 days ago: unused for 30
    ...Array.from({ length: 3 }, (_, i) => ev("key:BedrockAPIKey-b", 3 + i, { modelId: "amazon.nova-lite-v1:0", region: "us-west-2" })),
    ev("key:BedrockAPIKey-b", 1, { result: "error", errorCode: "AccessDeniedException", errorMessage: "Authentication failed: Please make sure your API Key is valid.", keyRefused: true, inferenceRegion: "" }),
    ev("key:BedrockAPIKey-u", 4),
    ev("identity:dev-a@example.com", 5),
    ev("identity:dev-a@example.com", 6, { result: "error", errorCode: "ValidationException", errorMessage: "The provided model identifier is invalid." }),
    ev("identity:dev-b@example.com", 7),
    ev("session:OtherRole/someone", 8),
  ];
  // Through the sync's commit path, in two pages; the second page repeats one event of the first.
  const resolvedRows = rows.map((r) => ({ ...r, resolution: resolutionFor(r.event.subject) }));
  await commitPage(db, "us-east-1", resolvedRows.slice(0, 8), null);
  await commitPage(db, "us-east-1", resolvedRows.slice(7), null);
});
afterAll(async () => t?.cleanup());

function resolutionFor(subject: string) {
  const keyName = /^key:BedrockAPIKey-(.+)$/.exec(subject)?.[1];
  if (keyName) return { apiKeyId: keys[keyName]!, userId: null };
  if (subject === "identity:dev-a@example.com") return { apiKeyId: null, userId: viewers["dev-a"]!.id };
  if (subject === "identity:dev-b@example.com") return { apiKeyId: null, userId: viewers["dev-b"]!.id };
  return { apiKeyId: null, userId: null };
}

const filters = (params: Record<string, string> = {}): UsageFilters => parseUsageFilters({ range: "90", ...params }).filters;
const dashboard = (who: string, params: Record<string, string> = {}) => loadUsageDashboard(db, viewers[who]!, filters(params), NOW, ["us-east-1", "us-west-2"]);

describe("top keys and people over a range (whole months ± edge days)", () => {
  it("count exactly the calls and errors of the range, per role, across a month boundary", async () => {
    const ranges = [
      { range: "7" },
      { range: "30" },
      { range: "90" },
      { range: "custom", from: "2026-10-10", to: "2026-11-02" },
      { range: "custom", from: "2026-10-31", to: "2026-11-01" },
      // October from its month row minus Oct 1–14, which hold a call (40 days before NOW)
      { range: "custom", from: "2026-10-15", to: "2026-11-19" },
    ];
    for (const r of ranges) {
      for (const who of ["admin", "lead-a", "dev-a"]) {
        for (const extra of [{}, { result: "error" }, { identity: "short-term" }]) {
          const where = await resolveWhere(db, viewers[who]!, parseUsageFilters({ ...r, ...extra }).filters, NOW);
          const top = (await usageOverview(db, where)).top.map((s) => [s.subject, s.calls, s.errors]).sort();
          const events = await db.usageEvent.groupBy({ by: ["subject", "result"], where: eventWhere(where), _count: { _all: true } });
          const expected = new Map<string, [string, number, number]>();
          for (const e of events) {
            const row = expected.get(e.subject) ?? expected.set(e.subject, [e.subject, 0, 0]).get(e.subject)!;
            row[1] += e._count._all;
            if (e.result === "error") row[2] += e._count._all;
          }
          expect(top, `${JSON.stringify(r)} ${who} ${JSON.stringify(extra)}`).toEqual([...expected.values()].sort());
        }
      }
    }
  });
});

describe("the filter's key-or-person search (/usage/subjects): only the viewer's scope, a few at a time", () => {
  const search = async (who: string, q: string, limit?: number) => (await searchSubjects(db, viewers[who]!, q, limit)).map((s) => s.subject);

  it("an empty search lists the most recently seen subjects in scope; a lead never gets another team's key or person", async () => {
    // Last seen: b 1 day ago, a 2, u 4, dev-a 5, dev-b 7, the unattributed session 8, a2 40.
    expect(await search("admin", "")).toEqual([
      "key:BedrockAPIKey-b",
      "key:BedrockAPIKey-a",
      "key:BedrockAPIKey-u",
      "identity:dev-a@example.com",
      "identity:dev-b@example.com",
      "session:OtherRole/someone",
      "key:BedrockAPIKey-a2",
    ]);
    expect(await search("admin", "", 2)).toEqual(["key:BedrockAPIKey-b", "key:BedrockAPIKey-a"]);
    expect(await search("lead-a", "")).toEqual(["key:BedrockAPIKey-a", "identity:dev-a@example.com", "key:BedrockAPIKey-a2"]);
    expect(await search("dev-a", "")).toEqual(["key:BedrockAPIKey-a", "identity:dev-a@example.com"]);
    expect(await search("dev-b", "")).toEqual(["key:BedrockAPIKey-b", "identity:dev-b@example.com"]);
  });

  it("matches the key's name or IAM user, the person's name or email, the raw principal — ignoring case, within scope", async () => {
    expect(await search("admin", "a2")).toEqual(["key:BedrockAPIKey-a2"]);
    expect(await search("admin", "bedrockapikey-B")).toEqual(["key:BedrockAPIKey-b"]);
    expect(await search("admin", "DEV-B@EXAMPLE")).toEqual(["identity:dev-b@example.com"]);
    expect(await search("admin", "otherrole")).toEqual(["session:OtherRole/someone"]);
    // Renamed key: found by its name in the console, not only by its IAM user.
    await db.apiKey.update({ where: { id: keys.a2! }, data: { name: "Nightly Reports" } });
    try {
      expect(await search("admin", "nightly")).toEqual(["key:BedrockAPIKey-a2"]);
      expect(await search("lead-a", "NIGHTLY")).toEqual(["key:BedrockAPIKey-a2"]);
      const [a2] = await searchSubjects(db, viewers["admin"]!, "nightly");
      expect(a2).toMatchObject({ kind: "key", label: "Nightly Reports", detail: "BedrockAPIKey-a2" });
    } finally {
      await db.apiKey.update({ where: { id: keys.a2! }, data: { name: "a2" } });
    }
    // Outside the lead's and the developer's scope: nothing, whatever is typed.
    for (const q of ["BedrockAPIKey-b", "apikey-B", "dev-b", "dev-b@example.com", "BedrockAPIKey-u", "otherrole"]) {
      expect(await search("lead-a", q), q).toEqual([]);
      expect(await search("dev-a", q), q).toEqual([]);
    }
    expect(await search("dev-a", "a2")).toEqual([]);
  });

  it("the page names the subject it is filtered on only when the viewer may see it", async () => {
    expect((await dashboard("admin", { who: "key:BedrockAPIKey-b" })).options.selected).toMatchObject({ subject: "key:BedrockAPIKey-b", label: "b", kind: "key" });
    expect((await dashboard("lead-a", { who: "key:BedrockAPIKey-a" })).options.selected).toMatchObject({ label: "a" });
    expect((await dashboard("lead-a", { who: "key:BedrockAPIKey-b" })).options.selected).toBeNull();
    expect((await dashboard("lead-a")).options.selected).toBeNull();
  });
});

describe("usage scope", () => {
  it("stores each event once and keeps rollups equal to a recount", async () => {
    expect(await db.usageEvent.count()).toBe(16);
    expect(await storedRollups(db)).toEqual(await recountRollups(db));
    const a = await db.apiKey.findUniqueOrThrow({ where: { id: keys.a! } });
    expect(a.lastUsedAt?.toISOString()).toBe(new Date(NOW.getTime() - 2 * DAY).toISOString());
  });

  it("admins see everything, including calls nobody could be matched to", async () => {
    const d = await dashboard("admin");
    expect(d.overview.totals).toMatchObject({ calls: 16, errors: 2, subjects: 7 });
    expect(d.overview.top.map((s) => s.label)).toContain("OtherRole/someone");
    expect(d.events.total).toBe(16);
  });

  it("a lead sees their teams' keys and their members' short-term usage, nothing else", async () => {
    const d = await dashboard("lead-a");
    expect(d.overview.totals).toMatchObject({ calls: 9, subjects: 3 });
    expect(new Set(d.overview.top.map((s) => s.label))).toEqual(new Set(["a", "a2", "dev-a"]));
    expect(d.events.rows.every((r) => ["a", "a2", "dev-a"].includes(r.who.label))).toBe(true);
    expect(d.options.teams.map((x) => x.name)).toEqual(["Payments"]);
    // Another team, or one of its keys, by URL: empty, not an error.
    const teamB = (await db.team.findUniqueOrThrow({ where: { name: "Research" } })).id;
    expect((await dashboard("lead-a", { team: teamB })).overview.totals.calls).toBe(0);
    expect((await dashboard("lead-a", { who: "key:BedrockAPIKey-b" })).events.rows).toEqual([]);
  });

  it("a developer sees their own key and their own short-term usage", async () => {
    const d = await dashboard("dev-a");
    expect(d.overview.totals).toMatchObject({ calls: 8, errors: 1 });
    expect(new Set(d.overview.top.map((s) => s.label))).toEqual(new Set(["a", "dev-a"]));
    expect(d.options.teams).toEqual([]);
    const b = await dashboard("dev-b");
    expect(b.overview.totals.calls).toBe(5);
  });

  it("filters narrow the charts: model, region, identity type, result", async () => {
    expect((await dashboard("admin", { model: "amazon.nova-lite-v1:0" })).overview.totals.calls).toBe(3);
    expect((await dashboard("admin", { region: "us-west-2" })).overview.regions).toEqual([{ region: "us-west-2", calls: 3, errors: 0 }]);
    expect((await dashboard("admin", { identity: "short-term" })).overview.totals.calls).toBe(4);
    expect((await dashboard("admin", { result: "error" })).overview.totals).toMatchObject({ calls: 2, errors: 2 });
    expect((await dashboard("admin", { range: "7" })).overview.totals.calls).toBe(8);
  });

  it("the drill-down is 'not found' outside the viewer's scope", async () => {
    const bEvent = await db.usageEvent.findFirstOrThrow({ where: { subject: "key:BedrockAPIKey-b" } });
    expect(await getEvent(db, viewers["dev-a"]!, bEvent.id)).toBeNull();
    expect(await getEvent(db, viewers["lead-a"]!, bEvent.id)).toBeNull();
    const own = await getEvent(db, viewers["dev-b"]!, bEvent.id);
    expect(own).toMatchObject({ eventId: bEvent.eventId, who: { kind: "key", label: "b", team: "Research" } });
    expect(own?.raw).toContain("bedrock.amazonaws.com");
  });

  it("the CSV export carries the same scope", async () => {
    const where = eventWhere(await resolveWhere(db, viewers["lead-a"]!, filters(), NOW));
    const text = await new Response(usageCsvExport(db, where, { batchSize: 3 })).text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^event_time_utc,event_id,region/);
    expect(lines).toHaveLength(10);
    expect(lines.slice(1).every((l) => /,(a|a2|dev-a) \(/.test(l))).toBe(true);
    // Newest first, each event once.
    const ids = lines.slice(1).map((l) => l.split(",")[1]);
    expect(new Set(ids).size).toBe(9);
  });

  it("the CSV export pages through calls that share one time, each once (keyset on eventTime and eventId)", async () => {
    const at = new Date(NOW.getTime() - 2 * DAY);
    // Rows alone (no rollups), so the other tests' counts stay as they are.
    const tied = ["tie-c", "tie-a", "tie-e", "tie-b", "tie-d"].map((eventId) => ({
      eventId,
      eventTime: at,
      day: utcDay(at),
      region: "us-east-1",
      eventName: "Converse",
      identityType: "long-term",
      subject: "key:BedrockAPIKey-tie",
      result: "success",
    }));
    expect((await db.usageEvent.createMany({ data: tied })).count).toBe(5);
    const text = await new Response(usageCsvExport(db, { subject: "key:BedrockAPIKey-tie" }, { batchSize: 2 })).text();
    const ids = text.replace(/^\uFEFF/, "").trim().split("\r\n").slice(1).map((l) => l.split(",")[1]);
    expect(ids).toEqual(["tie-e", "tie-d", "tie-c", "tie-b", "tie-a"]);
    await db.usageEvent.deleteMany({ where: { subject: "key:BedrockAPIKey-tie" } });
  });

  it("the CSV export quotes ;-separated cells and neutralises formulas (CSV injection in ; locales)", async () => {
    const hostile = await db.usageEvent.create({
      data: {
        eventId: "ev-csv-injection",
        eventTime: NOW,
        day: utcDay(NOW),
        region: "us-east-1",
        eventName: "Converse",
        identityType: "long-term",
        subject: "key:BedrockAPIKey-csv",
        userAgent: "x;=cmd|' /C calc'!A0",
        errorMessage: "=HYPERLINK(\"http://evil.test\")",
        result: "error",
      },
    });
    try {
      const text = await new Response(usageCsvExport(db, { id: hostile.id })).text();
      expect(text).toContain(`,"x;=cmd|' /C calc'!A0",`);
      expect(text).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    } finally {
      await db.usageEvent.delete({ where: { id: hostile.id } });
    }
  });

  it("anomalies: a new source IP, calls refused after disabling, keys unused for 30 days — each within scope", async () => {
    const admin = await findAnomalies(db, null, anomalyKeyWhere(viewers.admin!, {}), NOW);
    expect(admin.newSourceIps.map((x) => [x.who.label, x.sourceIp])).toEqual([["a", "203.0.113.99"]]);
    expect(admin.refusedKeys.map((x) => [x.who.label, x.calls])).toEqual([["b", 1]]);
    expect(admin.unusedKeys?.map((k) => k.name)).toEqual(["a2"]);
    const leadA = await dashboard("lead-a");
    expect(leadA.anomalies.counts).toEqual({ newSourceIps: 1, refusedKeys: 0, unusedKeys: 1 });
    const devB = await dashboard("dev-b");
    expect(devB.anomalies.counts).toEqual({ newSourceIps: 0, refusedKeys: 1, unusedKeys: 0 });
  });

  it("anomalies: more keys with a new source IP than a statement may bind parameters (SQLite: 999) are all counted", async () => {
    // 1,200 keys, each used from an old address and, in the last week, from a new one.
    const many = Array.from({ length: 1200 }, (_, i) => `key:many-${i}`);
    const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);
    await db.usageSourceIp.createMany({
      data: many.flatMap((subject) => [
        { subject, sourceIp: "198.51.100.1", firstSeenAt: at(40), lastSeenAt: at(3), calls: 5 },
        { subject, sourceIp: "198.51.100.2", firstSeenAt: at(2), lastSeenAt: at(1), calls: 2 },
      ]),
    });
    try {
      const admin = await findAnomalies(db, null, anomalyKeyWhere(viewers.admin!, {}), NOW);
      expect(admin.counts.newSourceIps).toBe(1 + many.length);
      expect(admin.newSourceIps).toHaveLength(20);
    } finally {
      await db.usageSourceIp.deleteMany({ where: { subject: { startsWith: "key:many-" } } });
    }
  });

  it("anomalies: the new source IPs (count and newest 20) equal a recount of the addresses, for every scope", async () => {
    // Keys with: one recent address only (its first use: not news); an old and a recent one; two
    // first seen at the same moment (neither is newer); a new one exactly at the window's start;
    // one just before it; people's addresses (never listed: the check is about keys).
    const at = (ms: number) => new Date(NOW.getTime() - ms);
    const since = NOW.getTime() - 7 * DAY;
    const data = Array.from({ length: 300 }, (_, i) => {
      const subject = i % 7 === 6 ? `identity:mix-${i}@example.com` : `key:mix-${i}`;
      const ip = (n: number) => `198.51.${i % 200}.${n}`;
      switch (i % 6) {
        case 0:
          return [{ subject, sourceIp: ip(1), firstSeenAt: at(2 * DAY + i * 1000) }];
        case 1:
          return [
            { subject, sourceIp: ip(1), firstSeenAt: at(40 * DAY) },
            { subject, sourceIp: ip(2), firstSeenAt: at(DAY + i * 60_000) },
          ];
        case 2:
          return [
            { subject, sourceIp: ip(1), firstSeenAt: at(3 * DAY) },
            { subject, sourceIp: ip(2), firstSeenAt: at(3 * DAY) },
          ];
        case 3:
          return [
            { subject, sourceIp: ip(1), firstSeenAt: at(20 * DAY) },
            { subject, sourceIp: ip(2), firstSeenAt: new Date(since) },
          ];
        case 4:
          return [
            { subject, sourceIp: ip(1), firstSeenAt: at(20 * DAY) },
            { subject, sourceIp: ip(2), firstSeenAt: new Date(since - 1) },
          ];
        default:
          return [
            { subject, sourceIp: ip(1), firstSeenAt: at(10 * DAY) },
            { subject, sourceIp: ip(2), firstSeenAt: at(5 * DAY) },
            { subject, sourceIp: ip(3), firstSeenAt: at(4 * DAY + i) },
          ];
      }
    }).flat();
    await db.usageSourceIp.createMany({ data: data.map((d) => ({ ...d, lastSeenAt: NOW, calls: 1 })) });
    try {
      const all = await db.usageSourceIp.findMany();
      const recount = (subjects: string[] | null) => {
        const first = new Map<string, number>();
        for (const r of all) first.set(r.subject, Math.min(first.get(r.subject) ?? Infinity, r.firstSeenAt.getTime()));
        return all
          .filter((r) => r.subject.startsWith("key:") && (subjects === null || subjects.includes(r.subject)))
          .filter((r) => r.firstSeenAt.getTime() >= since && r.firstSeenAt.getTime() > first.get(r.subject)!)
          .sort((a, b) => b.firstSeenAt.getTime() - a.firstSeenAt.getTime() || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.sourceIp < b.sourceIp ? -1 : 1));
      };
      const scopes: [string, string[] | null][] = [
        ["admin", null],
        ["some keys and people", data.map((d) => d.subject).filter((s, i) => i % 3 !== 0)],
        ["lead-a", (await resolveWhere(db, viewers["lead-a"]!, filters(), NOW)).subjects],
        ["nobody", []],
      ];
      for (const [name, subjects] of scopes) {
        const expected = recount(subjects);
        const got = await findAnomalies(db, subjects, anomalyKeyWhere(viewers.admin!, {}), NOW);
        expect(got.counts.newSourceIps, name).toBe(expected.length);
        expect(got.newSourceIps.map((x) => [x.who.subject, x.sourceIp, x.firstSeenAt]), name).toEqual(
          expected.slice(0, 20).map((r) => [r.subject, r.sourceIp, r.firstSeenAt.toISOString()]),
        );
      }
      expect(recount(null).length).toBeGreaterThan(20);
    } finally {
      await db.usageSourceIp.deleteMany({ where: { subject: { contains: "mix-" } } });
    }
  });

  it("the key page's usage is scoped like the key", async () => {
    expect(await keyUsage(db, viewers["dev-a"]!, keys.b!, NOW)).toBeNull();
    const usage = await keyUsage(db, viewers["dev-a"]!, keys.a!, NOW);
    expect(usage?.totals.calls).toBe(6);
    expect(usage?.sourceIps.find((ip) => ip.sourceIp === "203.0.113.99")?.isNew).toBe(true);
    expect(usage?.anomalies).toMatchObject({ newSourceIps: 1, refusedCalls: 0, unused: false });
    const b = await keyUsage(db, viewers["dev-b"]!, keys.b!, NOW);
    expect(b?.anomalies).toMatchObject({ refusedCalls: 1 });
  });
});

// Last in the file: it adds events the tests above do not count.
describe("usage by door (issue 19)", () => {
  it("the API breakdown counts each door, the API filter narrows every chart to it, both within scope", async () => {
    const more = [
      ev("key:BedrockAPIKey-a", 1, { eventName: "CreateChatCompletion", api: "chat_completions" }),
      ev("key:BedrockAPIKey-a", 1, { eventName: "CreateInference", api: "messages", endpoint: "mantle", modelId: "anthropic.claude-sonnet-4-5", region: "us-west-2" }),
      ev("key:BedrockAPIKey-b", 1, { eventName: "CreateInference", api: "responses", endpoint: "mantle", result: "error", errorCode: "AccessDeniedException" }),
    ].map((r) => ({ ...r, resolution: resolutionFor(r.event.subject) }));
    await commitPage(db, "us-east-1", more, null);

    const admin = await dashboard("admin");
    const byDoor = Object.fromEntries(admin.overview.apis.map((a) => [`${a.endpoint}/${a.api}`, [a.calls, a.errors]]));
    expect(byDoor).toMatchObject({ "runtime/converse": [16, 2], "runtime/chat_completions": [1, 0], "mantle/messages": [1, 0], "mantle/responses": [1, 1] });

    // Filtered to one door, every chart counts only its calls (read from the events).
    const messages = await dashboard("admin", { api: "messages" });
    expect(messages.overview.totals).toMatchObject({ calls: 1, errors: 0, models: 1 });
    expect(messages.overview.models).toEqual(["anthropic.claude-sonnet-4-5"]);
    expect(messages.overview.regions).toEqual([{ region: "us-west-2", calls: 1, errors: 0 }]);
    expect(messages.overview.top.map((s) => s.subject)).toEqual(["key:BedrockAPIKey-a"]);

    // A model filter with the breakdown: counted from the events' own columns.
    const sonnet = await dashboard("admin", { model: "anthropic.claude-sonnet-4-5" });
    expect(sonnet.overview.apis).toEqual([{ api: "messages", endpoint: "mantle", calls: 1, errors: 0 }]);

    // Scope: dev-a sees their key's doors, never key b's mantle call.
    const devA = await dashboard("dev-a");
    expect(devA.overview.apis.map((a) => a.api).sort()).toEqual(["chat_completions", "converse", "messages"]);
    expect((await dashboard("dev-a", { api: "responses" })).overview.totals.calls).toBe(0);
    await expect(storedRollups(db)).resolves.toEqual(await recountRollups(db));
  });
});
