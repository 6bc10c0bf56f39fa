import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerOfClient } from "@/lib/db/dialect";
import { type PgTransactionConnection, pgTransaction } from "@/lib/db/pg-connection";
import { sqliteConnectionOf } from "@/lib/db/sqlite-connection";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { usageRow } from "@/lib/testing/usage-rows";
import { commitPage } from "./ingest";
import { recountRollups, storedRollups } from "./rollups";

let t: TestDb;
let db: PrismaClient;
const AT = new Date("2026-11-20T10:15:30.123Z");

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await db.usageSyncCursor.create({ data: { region: "us-east-1", syncedThrough: AT } });
});
afterAll(async () => t?.cleanup());

const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    usageRow(`${prefix}-${i}`, `key:k${i % 3}`, new Date(AT.getTime() + i * 1000), { keyRefused: i % 2 === 0, sourceIp: `10.0.0.${i % 4}` }),
  );

describe("commitPage (issue 19: SQLite rows on the adapter's connection, PostgreSQL set-based)", () => {
  it("on SQLite writes on the client's own connection, only inside the page's transaction", async () => {
    if (providerOfClient(db) !== "sqlite") return;
    let inside: boolean | undefined;
    await db.$transaction(async () => {
      inside = sqliteConnectionOf(db)?.inTransaction;
    });
    expect(inside).toBe(true);
    expect(sqliteConnectionOf(db)?.inTransaction).toBe(false);
  });

  it("stores events with their dates, flags and raw records as Prisma reads them, and skips stored eventIds", async () => {
    const page = rows("a", 6);
    expect((await commitPage(db, "us-east-1", page, null)).inserted).toBe(6);
    // The same page again, and one overlapping page: only the new event counts.
    expect((await commitPage(db, "us-east-1", page, null)).inserted).toBe(0);
    expect((await commitPage(db, "us-east-1", [...page.slice(3), ...rows("b", 1)], null)).inserted).toBe(1);
    const stored = await db.usageEvent.findFirstOrThrow({ where: { eventId: "a-2" } });
    expect(stored.eventTime).toEqual(new Date(AT.getTime() + 2000));
    expect(stored.keyRefused).toBe(true);
    expect((await db.usageEvent.findFirstOrThrow({ where: { eventId: "a-1" } })).keyRefused).toBe(false);
    expect(await db.usageEventRaw.count()).toBe(7);
    const subject = await db.usageSubject.findUniqueOrThrow({ where: { subject: "key:k0" } });
    expect(subject.firstSeenAt).toEqual(AT);
    expect(subject.lastSeenAt).toEqual(new Date(AT.getTime() + 3000));
    expect(await storedRollups(db)).toEqual(await recountRollups(db));
  });

  it("keeps each raw record as the text it was read, byte for byte (whitespace, key order, escapes, non-ASCII)", async () => {
    // The drill-down shows the record as CloudTrail wrote it: the text stored must be exactly the
    // text given, whatever the JSON in it looks like (PostgreSQL gets it by COPY, whose text format
    // gives a backslash, tab, newline and carriage return a meaning, and reads \N as NULL).
    const raws = [
      '{ "eventID" : "r-0",\n\t"z": 1, "a": [1, 2.50, -0e0] }',
      '{"eventID":"r-1","userAgent":"Boto3 \\"quoted\\" \\\\ back \\u00e9 é 日本 😀","nul":"\\u0000","lone":"\\ud800"}',
      '{"eventID":"r-2","requestParameters":null,"big":' + JSON.stringify("x".repeat(5000)) + "}",
      '{"eventID":"r-3",\r\n"crlf":"\\r\\n"}\r',
      "\\N",
      "\\.",
    ];
    const page = raws.map((raw, i) => ({ ...usageRow(`r-${i}`, "key:raw", new Date(AT.getTime() + i)), raw }));
    expect((await commitPage(db, "us-east-1", page, null)).inserted).toBe(raws.length);
    const ids = await db.usageEvent.findMany({ where: { eventId: { startsWith: "r-" } }, select: { id: true, eventId: true } });
    const stored = new Map((await db.usageEventRaw.findMany({ where: { id: { in: ids.map((e) => e.id) } } })).map((r) => [r.id, r.json]));
    for (const { id, eventId } of ids) expect(stored.get(id)).toBe(raws[Number(eventId.slice(2))]);
    expect(ids).toHaveLength(raws.length);
  });

  it("moves each key's last use forward to its newest stored call (and updatedAt with it), never back", async () => {
    const key = await db.apiKey.create({ data: { name: "lu", iamUserName: "BedrockAPIKey-lu", credentialId: "ACCAlu", managed: false } });
    const other = await db.apiKey.create({ data: { name: "lu2", iamUserName: "BedrockAPIKey-lu2", credentialId: "ACCAlu2", managed: false } });
    const at = (s: number) => new Date(AT.getTime() + s * 1000);
    const forKey = (id: string, apiKeyId: string, time: Date) => ({ ...usageRow(id, `key:${apiKeyId}`, time), resolution: { apiKeyId, userId: null } });
    const created = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    await commitPage(db, "us-east-1", [forKey("lu-1", key.id, at(50)), forKey("lu-2", key.id, at(70)), forKey("lu-3", key.id, at(60)), forKey("lu-4", other.id, at(10))], null);
    const touched = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(touched.lastUsedAt).toEqual(at(70));
    expect(touched.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: other.id } })).lastUsedAt).toEqual(at(10));
    // An older page (a backfill) stores its events but leaves the newer last use as it is.
    expect((await commitPage(db, "us-east-1", [forKey("lu-5", key.id, at(20)), forKey("lu-6", other.id, at(30))], null)).inserted).toBe(2);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(at(70));
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: other.id } })).lastUsedAt).toEqual(at(30));
  });

  it("counts a page that mixes doors, identities, models and days into every rollup as a recount does", async () => {
    const page = Array.from({ length: 40 }, (_, i) =>
      usageRow(`m-${i}`, i % 5 === 0 ? `identity:p${i % 2}` : `key:m${i % 3}`, new Date(AT.getTime() + (i % 4) * 86_400_000 + i), {
        api: i % 3 === 0 ? "chat_completions" : "converse",
        endpoint: i % 3 === 0 ? "mantle" : "runtime",
        project: i % 6 === 0 ? "proj-a" : "",
        modelId: i % 2 ? "amazon.nova-lite-v1:0" : "us.anthropic.claude-3-5-haiku-20241022-v1:0",
        result: i % 7 === 0 ? "error" : "success",
      }),
    );
    expect((await commitPage(db, "us-east-1", page, null)).inserted).toBe(40);
    expect(await storedRollups(db)).toEqual(await recountRollups(db));
  });

  it("a failure later in the transaction rolls back every row of the page, rollups included", async () => {
    const before = { events: await db.usageEvent.count(), raw: await db.usageEventRaw.count(), rollups: await storedRollups(db) };
    await expect(
      commitPage(db, "us-east-1", rows("c", 5), null, {
        alsoInTransaction: async () => {
          throw new Error("injected");
        },
      }),
    ).rejects.toThrow("injected");
    expect(await db.usageEvent.count()).toBe(before.events);
    expect(await db.usageEventRaw.count()).toBe(before.raw);
    expect(await storedRollups(db)).toEqual(before.rollups);
    // The connection is usable again, outside any transaction, and the page commits on a retry.
    if (providerOfClient(db) === "sqlite") expect(sqliteConnectionOf(db)?.inTransaction).toBe(false);
    expect((await commitPage(db, "us-east-1", rows("c", 5), null)).inserted).toBe(5);
    expect(await storedRollups(db)).toEqual(await recountRollups(db));
  });

  it("on PostgreSQL writes on the transaction's own connection (same backend, same transaction), refused once it ended", async () => {
    if (providerOfClient(db) !== "postgresql") return;
    let kept: PgTransactionConnection | undefined;
    const seen = await pgTransaction(db, async (tx, pg) => {
      kept = pg;
      const query = "SELECT pg_backend_pid() AS pid, txid_current()::text AS xid";
      const [viaPrisma] = await tx.$queryRawUnsafe<{ pid: number; xid: string }[]>(query);
      const [direct] = (await pg?.query<{ pid: number; xid: string }>(query)) ?? [];
      return { viaPrisma, direct };
    });
    expect(seen.direct).toBeDefined();
    expect(seen.direct).toEqual(seen.viaPrisma);
    // The connection went back to the pool: a statement there would run outside any transaction.
    await expect(kept!.query("SELECT 1")).rejects.toThrow("already closed");
    await expect(kept!.copyFrom("UsageEventRaw", ["id", "json"], [[999_999, "{}"]])).rejects.toThrow("already closed");
    expect(await db.usageEventRaw.count({ where: { id: 999_999 } })).toBe(0);
  });

  it("concurrent pages each write in their own transaction: the one that fails leaves nothing, the other commits", async () => {
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const [ok, failed] = await Promise.allSettled([
      commitPage(db, "us-east-1", rows("d", 4), null, {
        alsoInTransaction: async () => {
          await pause(50);
        },
      }),
      commitPage(db, "us-east-1", rows("e", 4), null, {
        alsoInTransaction: async () => {
          await pause(20);
          throw new Error("injected");
        },
      }),
    ]);
    expect(ok.status).toBe("fulfilled");
    expect(failed.status).toBe("rejected");
    expect(await db.usageEvent.count({ where: { eventId: { startsWith: "d-" } } })).toBe(4);
    expect(await db.usageEvent.count({ where: { eventId: { startsWith: "e-" } } })).toBe(0);
    const kept = (await db.usageEvent.findMany({ select: { id: true } })).map((e) => e.id);
    expect((await db.usageEventRaw.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual(kept.sort());
    expect(await storedRollups(db)).toEqual(await recountRollups(db));
  });
});
