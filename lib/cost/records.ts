/**
 * Invocation-log record → the metadata the console keeps, and the transaction that stores a batch
 * of them with their rollups. Only metadata is read: `input.inputBodyJson`, `output.outputBodyJson`
 * and any other body the account may log are never copied anywhere.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { obj, str, utcDay } from "@/lib/usage/normalize";
import type { Attribution } from "./attribute";
import type { Costing, TokenCounts } from "./prices";

export interface InvocationFacts extends TokenCounts {
  requestId: string;
  timestamp: Date;
  accountId: string;
  region: string;
  inferenceRegion: string;
  operation: string;
  modelId: string;
  identityArn: string;
}

type Json = Record<string, unknown>;
/** Token counts are non-negative integers; anything else counts as 0 rather than poisoning a sum. */
const count = (v: unknown): number => (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 2_000_000_000 ? v : 0);
const clip = (v: string, max: number) => (v.length > max ? v.slice(0, max) : v);

/**
 * The metadata of one log event's message (AWS's ModelInvocationLog schema), or null for anything
 * else in the group (other schemas, malformed JSON, a record without request id or identity).
 * `eventTimestamp` (the log event's own ms) is used when the record's second-precision timestamp
 * is missing.
 */
export function parseInvocationLog(message: string, eventTimestamp: number | undefined, fallback: { accountId: string; region: string }): InvocationFacts | null {
  let r: Json | undefined;
  try {
    r = obj(JSON.parse(message));
  } catch {
    return null;
  }
  if (!r || r.schemaType !== "ModelInvocationLog") return null;
  const requestId = str(r.requestId);
  const arn = str(obj(r.identity)?.arn);
  const modelId = str(r.modelId);
  if (!requestId || !arn || !modelId) return null;
  // The event's timestamp keeps the milliseconds the record's ISO string drops.
  const time = eventTimestamp !== undefined ? new Date(eventTimestamp) : new Date(str(r.timestamp) ?? "");
  if (Number.isNaN(time.getTime())) return null;
  const input = obj(r.input) ?? {};
  const output = obj(r.output) ?? {};
  return {
    requestId: clip(requestId, 128),
    timestamp: time,
    accountId: clip(str(r.accountId) ?? fallback.accountId, 32),
    region: clip(str(r.region) ?? fallback.region, 32),
    inferenceRegion: clip(str(r.inferenceRegion) ?? "", 32),
    operation: clip(str(r.operation) ?? "", 128),
    modelId: clip(modelId, 512),
    identityArn: clip(arn, 1024),
    inputTokens: count(input.inputTokenCount),
    outputTokens: count(output.outputTokenCount),
    cacheReadTokens: count(input.cacheReadInputTokenCount),
    cacheWriteTokens: count(input.cacheWriteInputTokenCount),
  };
}

export interface CostRow {
  facts: InvocationFacts;
  who: Attribution;
  cost: Costing & { priceModelId: string };
}

type Tx = Prisma.TransactionClient;

/** Rows per INSERT: 22 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 1000;

/**
 * Stores a batch of records and adds exactly the inserted ones to CostDaily, CostDailySubject, CostMonthlySubject and CostDailyModel, in
 * one transaction with `alsoInTransaction` (the cursor): a record read twice (overlap, resume,
 * duplicate delivery) is stored and counted once, so the rollups always equal a recount.
 */
export async function commitRecords(db: PrismaClient, rows: readonly CostRow[], alsoInTransaction?: (tx: Tx) => Promise<void>): Promise<{ inserted: number }> {
  // A duplicate inside one statement would be an error: the first copy wins.
  const unique = [...new Map(rows.map((r) => [r.facts.requestId, r])).values()];
  return db.$transaction(
    async (tx) => {
      const fresh: CostRow[] = [];
      for (let i = 0; i < unique.length; i += CHUNK) fresh.push(...(await insertNew(tx, unique.slice(i, i + CHUNK))));
      if (fresh.length > 0) await addToRollups(tx, fresh);
      if (alsoInTransaction) await alsoInTransaction(tx);
      return { inserted: fresh.length };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

async function insertNew(tx: Tx, rows: readonly CostRow[]): Promise<CostRow[]> {
  if (rows.length === 0) return [];
  const values = rows.map(({ facts: f, who, cost }) => {
    return Prisma.sql`(${f.requestId}, ${f.timestamp}, ${utcDay(f.timestamp)}, ${f.accountId}, ${f.region}, ${f.inferenceRegion}, ${f.operation}, ${f.modelId}, ${cost.priceModelId}, ${f.identityArn}, ${who.subject}, ${who.identityType}, ${who.apiKeyId}, ${who.userId}, ${f.inputTokens}, ${f.outputTokens}, ${f.cacheReadTokens}, ${f.cacheWriteTokens}, ${cost.costUsd}, ${cost.priceId}, ${cost.unpricedReason})`;
  });
  const inserted = await tx.$queryRaw<{ requestId: string }[]>`
    INSERT INTO "InvocationRecord" ("requestId", "timestamp", "day", "accountId", "region", "inferenceRegion", "operation", "modelId", "priceModelId", "identityArn", "subject", "identityType", "apiKeyId", "userId", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "priceId", "unpricedReason")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("requestId") DO NOTHING
    RETURNING "requestId"`;
  const ids = new Set(inserted.map((i) => i.requestId));
  return rows.filter((r) => ids.has(r.facts.requestId));
}

interface Sums {
  identityType: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  unpricedCalls: number;
}

/** The rollups' model: the price model when known, else the model as logged (CostDaily.modelId). */
export const rollupModelId = (r: Pick<CostRow, "facts" | "cost">) => r.cost.priceModelId || r.facts.modelId;

export function costDailyKey(r: CostRow) {
  return { day: utcDay(r.facts.timestamp), subject: r.who.subject, accountId: r.facts.accountId, modelId: rollupModelId(r), region: r.facts.region };
}

export function costDailySubjectKey(r: CostRow) {
  return { day: utcDay(r.facts.timestamp), subject: r.who.subject };
}

export function costMonthlySubjectKey(r: CostRow) {
  return { month: utcDay(r.facts.timestamp).slice(0, 7), subject: r.who.subject };
}

export function costDailyModelKey(r: CostRow) {
  return { day: utcDay(r.facts.timestamp), accountId: r.facts.accountId, modelId: rollupModelId(r), region: r.facts.region, identityType: r.who.identityType };
}

function sumBy<K>(rows: readonly CostRow[], keyOf: (r: CostRow) => K): { key: K; sums: Sums }[] {
  const groups = new Map<string, { key: K; sums: Sums }>();
  for (const r of rows) {
    const key = keyOf(r);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) {
      g = { key, sums: { identityType: r.who.identityType, calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, unpricedCalls: 0 } };
      groups.set(id, g);
    }
    const s = g.sums;
    s.calls++;
    s.inputTokens += r.facts.inputTokens;
    s.outputTokens += r.facts.outputTokens;
    s.cacheReadTokens += r.facts.cacheReadTokens;
    s.cacheWriteTokens += r.facts.cacheWriteTokens;
    if (r.cost.costUsd === null) s.unpricedCalls++;
    else s.costUsd += r.cost.costUsd;
  }
  // One order for every transaction, so concurrent commits take the rows' locks in the same order (no PostgreSQL deadlock).
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

const ADD = (table: string) =>
  Prisma.raw(
    ["calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls"].map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(", "),
  );

/** Set-based upserts (INSERT … ON CONFLICT DO UPDATE, which SQLite and PostgreSQL both speak): a batch costs a few statements. */
async function addToRollups(tx: Tx, rows: readonly CostRow[]) {
  const daily = sumBy(rows, costDailyKey);
  for (let i = 0; i < daily.length; i += CHUNK) {
    const values = daily.slice(i, i + CHUNK).map(
      ({ key: k, sums: s }) =>
        Prisma.sql`(${k.day}, ${k.subject}, ${s.identityType}, ${k.accountId}, ${k.modelId}, ${k.region}, ${s.calls}, ${s.inputTokens}, ${s.outputTokens}, ${s.cacheReadTokens}, ${s.cacheWriteTokens}, ${s.costUsd}, ${s.unpricedCalls})`,
    );
    await tx.$executeRaw`
      INSERT INTO "CostDaily" ("day", "subject", "identityType", "accountId", "modelId", "region", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("day", "subject", "accountId", "modelId", "region") DO UPDATE SET ${ADD("CostDaily")}`;
  }
  // Beside CostDaily, as UsageDailySubject beside UsageDaily: the rankings read this one (no model, account or region).
  const bySubject = sumBy(rows, costDailySubjectKey);
  for (let i = 0; i < bySubject.length; i += CHUNK) {
    const values = bySubject.slice(i, i + CHUNK).map(
      ({ key: k, sums: s }) =>
        Prisma.sql`(${k.day}, ${k.subject}, ${s.identityType}, ${s.calls}, ${s.inputTokens}, ${s.outputTokens}, ${s.cacheReadTokens}, ${s.cacheWriteTokens}, ${s.costUsd}, ${s.unpricedCalls})`,
    );
    await tx.$executeRaw`
      INSERT INTO "CostDailySubject" ("day", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("day", "subject") DO UPDATE SET ${ADD("CostDailySubject")}`;
  }
  // The same sums per UTC month: a day range is read as whole months plus or minus a few days (ranges.ts).
  const byMonth = sumBy(rows, costMonthlySubjectKey);
  for (let i = 0; i < byMonth.length; i += CHUNK) {
    const values = byMonth.slice(i, i + CHUNK).map(
      ({ key: k, sums: s }) =>
        Prisma.sql`(${k.month}, ${k.subject}, ${s.identityType}, ${s.calls}, ${s.inputTokens}, ${s.outputTokens}, ${s.cacheReadTokens}, ${s.cacheWriteTokens}, ${s.costUsd}, ${s.unpricedCalls})`,
    );
    await tx.$executeRaw`
      INSERT INTO "CostMonthlySubject" ("month", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("month", "subject") DO UPDATE SET ${ADD("CostMonthlySubject")}`;
  }
  const byModel = sumBy(rows, costDailyModelKey);
  for (let i = 0; i < byModel.length; i += CHUNK) {
    const values = byModel.slice(i, i + CHUNK).map(
      ({ key: k, sums: s }) =>
        Prisma.sql`(${k.day}, ${k.accountId}, ${k.modelId}, ${k.region}, ${k.identityType}, ${s.calls}, ${s.inputTokens}, ${s.outputTokens}, ${s.cacheReadTokens}, ${s.cacheWriteTokens}, ${s.costUsd}, ${s.unpricedCalls})`,
    );
    await tx.$executeRaw`
      INSERT INTO "CostDailyModel" ("day", "accountId", "modelId", "region", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("day", "accountId", "modelId", "region", "identityType") DO UPDATE SET ${ADD("CostDailyModel")}`;
  }
}

/**
 * The rollups recounted from InvocationRecord, in the rollups' shape: tests (and an operator's
 * check) compare them with the stored ones.
 */
export async function recountCost(db: PrismaClient) {
  const records = await db.invocationRecord.findMany();
  const rows: CostRow[] = records.map((r) => ({
    facts: { ...r, identityArn: r.identityArn },
    who: { subject: r.subject, identityType: r.identityType as Attribution["identityType"], apiKeyId: r.apiKeyId, userId: r.userId },
    cost: { priceModelId: r.priceModelId, costUsd: r.costUsd, priceId: r.priceId, unpricedReason: r.unpricedReason as Costing["unpricedReason"] },
  }));
  return {
    daily: sumBy(rows, costDailyKey),
    bySubject: sumBy(rows, costDailySubjectKey),
    byMonth: sumBy(rows, costMonthlySubjectKey),
    byModel: sumBy(rows, costDailyModelKey),
  };
}
