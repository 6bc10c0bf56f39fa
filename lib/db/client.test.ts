import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { SQLITE_MAX_VARIABLE_NUMBER } from "./client";

/**
 * Usage and cost queries filter by the viewer's subjects with an `in` list (lib/usage/scope.ts):
 * a lead of big teams has thousands. Prisma refused counts and groupings over more than 999 values
 * on SQLite (P2029) until the adapter told it better-sqlite3's real limit.
 */
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await t.db.usageDaily.createMany({
    data: [0, 1500, 4999].map((i) => ({ day: "2026-12-01", subject: `key:u${i}`, modelId: "m", region: "us-east-1", inferenceRegion: "", identityType: "IAMUser", result: "success", calls: 2 })),
  });
});
afterAll(async () => {
  await t?.cleanup();
});

describe("long `in` lists", () => {
  const subjects = Array.from({ length: 5000 }, (_, i) => `key:u${i}`);

  it("count, groupBy and aggregate accept 5,000 values", async () => {
    const where = { subject: { in: subjects } };
    expect(await t.db.usageDaily.count({ where })).toBe(3);
    expect(await t.db.usageDaily.aggregate({ where, _sum: { calls: true } })).toEqual({ _sum: { calls: 6 } });
    const groups = await t.db.usageDaily.groupBy({ by: ["subject"], where, _sum: { calls: true }, orderBy: { subject: "asc" } });
    expect(groups.map((g) => g.subject)).toEqual(["key:u0", "key:u1500", "key:u4999"]);
  });

  it("the limit the client announces for SQLite is the one better-sqlite3 was built with", () => {
    const db = new Database(":memory:");
    const query = (n: number) => db.prepare(`SELECT 1 WHERE 1 IN (${Array(n).fill("?").join(",")})`).get(...Array<number>(n).fill(1));
    expect(() => query(SQLITE_MAX_VARIABLE_NUMBER)).not.toThrow();
    expect(() => query(SQLITE_MAX_VARIABLE_NUMBER + 1)).toThrow(/too many SQL variables/);
    db.close();
  });
});
