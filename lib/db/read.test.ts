import { afterEach, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createSqliteTestDb, type TestDb } from "@/lib/testing/test-db";
import { groupSums, readPoolOf, readRows, where } from "./read";

/**
 * The dashboards' reads on SQLite run on reader connections in worker threads (./sqlite-readers.ts,
 * ./read.ts): the same rows as the app's connection, the event loop free meanwhile, never a write,
 * never inside a transaction, and the app's connection again when a reader is gone.
 */
let t: TestDb | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const open = async () => {
  t = await createSqliteTestDb();
  await t.db.usageDaily.createMany({
    data: Array.from({ length: 300 }, (_, i) => ({
      day: `2026-11-${String(1 + (i % 30)).padStart(2, "0")}`,
      subject: `key:k${i % 7}`,
      modelId: i % 3 === 0 ? "m-a" : "m-b",
      region: "us-east-1",
      inferenceRegion: `r${i}`,
      identityType: "long-term",
      result: i % 5 === 0 ? "error" : "success",
      calls: 1 + (i % 4),
    })),
  });
  return t.db;
};

// A statement that keeps SQLite busy for a while (a recursive count), to see what the event loop does meanwhile.
const SLOW = Prisma.sql`WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < ${3_000_000}) SELECT COUNT(*) AS "c" FROM "n"`;

describe("SQLite reads on reader threads", () => {
  it("answers what the app's connection answers, from a reader", async () => {
    const db = await open();
    const pool = readPoolOf(db)!;
    const byPool = await groupSums(db, "UsageDaily", ["subject", "modelId"], ["calls"], [where.between("day", "2026-11-03", "2026-11-20"), where.in("subject", ["key:k1", "key:k2", "key:k9"])]);
    expect(pool.answered).toBe(1);
    const direct = await db.usageDaily.groupBy({
      by: ["subject", "modelId"],
      where: { day: { gte: "2026-11-03", lte: "2026-11-20" }, subject: { in: ["key:k1", "key:k2", "key:k9"] } },
      _sum: { calls: true },
    });
    const norm = (rows: { subject: string; modelId: string; calls: number }[]) => rows.map((r) => `${r.subject}|${r.modelId}|${r.calls}`).sort();
    expect(norm(byPool)).toEqual(norm(direct.map((r) => ({ subject: r.subject, modelId: r.modelId, calls: r._sum.calls ?? 0 }))));
    expect(byPool.length).toBeGreaterThan(2);
    // An empty list matches nothing, as Prisma's `in: []`.
    expect(await groupSums(db, "UsageDaily", ["subject"], ["calls"], [where.in("subject", [])])).toEqual([]);
  });

  it("keeps the event loop free while a read runs, and runs two reads side by side", async () => {
    const db = await open();
    // Warm both readers up (their start is not what is measured).
    await Promise.all([readRows(db, Prisma.sql`SELECT 1 AS "x"`), readRows(db, Prisma.sql`SELECT 2 AS "x"`)]);
    const pool = readPoolOf(db)!;
    let ticks = 0;
    let bothBusy = false;
    // Every 5 ms: on the app's connection the loop would not turn at all until both statements were done.
    const timer = setInterval(() => {
      ticks++;
      if (pool.busy === 2) bothBusy = true;
    }, 5);
    const [[a], [b]] = await Promise.all([readRows<{ c: number }>(db, SLOW), readRows<{ c: number }>(db, SLOW)]);
    clearInterval(timer);
    expect([Number(a!.c), Number(b!.c)]).toEqual([3_000_000, 3_000_000]);
    expect(ticks).toBeGreaterThanOrEqual(3);
    // Started together, they ran on both readers at once.
    expect(bothBusy).toBe(true);
    expect(pool.workers).toHaveLength(2);
  });

  it("binds dates and booleans as Prisma's adapter stores them, on a reader", async () => {
    const db = await open();
    const pool = readPoolOf(db)!;
    const at = (m: number) => new Date(Date.UTC(2026, 10, 20, 10, m, 30, 123));
    for (let m = 0; m < 6; m++) {
      await db.usageSourceIp.create({ data: { subject: `key:k${m % 2}`, sourceIp: `10.0.0.${m}`, firstSeenAt: at(m), lastSeenAt: at(m), calls: 1 } });
    }
    const answered = pool.answered;
    // A date bound on the reader compares with stored dates as Prisma's own filter does.
    const rows = await readRows<{ sourceIp: string; firstSeenAt: string }>(
      db,
      Prisma.sql`SELECT "sourceIp", "firstSeenAt" FROM "UsageSourceIp" WHERE "firstSeenAt" >= ${at(3)} AND (${true} = 1) ORDER BY "firstSeenAt"`,
    );
    expect(pool.answered).toBe(answered + 1);
    const viaPrisma = await db.usageSourceIp.findMany({ where: { firstSeenAt: { gte: at(3) } }, orderBy: { firstSeenAt: "asc" } });
    expect(rows.map((r) => r.sourceIp)).toEqual(viaPrisma.map((r) => r.sourceIp));
    expect(rows.map((r) => r.sourceIp)).toEqual(["10.0.0.3", "10.0.0.4", "10.0.0.5"]);
    // A stored DateTime comes back as the adapter's text, which reads as the same instant.
    expect(new Date(rows[0]!.firstSeenAt)).toEqual(at(3));
    expect(await readRows(db, Prisma.sql`SELECT 1 AS "x" WHERE ${false} = 1`)).toEqual([]);
  });

  it("never writes: a reader's connection is query_only", async () => {
    const db = await open();
    await expect(readRows(db, Prisma.sql`DELETE FROM "UsageDaily" RETURNING "day"`)).rejects.toThrow(/SQLite read failed: .*readonly|query_only|attempt to write/i);
    expect(await db.usageDaily.count()).toBe(300);
  });

  it("inside a transaction reads on the transaction, which sees its own writes", async () => {
    const db = await open();
    const pool = readPoolOf(db)!;
    const before = pool.answered;
    const seen = await db.$transaction(async (tx) => {
      await tx.usageDaily.deleteMany({ where: { subject: "key:k1" } });
      return readRows<{ n: number }>(tx as typeof db, Prisma.sql`SELECT COUNT(*) AS "n" FROM "UsageDaily" WHERE "subject" = 'key:k1'`);
    });
    expect(Number(seen[0]!.n)).toBe(0);
    expect(pool.answered).toBe(before);
  });

  it("reads on the app's connection when a reader dies, and gives up on the readers after repeated failures", async () => {
    const db = await open();
    const pool = readPoolOf(db)!;
    await Promise.all([readRows(db, SLOW), readRows(db, Prisma.sql`SELECT 1 AS "x"`)]);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      for (let round = 0; round < 3; round++) {
        // A read in flight when its reader is killed is answered all the same.
        const read = readRows<{ c: number }>(db, SLOW);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await Promise.all(pool.workers.map((w) => w.terminate()));
        expect(Number((await read)[0]!.c)).toBe(3_000_000);
      }
      expect(pool.usable).toBe(false);
      const answered = pool.answered;
      expect((await groupSums(db, "UsageDaily", ["modelId"], ["calls"], [])).map((r) => r.modelId).sort()).toEqual(["m-a", "m-b"]);
      expect(pool.answered).toBe(answered);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((w) => /SQLite reads are back on the app's connection/.test(w))).toBe(true);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("refuses names that are not identifiers", async () => {
    const db = await open();
    await expect(groupSums(db, 'UsageDaily"; DROP TABLE "x', ["day"], ["calls"], [])).rejects.toThrow(/not a column or table name/);
    expect(() => where.eq("day = 1 OR 1", "x")).toThrow(/not a column or table name/);
  });
});
