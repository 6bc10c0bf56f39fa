import { createTestDb } from "@/lib/testing/test-db";
import { Prisma } from "@/lib/generated/prisma/client";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { normalizeRecord } from "@/lib/usage/normalize";
const t = await createTestDb();
const db = t.db;
const recs = generateEvents(2000, { seed: 3 });
const timings: Record<string, number> = {};
const tm = async (k: string, f: () => Promise<unknown>) => { const a = performance.now(); await f(); timings[k] = (timings[k] ?? 0) + performance.now() - a; };
for (let p = 0; p < 40; p++) {
  const page = recs.slice(p * 50, p * 50 + 50).map((r) => normalizeRecord(r, "us-east-1")!);
  await tm("tx-total", () => db.$transaction(async (tx) => {
    await tm("findMany", () => tx.usageEvent.findMany({ where: { eventId: { in: page.map((e) => e.eventId) } }, select: { eventId: true } }));
    await tm("createMany", () => tx.usageEvent.createMany({ data: page.map((e) => ({ ...e })) }));
    await tm("raw", () => tx.usageEventRaw.createMany({ data: page.map((e) => ({ eventId: e.eventId, json: JSON.stringify(recs[0]) })) }));
    await tm("rollup", () => tx.$executeRaw`INSERT INTO "UsageDailySubject" ("day","subject","result","identityType","calls") VALUES ${Prisma.join(page.map((e) => Prisma.sql`(${e.day}, ${e.subject}, ${e.result}, ${e.identityType}, ${1})`))} ON CONFLICT ("day","subject","result") DO UPDATE SET "calls" = "UsageDailySubject"."calls" + excluded."calls"`);
  }));
  await tm("plain-count", () => db.usageEvent.count());
}
console.log(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, (v / 40).toFixed(1)])));
await t.cleanup();
