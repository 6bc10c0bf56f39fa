import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { NormalizedEvent } from "./normalize";
import type { Resolution } from "./resolve";

export interface IngestRow {
  event: NormalizedEvent;
  /** The CloudTrail record as read (JSON text), kept for the drill-down. */
  raw: string;
  resolution: Resolution;
}

type Tx = Prisma.TransactionClient;

/**
 * Stores one page of events and moves the region's cursor, in one transaction: either the rows
 * and the cursor both land, or neither does, so a crash never loses a page or skips past it.
 * Events already stored (an overlapping or resumed read) are left out before anything is counted,
 * so rollups, subjects, source IPs and "last used" only ever see each event once.
 */
export async function commitPage(
  db: PrismaClient,
  region: string,
  rows: readonly IngestRow[],
  resumeBefore: Date | null,
): Promise<{ inserted: number }> {
  return db.$transaction(async (tx) => {
    const fresh = await withoutStored(tx, rows);
    if (fresh.length > 0) {
      await tx.usageEvent.createMany({ data: fresh.map(eventData) });
      await tx.usageEventRaw.createMany({ data: fresh.map((r) => ({ eventId: r.event.eventId, json: r.raw })) });
      await addToRollups(tx, fresh.map((r) => r.event));
      await trackSubjects(tx, fresh);
      await trackSourceIps(tx, fresh.map((r) => r.event));
      await touchLastUsed(tx, fresh);
    }
    if (resumeBefore) await tx.usageSyncCursor.update({ where: { region }, data: { resumeBefore } });
    return { inserted: fresh.length };
  });
}

async function withoutStored(tx: Tx, rows: readonly IngestRow[]): Promise<IngestRow[]> {
  if (rows.length === 0) return [];
  const stored = await tx.usageEvent.findMany({ where: { eventId: { in: rows.map((r) => r.event.eventId) } }, select: { eventId: true } });
  const seen = new Set(stored.map((s) => s.eventId));
  const fresh: IngestRow[] = [];
  for (const row of rows) {
    if (seen.has(row.event.eventId)) continue;
    seen.add(row.event.eventId); // a page never repeats an event, but be sure
    fresh.push(row);
  }
  return fresh;
}

function eventData({ event: e, resolution }: IngestRow): Prisma.UsageEventCreateManyInput {
  return {
    eventId: e.eventId,
    eventTime: e.eventTime,
    day: e.day,
    region: e.region,
    inferenceRegion: e.inferenceRegion,
    eventName: e.eventName,
    modelId: e.modelId,
    identityType: e.identityType,
    principalArn: e.principalArn,
    principalName: e.principalName,
    sourceIdentity: e.sourceIdentity,
    accessKeyId: e.accessKeyId,
    subject: e.subject,
    apiKeyId: resolution.apiKeyId,
    userId: resolution.userId,
    sourceIp: e.sourceIp,
    userAgent: e.userAgent,
    errorCode: e.errorCode,
    errorMessage: e.errorMessage,
    result: e.result,
    keyRefused: e.keyRefused,
  };
}

/** The rollup key of an event; the same function is used by the recount (rollups.ts). */
export function rollupKey(e: Pick<NormalizedEvent, "day" | "subject" | "modelId" | "region" | "inferenceRegion" | "result">) {
  return { day: e.day, subject: e.subject, modelId: e.modelId, region: e.region, inferenceRegion: e.inferenceRegion, result: e.result };
}

async function addToRollups(tx: Tx, events: readonly NormalizedEvent[]) {
  const groups = new Map<string, { key: ReturnType<typeof rollupKey>; identityType: string; calls: number }>();
  for (const e of events) {
    const key = rollupKey(e);
    const id = JSON.stringify(key);
    const group = groups.get(id);
    if (group) group.calls++;
    else groups.set(id, { key, identityType: e.identityType, calls: 1 });
  }
  for (const { key, identityType, calls } of groups.values()) {
    await tx.usageDaily.upsert({
      where: { day_subject_modelId_region_inferenceRegion_result: key },
      create: { ...key, identityType, calls },
      update: { calls: { increment: calls } },
    });
  }
}

async function trackSubjects(tx: Tx, rows: readonly IngestRow[]) {
  const bySubject = new Map<string, { row: IngestRow; first: Date; last: Date }>();
  for (const row of rows) {
    const t = row.event.eventTime;
    const s = bySubject.get(row.event.subject);
    if (!s) bySubject.set(row.event.subject, { row, first: t, last: t });
    else {
      if (t < s.first) s.first = t;
      if (t > s.last) s.last = t;
    }
  }
  const existing = await tx.usageSubject.findMany({
    where: { subject: { in: [...bySubject.keys()] } },
    select: { subject: true, firstSeenAt: true, lastSeenAt: true, apiKeyId: true, userId: true },
  });
  const known = new Map(existing.map((e) => [e.subject, e]));
  for (const [subject, { row, first, last }] of bySubject) {
    const e = row.event;
    // Subject-level resolution: the key, or the person the source identity belongs to.
    const resolution = e.subject.startsWith("key:") ? { apiKeyId: row.resolution.apiKeyId, userId: null } : { apiKeyId: null, userId: row.resolution.userId };
    const prev = known.get(subject);
    if (!prev) {
      await tx.usageSubject.create({
        data: { subject, identityType: e.identityType, principalName: e.principalName, principalArn: e.principalArn, sourceIdentity: e.sourceIdentity, ...resolution, firstSeenAt: first, lastSeenAt: last },
      });
      continue;
    }
    const data: Prisma.UsageSubjectUpdateInput = {};
    if (first < prev.firstSeenAt) data.firstSeenAt = first;
    if (last > prev.lastSeenAt) data.lastSeenAt = last;
    if (!prev.apiKeyId && !prev.userId && (resolution.apiKeyId || resolution.userId)) Object.assign(data, resolution);
    if (Object.keys(data).length > 0) await tx.usageSubject.update({ where: { subject }, data });
  }
}

async function trackSourceIps(tx: Tx, events: readonly NormalizedEvent[]) {
  const pairs = new Map<string, { subject: string; sourceIp: string; first: Date; last: Date; calls: number }>();
  for (const e of events) {
    if (!e.sourceIp) continue;
    const id = `${e.subject}\u0000${e.sourceIp}`;
    const p = pairs.get(id);
    if (!p) pairs.set(id, { subject: e.subject, sourceIp: e.sourceIp, first: e.eventTime, last: e.eventTime, calls: 1 });
    else {
      p.calls++;
      if (e.eventTime < p.first) p.first = e.eventTime;
      if (e.eventTime > p.last) p.last = e.eventTime;
    }
  }
  if (pairs.size === 0) return;
  const list = [...pairs.values()];
  const existing = await tx.usageSourceIp.findMany({
    where: { subject: { in: [...new Set(list.map((p) => p.subject))] }, sourceIp: { in: [...new Set(list.map((p) => p.sourceIp))] } },
    select: { subject: true, sourceIp: true, firstSeenAt: true, lastSeenAt: true },
  });
  const known = new Map(existing.map((e) => [`${e.subject}\u0000${e.sourceIp}`, e]));
  for (const [id, p] of pairs) {
    const prev = known.get(id);
    if (!prev) {
      await tx.usageSourceIp.create({ data: { subject: p.subject, sourceIp: p.sourceIp, firstSeenAt: p.first, lastSeenAt: p.last, calls: p.calls } });
      continue;
    }
    await tx.usageSourceIp.update({
      where: { subject_sourceIp: { subject: p.subject, sourceIp: p.sourceIp } },
      data: {
        calls: { increment: p.calls },
        ...(p.first < prev.firstSeenAt ? { firstSeenAt: p.first } : {}),
        ...(p.last > prev.lastSeenAt ? { lastSeenAt: p.last } : {}),
      },
    });
  }
}

/** ApiKey.lastUsedAt moves forward to the newest call stored for the key (any result, as AWS counts "last used"). */
async function touchLastUsed(tx: Tx, rows: readonly IngestRow[]) {
  const latest = new Map<string, Date>();
  for (const { event, resolution } of rows) {
    if (!resolution.apiKeyId) continue;
    const prev = latest.get(resolution.apiKeyId);
    if (!prev || prev < event.eventTime) latest.set(resolution.apiKeyId, event.eventTime);
  }
  for (const [id, at] of latest) {
    await tx.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } });
  }
}
