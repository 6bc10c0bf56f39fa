import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import { usageRow } from "@/lib/testing/usage-rows";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseUsageFilters } from "./filters";
import { commitPage, type IngestRow } from "./ingest";
import { eventWhere, resolveWhere, usageOverview } from "./queries";
import type { Viewer } from "./scope";

// "Top keys and people" has the database cut the list (callsBySubject: only subjects with at
// least the 10th largest count come back, with the number of subjects): with more than ten
// subjects and ties at the cut, the ten shown, their order and the subject count equal a recount
// from the events, for an admin and a lead, over ranges read as whole months ± edge days.

const DAY = 86_400_000;
const NOW = new Date("2026-11-20T12:00:00Z");
let t: Awaited<ReturnType<typeof createTestDb>>;
let db: PrismaClient;
const viewers: Record<string, Viewer> = {};
let seq = 0;

function ev(subject: string, daysAgo: number, result: "success" | "error"): IngestRow {
  const errors = result === "error" ? { errorCode: "ThrottlingException", errorMessage: "Too many requests." } : {};
  return usageRow(`top-${++seq}`, subject, new Date(NOW.getTime() - daysAgo * DAY), { result, ...errors });
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  const team = await db.team.create({ data: { name: "Payments" } });
  const lead = await db.user.create({ data: { email: "lead@example.com", name: "Lead", role: "lead", passwordHash: "x" } });
  await db.teamMembership.create({ data: { userId: lead.id, teamId: team.id, isLead: true } });
  viewers.lead = { id: lead.id, role: "lead", ledTeamIds: [team.id] };
  viewers.admin = { id: "admin", role: "admin", ledTeamIds: [] };
  await db.usageSyncCursor.create({ data: { region: "us-east-1", syncedThrough: NOW } });

  // 16 keys in the lead's team, 3 outside it, 2 people: counts with ties around the tenth place
  // (several 5s, 4s), spread over the last 60 days (two month boundaries), every third an error.
  const counts = [9, 8, 8, 7, 6, 6, 6, 5, 5, 5, 5, 4, 4, 3, 2, 1];
  const rows: IngestRow[] = [];
  const add = (subject: string, n: number, offset: number) => {
    for (let i = 0; i < n; i++) rows.push(ev(subject, 1 + ((i * 7 + offset * 3) % 60), (i + offset) % 3 === 0 ? "error" : "success"));
  };
  for (const [i, n] of counts.entries()) {
    const name = `k${String(i).padStart(2, "0")}`;
    await db.apiKey.create({ data: { name, iamUserName: `BedrockAPIKey-${name}`, credentialId: `ACCA${name}`, teamId: team.id, managed: true, awsCreatedAt: new Date(NOW.getTime() - 90 * DAY) } });
    add(`key:BedrockAPIKey-${name}`, n, i);
  }
  for (const [i, n] of [7, 5, 5].entries()) add(`key:BedrockAPIKey-other${i}`, n, 20 + i);
  add("identity:someone@example.com", 6, 30);
  add("session:OtherRole/someone", 5, 31);
  for (let i = 0; i < rows.length; i += 25) await commitPage(db, "us-east-1", rows.slice(i, i + 25), null);
});
afterAll(async () => t?.cleanup());

describe("top keys and people, cut by the database", () => {
  it("show the same ten, in the same order, and count the same subjects as a recount from the events", async () => {
    const ranges = [{ range: "7" }, { range: "30" }, { range: "90" }, { range: "custom", from: "2026-10-03", to: "2026-11-02" }, { range: "custom", from: "2026-10-31", to: "2026-11-19" }];
    let cutsWithTies = 0;
    for (const r of ranges) {
      for (const who of ["admin", "lead"]) {
        for (const extra of [{}, { result: "error" }, { identity: "long-term" }]) {
          const label = `${JSON.stringify(r)} ${who} ${JSON.stringify(extra)}`;
          const where = await resolveWhere(db, viewers[who]!, parseUsageFilters({ ...r, ...extra }).filters, NOW);
          const overview = await usageOverview(db, where);
          const events = await db.usageEvent.groupBy({ by: ["subject", "result"], where: eventWhere(where), _count: { _all: true } });
          const recount = new Map<string, { subject: string; calls: number; errors: number }>();
          for (const e of events) {
            const row = recount.get(e.subject) ?? recount.set(e.subject, { subject: e.subject, calls: 0, errors: 0 }).get(e.subject)!;
            row.calls += e._count._all;
            if (e.result === "error") row.errors += e._count._all;
          }
          const ranked = [...recount.values()].sort((a, b) => b.calls - a.calls || (a.subject < b.subject ? -1 : 1));
          if (ranked.length > 10 && ranked[9]!.calls === ranked[10]!.calls) cutsWithTies++;
          expect(overview.top.map((s) => ({ subject: s.subject, calls: s.calls, errors: s.errors })), label).toEqual(ranked.slice(0, 10));
          expect(overview.totals.subjects, label).toBe(recount.size);
        }
      }
    }
    // The data has ties at the tenth place in several views: the case the cut must keep whole.
    expect(cutsWithTies).toBeGreaterThan(2);
  });

  it("an empty range: no subjects, none counted", async () => {
    const where = await resolveWhere(db, viewers.admin!, parseUsageFilters({ range: "custom", from: "2025-01-01", to: "2025-01-31" }).filters, NOW);
    const overview = await usageOverview(db, where);
    expect(overview.top).toEqual([]);
    expect(overview.totals.subjects).toBe(0);
  });
});
