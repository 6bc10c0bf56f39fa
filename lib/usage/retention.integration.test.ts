import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/service";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { pruneUsageEvents } from "./retention";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.cleanup());

const DAY = 86_400_000;
const now = new Date("2026-12-01T12:00:00.000Z");

function event(i: number, ageDays: number) {
  const eventTime = new Date(now.getTime() - ageDays * DAY - i * 1000);
  return {
    eventId: `ev-${ageDays}-${i}`,
    eventTime,
    day: eventTime.toISOString().slice(0, 10),
    region: "us-east-1",
    eventName: "Converse",
    identityType: "long-term",
    subject: "key:alice",
    result: "success",
  };
}

describe("usage retention", () => {
  it("prunes events and raw records older than the retention in batches; keeps newer ones, rollups and the audit log", async () => {
    const old = Array.from({ length: 23 }, (_, i) => event(i, 500));
    const edge = Array.from({ length: 3 }, (_, i) => event(i, 399)); // inside a 400-day window
    const recent = Array.from({ length: 5 }, (_, i) => event(i, 2));
    const all = [...old, ...edge, ...recent];
    await t.db.usageEvent.createMany({ data: all });
    const stored = await t.db.usageEvent.findMany({ select: { id: true, eventId: true } });
    await t.db.usageEventRaw.createMany({ data: stored.map((e) => ({ id: e.id, json: JSON.stringify({ eventID: e.eventId }) })) });
    await t.db.usageDaily.create({ data: { day: old[0]!.day, subject: "key:alice", identityType: "long-term", modelId: "m", region: "us-east-1", inferenceRegion: "", result: "success", calls: 23 } });
    await appendAudit(t.db, { action: "test.old", result: "success" }, new Date(now.getTime() - 900 * DAY));

    const result = await pruneUsageEvents(t.db, now, 400, { batchSize: 10 });
    expect(result).toMatchObject({ deleted: 23, batches: 3 });
    const left = (await t.db.usageEvent.findMany({ select: { eventId: true } })).map((e) => e.eventId).sort();
    expect(left).toEqual([...edge, ...recent].map((e) => e.eventId).sort());
    // The raw records left are exactly those of the events left.
    const raws = await t.db.usageEventRaw.findMany({ select: { json: true } });
    expect(raws.map((r) => JSON.parse(r.json).eventID).sort()).toEqual(left);
    expect(await t.db.usageDaily.findFirst({ where: { day: old[0]!.day } })).toMatchObject({ calls: 23 });
    expect(await t.db.auditEntry.count({ where: { action: "test.old" } })).toBe(1);

    expect(await pruneUsageEvents(t.db, now, 400, { batchSize: 10 })).toMatchObject({ deleted: 0, batches: 0 });
  });
});
