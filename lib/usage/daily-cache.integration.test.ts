import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupSums, where } from "@/lib/db/read";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { insertInvocations } from "@/lib/cost/test-rows";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { usageRow } from "@/lib/testing/usage-rows";
import { cacheSize, dailyEventCounts, dailyGroupSums, DailyCache, dayVersions, rangeGroupSums } from "./daily-cache";
import { commitPage } from "./ingest";

/**
 * The dashboards' per-day cache (./daily-cache.ts): the same rows as reading the rollups, days
 * read again exactly when their version (the subject-less rollup's sums) moved, one cache per client.
 */
let t: TestDb;
let other: TestDb;
let db: PrismaClient;
const DAYS = ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"];
const SUBJECTS = ["key:k0", "key:k1", "identity:p0"];
const at = (day: string, s: number) => new Date(`${day}T10:00:${String(s).padStart(2, "0")}.000Z`);
let seq = 0;
const calls = (day: string, subject: string, n: number, extra: Parameters<typeof usageRow>[3] = {}) =>
  Array.from({ length: n }, (_, i) => usageRow(`e${++seq}`, subject, at(day, i), extra));

beforeAll(async () => {
  [t, other] = await Promise.all([createTestDb(), createTestDb()]);
  db = t.db;
  await commitPage(db, "us-east-1", [...calls(DAYS[0]!, "key:k0", 3), ...calls(DAYS[1]!, "key:k1", 2, { result: "error" }), ...calls(DAYS[2]!, "identity:p0", 4), ...calls(DAYS[2]!, "key:k9", 5)], null);
});
afterAll(async () => Promise.all([t?.cleanup(), other?.cleanup()]));

const conditions = [where.in("subject", SUBJECTS)];
const cached = (client: PrismaClient = db) =>
  dailyGroupSums(client, "usage", dayVersions(client, "usage", DAYS[0]!, DAYS.at(-1)!), "UsageDaily", ["modelId", "result"], ["calls"], conditions, DAYS);
const direct = (client: PrismaClient = db) => groupSums(client, "UsageDaily", ["day", "modelId", "result"], ["calls"], [where.between("day", DAYS[0]!, DAYS.at(-1)!), ...conditions]);
const norm = (rows: { day: string; modelId: string; result: string; calls: number }[]) => rows.map((r) => `${r.day}|${r.modelId}|${r.result}|${r.calls}`).sort();

describe("dailyGroupSums", () => {
  it("answers what the rollup answers, first from the database and then from memory", async () => {
    const first = await cached();
    expect(norm(first)).toEqual(norm(await direct()));
    expect(norm(first)).toEqual(norm([
      { day: DAYS[0]!, modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", result: "success", calls: 3 },
      { day: DAYS[1]!, modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", result: "error", calls: 2 },
      { day: DAYS[2]!, modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", result: "success", calls: 4 },
    ]));
    const again = await cached();
    // The same row objects: nothing was read again.
    expect(again).toHaveLength(first.length);
    again.forEach((r, i) => expect(r).toBe(first[i]));
    expect(Object.isFrozen(again[0])).toBe(true);
  });

  it("keeps a day whose version did not move, and reads a day again when the ingest adds to it", async () => {
    await cached();
    // A change that bypasses the ingest (not in UsageDailyModel): the kept day is still served, which
    // shows the rows come from memory — and that the version is what decides.
    await db.usageDaily.updateMany({ where: { day: DAYS[0]!, subject: "key:k0" }, data: { calls: { increment: 100 } } });
    expect((await cached()).find((r) => r.day === DAYS[0])!.calls).toBe(3);
    // The ingest adds a call on that day, for a subject outside the view: the day's version moves,
    // so it is read again (and now shows the bypassing change too); the other days are kept.
    const before = await cached();
    await commitPage(db, "us-east-1", calls(DAYS[0]!, "key:k9", 1), null);
    const after = await cached();
    expect(after.find((r) => r.day === DAYS[0])!.calls).toBe(103);
    expect(after.find((r) => r.day === DAYS[1])).toBe(before.find((r) => r.day === DAYS[1]));
    expect(norm(after)).toEqual(norm(await direct()));
    // A day that had no calls gets its first ones.
    await commitPage(db, "us-east-1", calls(DAYS[3]!, "key:k1", 2), null);
    expect(norm(await cached())).toEqual(norm(await direct()));
    expect((await cached()).filter((r) => r.day === DAYS[3])).toHaveLength(1);
  });

  it("keys the rows by the conditions, and keeps one cache per database client", async () => {
    const narrow = await dailyGroupSums(db, "usage", dayVersions(db, "usage", DAYS[0]!, DAYS.at(-1)!), "UsageDaily", ["modelId", "result"], ["calls"], [where.in("subject", ["key:k1"])], DAYS);
    expect(narrow.map((r) => r.calls).sort()).toEqual([2, 2]);
    // The other database has the same days and no rows: it answers from its own data, not from db's cache.
    const size = cacheSize(other.db).views;
    expect(await cached(other.db)).toEqual([]);
    expect(cacheSize(other.db).views).toBe(size + 1);
  });

  it("versions the cost family by CostDailyModel's sums", async () => {
    const read = () =>
      dailyGroupSums(db, "cost", dayVersions(db, "cost", DAYS[0]!, DAYS.at(-1)!), "CostDaily", ["modelId"], ["calls", "costUsd"], [where.in("subject", ["key:k0"])], DAYS);
    await insertInvocations(db, [{ timestamp: at(DAYS[1]!, 1), subject: "key:k0", modelId: "m", costUsd: 0.5 }]);
    expect((await read()).map((r) => [r.day, r.calls, r.costUsd])).toEqual([[DAYS[1], 1, 0.5]]);
    await insertInvocations(db, [{ timestamp: at(DAYS[1]!, 2), subject: "key:k0", modelId: "m", costUsd: 0.25 }]);
    expect((await read()).map((r) => [r.day, r.calls, r.costUsd])).toEqual([[DAYS[1], 2, 0.75]]);
  });
});

describe("dailyEventCounts", () => {
  const EDGE = ["2026-10-01", "2026-10-02", "2026-10-03"];
  const read = (conditions: Parameters<typeof dailyEventCounts>[3]) => dailyEventCounts(db, dayVersions(db, "usage", EDGE[0]!, EDGE[2]!), ["api", "result"], conditions, EDGE);
  const direct = async (modelId?: string) =>
    (
      await db.usageEvent.groupBy({
        by: ["day", "api", "result"],
        where: { eventTime: { gte: new Date(`${EDGE[0]}T00:00:00Z`), lt: new Date("2026-10-04T00:00:00Z") }, ...(modelId ? { modelId } : {}) },
        _count: { _all: true },
      })
    )
      .map((r) => `${r.day}|${r.api}|${r.result}|${r._count._all}`)
      .sort();
  const lines = (rows: { day: string; api: string; result: string; calls: number }[]) => rows.map((r) => `${r.day}|${r.api}|${r.result}|${r.calls}`).sort();

  it("counts the events per day as a groupBy over them does, by their time to the millisecond at the range's edges, then from memory", async () => {
    await commitPage(
      db,
      "us-east-1",
      [
        usageRow("edge1", "key:k0", new Date("2026-10-01T00:00:00.000Z"), { day: "2026-10-01", api: "chat_completions", modelId: "m1" }),
        usageRow("edge2", "key:k0", new Date("2026-10-01T23:59:59.999Z"), { day: "2026-10-01", api: "chat_completions", modelId: "m1", result: "error" }),
        usageRow("edge3", "key:k1", new Date("2026-10-02T00:00:00.000Z"), { day: "2026-10-02", api: "converse", modelId: "m1" }),
        usageRow("edge4", "key:k1", new Date("2026-10-03T23:59:59.999Z"), { day: "2026-10-03", api: "chat_completions", modelId: "m2" }),
        // Just outside the range, on both sides.
        usageRow("edge5", "key:k9", new Date("2026-10-04T00:00:00.000Z"), { day: "2026-10-04", api: "chat_completions", modelId: "m1" }),
        usageRow("edge6", "key:k9", new Date("2026-09-30T23:59:59.999Z"), { day: "2026-09-30", api: "chat_completions", modelId: "m1" }),
      ],
      null,
    );
    expect(lines(await read([]))).toEqual(["2026-10-01|chat_completions|error|1", "2026-10-01|chat_completions|success|1", "2026-10-02|converse|success|1", "2026-10-03|chat_completions|success|1"]);
    expect(lines(await read([]))).toEqual(await direct());
    expect(lines(await read([where.eq("modelId", "m1")]))).toEqual(await direct("m1"));
    expect(await direct("m1")).toHaveLength(3);
    // A change that bypasses the ingest is not seen (the counts come from memory) until the ingest adds to that day.
    await db.usageEvent.updateMany({ where: { eventId: "edge3" }, data: { api: "invoke_model" } });
    expect(lines(await read([]))).toContain("2026-10-02|converse|success|1");
    await commitPage(db, "us-east-1", [usageRow("edge7", "key:k9", new Date("2026-10-02T05:00:00.000Z"), { day: "2026-10-02", api: "chat_completions", modelId: "m2" })], null);
    const after = lines(await read([]));
    expect(after).toEqual(await direct());
    expect(after).toContain("2026-10-02|invoke_model|success|1");
  });
});

describe("rangeGroupSums", () => {
  const RANGE = ["2026-08-01", "2026-08-02", "2026-08-03"];
  const bySubject = () =>
    rangeGroupSums(db, ["usage", "UsageDaily", ["subject"]], dayVersions(db, "usage", RANGE[0]!, RANGE[2]!), [], RANGE, ["subject"], ["calls"], (first, last) =>
      groupSums(db, "UsageDaily", ["subject"], ["calls"], [where.between("day", first, last)]),
    );
  const whole = async () => lines(await groupSums(db, "UsageDaily", ["subject"], ["calls"], [where.between("day", RANGE[0]!, RANGE[2]!)]));
  const lines = (rows: { subject: string; calls: number }[]) => rows.map((r) => `${r.subject}|${r.calls}`).sort();

  it("adds the range but its last day to its last day, and reads again only the part whose versions moved", async () => {
    await commitPage(db, "us-east-1", [...calls(RANGE[0]!, "key:a1", 2), ...calls(RANGE[1]!, "key:a2", 1), ...calls(RANGE[2]!, "key:a1", 3)], null);
    expect(lines(await bySubject())).toEqual(["key:a1|5", "key:a2|1"]);
    expect(lines(await bySubject())).toEqual(await whole());
    // A change that bypasses the ingest, in the first part: served from memory, not seen…
    await db.usageDaily.updateMany({ where: { day: RANGE[0]!, subject: "key:a1" }, data: { calls: { increment: 10 } } });
    // …even when the ingest adds to the last day, which alone is read again.
    await commitPage(db, "us-east-1", calls(RANGE[2]!, "key:a2", 4), null);
    expect(lines(await bySubject())).toEqual(["key:a1|5", "key:a2|5"]);
    // The ingest adds to a day of the first part: that part is read again whole, the change with it.
    await commitPage(db, "us-east-1", calls(RANGE[1]!, "key:a3", 1), null);
    expect(lines(await bySubject())).toEqual(["key:a1|15", "key:a2|5", "key:a3|1"]);
    expect(lines(await bySubject())).toEqual(await whole());
  });
});

describe("DailyCache", () => {
  it("drops the least recently used views beyond its row bound, never the one just written", () => {
    const cache = new DailyCache(5);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));
    cache.put("a", "d1", "1", rows(2));
    cache.put("b", "d1", "1", rows(2));
    cache.get("a");
    cache.put("c", "d1", "1", rows(2));
    // a was read after b was written: b goes.
    expect([cache.get("a"), cache.get("b"), cache.get("c")].map((v) => v?.rows)).toEqual([2, undefined, 2]);
    expect(cache.size).toEqual({ views: 2, rows: 4 });
    // Replacing a day counts its new rows only; one view larger than the bound stays.
    cache.put("c", "d1", "2", rows(9));
    expect(cache.size).toEqual({ views: 1, rows: 9 });
  });
});
