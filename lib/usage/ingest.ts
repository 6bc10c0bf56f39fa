import { type JsonColumn, jsonRowSource, pgJsonRowSource, quotedColumns } from "@/lib/db/dialect";
import { type PgTransactionConnection, pgTransaction } from "@/lib/db/pg-connection";
import { preparedInTransaction, type SqliteConnection, sqliteConnectionOf } from "@/lib/db/sqlite-connection";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { NormalizedEvent } from "./normalize";
import type { Resolution } from "./resolve";

export interface IngestRow {
  event: NormalizedEvent;
  /** The CloudTrail record as read (JSON text), kept for the drill-down. */
  raw: string;
  resolution: Resolution;
}

type Tx = Prisma.TransactionClient;

/** The rows a page stored (not already there), each with its UsageEvent row id (its raw record's key). */
interface Inserted {
  rows: IngestRow[];
  ids: (number | bigint)[];
}

/**
 * Stores one page of events and moves the region's cursor, in one transaction: either the rows
 * and the cursor both land, or neither does, so a crash never loses a page or skips past it.
 * Events already stored (an overlapping or resumed read) are left out before anything is counted,
 * so rollups, subjects, source IPs and "last used" only ever see each event once.
 */
export async function commitPage(
  db: PrismaClient,
  /** The cursor moved: a region of the console's own account, or an account's region (issue 14). */
  stream: string | { accountId: string; region: string },
  rows: readonly IngestRow[],
  resumeBefore: Date | null,
  { alsoInTransaction, alsoRows = [] }: AlsoInPage = {},
): Promise<{ inserted: number }> {
  return pgTransaction(db, async (tx, pg) => {
    // SQLite: the rows go to the adapter's own connection as prepared statements, synchronously
    // and inside this transaction (lib/db/sqlite-connection.ts); PostgreSQL: set-based statements
    // on the transaction's own connection (lib/db/pg-connection.ts), three for the whole page.
    const sqlite = sqliteConnectionOf(db);
    const inserted = sqlite ? insertNewOn(sqlite, rows) : pg ? await insertNewPg(pg, rows) : await insertNew(tx, rows);
    const fresh = inserted.rows;
    const raw = rawRows(inserted);
    // PostgreSQL: the raw records, most of a page's bytes, by COPY (see rawRows).
    if (pg && raw.rows.length > 0) await pg.copyFrom(raw.table, raw.columns, raw.rows);
    const plain = (t: TableRows): RowsWrite => ({ ...t, tail: "" });
    const writes = [
      ...(!pg && raw.rows.length > 0 ? [plain(raw)] : []),
      ...(fresh.length > 0 ? pageWrites(inserted) : []),
      ...alsoRows.filter((t) => t.rows.length > 0).map(plain),
    ];
    if (writes.length > 0) {
      if (pg) await writeAllPg(pg, writes);
      else
        for (const write of writes) {
          if (sqlite) runOn(sqlite, write);
          else await tx.$executeRaw`INSERT INTO ${Prisma.raw(`"${write.table}" (${quotedColumns(write.columns)})`)} ${jsonRowSource(tx, write.rows, write.types)} ${Prisma.raw(write.tail)}`;
        }
    }
    if (fresh.length > 0) await touchLastUsed(tx, fresh, sqlite, pg);
    const key = typeof stream === "string" ? { accountId: "", region: stream } : stream;
    if (resumeBefore) await tx.usageSyncCursor.update({ where: { accountId_region: key }, data: { resumeBefore } });
    if (alsoInTransaction) await alsoInTransaction(tx);
    return { inserted: fresh.length };
  });
}

/** What else must land with a page, or not at all (the trail's cursor and "files read", issue 19). */
export interface AlsoInPage {
  /** More writes in the page's transaction, after its rows. */
  alsoInTransaction?: (tx: Tx) => Promise<void>;
  /**
   * More rows to insert with the page, written as its own rows are (the trail's "files read"):
   * a Prisma createMany of a batch's 80-odd files cost ≈ 8 ms a transaction on SQLite.
   */
  alsoRows?: readonly TableRows[];
}

/** Rows for one table: each an array of column values in `columns`' order, typed by `types`. */
export interface TableRows {
  table: string;
  columns: readonly string[];
  types: readonly JsonColumn[];
  rows: readonly (readonly unknown[])[];
}

/**
 * One set-based write of a page: `INSERT INTO table (columns) <rows> tail`, the rows in key order
 * (see inKeyOrder), `tail` its ON CONFLICT.
 */
interface RowsWrite extends TableRows {
  tail: string;
}

/**
 * The fresh events' CloudTrail records, keyed by their UsageEvent row id: about 1.2 KB an event,
 * most of what a page writes. PostgreSQL takes them by COPY: as rows of the page's JSON parameter
 * they were escaped once more in it (JSON in JSON), parsed back by jsonb and inserted one row at a
 * time; COPY reads them as they are and inserts a page of the table at a time (PostgreSQL's CPU
 * a quarter to a third lower in the trail ingest: docs/operations.md, "The raw records by COPY").
 */
function rawRows({ rows: fresh, ids }: Inserted): TableRows & { rows: (readonly [number | bigint, string])[] } {
  return { table: "UsageEventRaw", columns: ["id", "json"], types: ["int", "text"], rows: fresh.map((r, i) => [ids[i]!, r.raw] as const) };
}

/** Everything a page's fresh events add besides the events themselves and their raw records: rollups, subjects, source IPs. */
function pageWrites({ rows: fresh }: Inserted): RowsWrite[] {
  const events = fresh.map((r) => r.event);
  const writes: RowsWrite[] = [
    ...rollupWrites(events),
    subjectsWrite(fresh),
  ];
  const ips = sourceIpsWrite(events);
  if (ips.rows.length > 0) writes.push(ips);
  return writes;
}

/** A write as one prepared statement run per row, on the SQLite connection inside the page's transaction. */
function runOn(sqlite: SqliteConnection, write: RowsWrite): void {
  const stmt = preparedInTransaction(
    sqlite,
    `INSERT INTO "${write.table}" (${quotedColumns(write.columns)}) VALUES (${write.columns.map(() => "?").join(", ")}) ${write.tail}`,
  );
  for (const row of write.rows) stmt.run(row.map(sqliteValue));
}

/**
 * PostgreSQL: all of a page's writes besides the events in ONE statement (data-modifying WITH
 * clauses, one JSON parameter each), sent on the transaction's connection: one round trip instead
 * of nine, and no parameter passes through Prisma. PostgreSQL does not promise an order among
 * the clauses, and none needs one: each writes its own table and none reads another's rows (they
 * share one snapshot); every page's statement has the same shape, so concurrent pages take their
 * tables' row locks in the same order.
 */
async function writeAllPg(pg: PgTransactionConnection, writes: readonly RowsWrite[]): Promise<void> {
  const values: string[] = [];
  const clauses = writes.map((write, i) => {
    const source = pgJsonRowSource(write.rows, write.types, values.length + 1);
    values.push(source.value);
    return `w${i} AS (INSERT INTO "${write.table}" (${quotedColumns(write.columns)}) ${source.sql} ${write.tail})`;
  });
  await pg.query(`WITH ${clauses.join(", ")} SELECT 1`, values);
}

/** A value as the Prisma adapter binds it on SQLite: dates as ISO text with an explicit offset, booleans as 0/1. */
function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

const EVENT_COLUMN_LIST = quotedColumns([
  "eventId", "eventTime", "day", "region", "inferenceRegion", "eventName", "modelId", "identityType", "principalArn", "principalName",
  "sourceIdentity", "accessKeyId", "subject", "apiKeyId", "userId", "sourceIp", "userAgent", "errorCode", "errorMessage", "result", "keyRefused", "api", "endpoint", "project",
]);
const EVENT_COLUMNS = Prisma.raw(EVENT_COLUMN_LIST);
/** An event stored already (the schema's @@unique([eventTime, eventId])) is left as it is. */
const EVENT_CONFLICT = `ON CONFLICT ("eventTime", "eventId") DO NOTHING`;

/**
 * Inserts the page's events, skipping any already stored (unique (eventTime, eventId), ON CONFLICT
 * DO NOTHING: the same CloudTrail record always has the same time, from LookupEvents or the trail),
 * and returns exactly the rows that were inserted, with their row ids: only those are
 * counted anywhere. PostgreSQL: one statement for the page, its rows as one JSON parameter
 * (jsonRowSource).
 */
async function insertNew(tx: Tx, rows: readonly IngestRow[]): Promise<Inserted> {
  const unique = uniqueRows(rows);
  if (unique.length === 0) return { rows: [], ids: [] };
  const inserted = await tx.$queryRaw<{ id: number; eventId: string }[]>`
    INSERT INTO "UsageEvent" (${EVENT_COLUMNS}) ${jsonRowSource(tx, unique.map(eventValues), EVENT_TYPES)}
    ${Prisma.raw(EVENT_CONFLICT)}
    RETURNING "id", "eventId"`;
  return insertedOf(unique, inserted);
}

/** The same on the PostgreSQL transaction's own connection (lib/db/pg-connection.ts). */
async function insertNewPg(pg: PgTransactionConnection, rows: readonly IngestRow[]): Promise<Inserted> {
  const unique = uniqueRows(rows);
  if (unique.length === 0) return { rows: [], ids: [] };
  const source = pgJsonRowSource(unique.map(eventValues), EVENT_TYPES, 1);
  const inserted = await pg.query<{ id: number; eventId: string }>(`INSERT INTO "UsageEvent" (${EVENT_COLUMN_LIST}) ${source.sql} ${EVENT_CONFLICT} RETURNING "id", "eventId"`, [source.value]);
  return insertedOf(unique, inserted);
}

/** The page's rows that a RETURNING answered for, in the page's order, with their row ids. */
function insertedOf(unique: readonly IngestRow[], returned: readonly { id: number | bigint; eventId: string }[]): Inserted {
  const idOf = new Map(returned.map((r) => [r.eventId, r.id]));
  const result: Inserted = { rows: [], ids: [] };
  for (const row of unique) {
    const id = idOf.get(row.event.eventId);
    if (id === undefined) continue;
    result.rows.push(row);
    result.ids.push(id);
  }
  return result;
}

/** The same on SQLite's connection: one prepared insert per event; a run that changed no row met a stored event. */
function insertNewOn(sqlite: SqliteConnection, rows: readonly IngestRow[]): Inserted {
  const stmt = preparedInTransaction(
    sqlite,
    `INSERT INTO "UsageEvent" (${EVENT_COLUMN_LIST}) VALUES (${EVENT_TYPES.map(() => "?").join(", ")}) ${EVENT_CONFLICT}`,
  );
  const result: Inserted = { rows: [], ids: [] };
  for (const row of uniqueRows(rows)) {
    const { changes, lastInsertRowid } = stmt.run(eventValues(row).map(sqliteValue));
    if (changes !== 1) continue;
    result.rows.push(row);
    result.ids.push(lastInsertRowid);
  }
  return result;
}

// A page never repeats an event, but a duplicate within one statement would be an error.
const uniqueRows = (rows: readonly IngestRow[]) => [...new Map(rows.map((r) => [r.event.eventId, r])).values()];

const eventValues = ({ event: e, resolution: r }: IngestRow) => [
  e.eventId, e.eventTime, e.day, e.region, e.inferenceRegion, e.eventName, e.modelId, e.identityType, e.principalArn, e.principalName,
  e.sourceIdentity, e.accessKeyId, e.subject, r.apiKeyId, r.userId, e.sourceIp, e.userAgent, e.errorCode, e.errorMessage, e.result, e.keyRefused, e.api, e.endpoint, e.project,
];

const EVENT_TYPES = [
  "text", "time", "text", "text", "text", "text", "text", "text", "text", "text",
  "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "bool", "text", "text", "text",
] as const;

/**
 * The rollup keys of an event, one per rollup table: each table's unique key (identityType, where
 * a table has it but not in its key, follows from the subject). The recount (rollups.ts) groups
 * the stored events by the same columns in SQL.
 */
function rollupKey(e: Pick<NormalizedEvent, "day" | "subject" | "modelId" | "region" | "inferenceRegion" | "result">) {
  return { day: e.day, subject: e.subject, modelId: e.modelId, region: e.region, inferenceRegion: e.inferenceRegion, result: e.result };
}

function modelRollupKey(e: Pick<NormalizedEvent, "day" | "modelId" | "result" | "identityType" | "region" | "inferenceRegion">) {
  return { day: e.day, modelId: e.modelId, result: e.result, identityType: e.identityType, region: e.region, inferenceRegion: e.inferenceRegion };
}

function apiRollupKey(e: Pick<NormalizedEvent, "day" | "subject" | "api" | "endpoint" | "project" | "result">) {
  return { day: e.day, subject: e.subject, api: e.api, endpoint: e.endpoint, project: e.project, result: e.result };
}

function apiAllRollupKey(e: Pick<NormalizedEvent, "day" | "api" | "endpoint" | "identityType" | "result">) {
  return { day: e.day, api: e.api, endpoint: e.endpoint, identityType: e.identityType, result: e.result };
}

function subjectRollupKey(e: Pick<NormalizedEvent, "day" | "subject" | "result">) {
  return { day: e.day, subject: e.subject, result: e.result };
}

/** Events that agree on every column a rollup keys on: one example and how many. */
interface EventGroup {
  event: NormalizedEvent;
  calls: number;
}

/**
 * A page's events grouped at the finest grain any rollup needs: each rollup then sums a few
 * hundred groups instead of keying every event once per table. Keyed by the JSON of the values,
 * so no value can run into the next.
 */
function finestGroups(events: readonly NormalizedEvent[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const e of events) {
    const id = JSON.stringify([e.day, e.subject, e.identityType, e.modelId, e.region, e.inferenceRegion, e.result, e.api, e.endpoint, e.project]);
    const group = groups.get(id);
    if (group) group.calls++;
    else groups.set(id, { event: e, calls: 1 });
  }
  return [...groups.values()];
}

/** Counts per distinct key (JSON of the key object), keeping one example event for the extra columns. */
function countBy<K>(groups: readonly EventGroup[], keyOf: (e: NormalizedEvent) => K) {
  const counts = new Map<string, { key: K; identityType: string; calls: number }>();
  for (const { event: e, calls } of groups) {
    const key = keyOf(e);
    const id = JSON.stringify(key);
    const count = counts.get(id);
    if (count) count.calls += calls;
    else counts.set(id, { key, identityType: e.identityType, calls });
  }
  return inKeyOrder(counts);
}

/**
 * Rows in one order for every transaction: concurrent commits (regions, accounts, trail streams)
 * then take the rollup rows' locks in the same order, so PostgreSQL never finds them deadlocked.
 */
function inKeyOrder<V>(groups: Map<string, V>): V[] {
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/**
 * The rollups: daily at the full grain (any filter combination), without the subject (an admin's
 * unfiltered charts), per subject only (top keys and people), per subject and month, and by door.
 * Each is incremented by the events actually inserted, one upsert per table (INSERT … ON CONFLICT
 * DO UPDATE, which SQLite and PostgreSQL both speak) of one row per distinct key.
 */
function rollupWrites(events: readonly NormalizedEvent[]): RowsWrite[] {
  const groups = finestGroups(events);
  return [
    rollup("UsageDaily", ["day", "subject", "identityType", "modelId", "region", "inferenceRegion", "result"], ["day", "subject", "modelId", "region", "inferenceRegion", "result"],
      countBy(groups, rollupKey).map(({ key: k, identityType, calls }) => [k.day, k.subject, identityType, k.modelId, k.region, k.inferenceRegion, k.result, calls])),
    rollup("UsageDailyModel", ["day", "modelId", "result", "identityType", "region", "inferenceRegion"], ["day", "modelId", "result", "identityType", "region", "inferenceRegion"],
      countBy(groups, modelRollupKey).map(({ key: k, calls }) => [k.day, k.modelId, k.result, k.identityType, k.region, k.inferenceRegion, calls])),
    rollup("UsageDailySubject", ["day", "subject", "result", "identityType"], ["day", "subject", "result"],
      countBy(groups, subjectRollupKey).map(({ key: k, identityType, calls }) => [k.day, k.subject, k.result, identityType, calls])),
    // The same counts per UTC month: "top keys and people" over a range reads whole months ± edge days.
    rollup("UsageMonthlySubject", ["month", "subject", "result", "identityType"], ["month", "subject", "result"],
      countBy(groups, (e) => ({ month: e.day.slice(0, 7), subject: e.subject, result: e.result })).map(({ key: k, identityType, calls }) => [k.month, k.subject, k.result, identityType, calls])),
    // By door (issue 19): per subject, and without it for unfiltered views.
    rollup("UsageDailyApi", ["day", "subject", "identityType", "api", "endpoint", "project", "result"], ["day", "subject", "api", "endpoint", "project", "result"],
      countBy(groups, apiRollupKey).map(({ key: k, identityType, calls }) => [k.day, k.subject, identityType, k.api, k.endpoint, k.project, k.result, calls])),
    rollup("UsageDailyApiAll", ["day", "api", "endpoint", "identityType", "result"], ["day", "api", "endpoint", "identityType", "result"],
      countBy(groups, apiAllRollupKey).map(({ key: k, calls }) => [k.day, k.api, k.endpoint, k.identityType, k.result, calls])),
  ];
}

/** A rollup table's upsert: its text key columns, then "calls", added to the stored count on a key already there. */
function rollup(table: string, keyColumns: readonly string[], conflict: readonly string[], rows: RowsWrite["rows"]): RowsWrite {
  return {
    table,
    columns: [...keyColumns, "calls"],
    types: [...keyColumns.map((): JsonColumn => "text"), "int"],
    rows,
    tail: `ON CONFLICT (${quotedColumns(conflict)}) DO UPDATE SET "calls" = "${table}"."calls" + excluded."calls"`,
  };
}

/** Earliest and latest time per group of events. */
function spanBy(events: readonly NormalizedEvent[], keyOf: (e: NormalizedEvent) => string | null) {
  const groups = new Map<string, { first: NormalizedEvent; firstAt: Date; lastAt: Date; calls: number }>();
  for (const e of events) {
    const id = keyOf(e);
    if (id === null) continue;
    const g = groups.get(id);
    if (!g) groups.set(id, { first: e, firstAt: e.eventTime, lastAt: e.eventTime, calls: 1 });
    else {
      g.calls++;
      if (e.eventTime < g.firstAt) g.firstAt = e.eventTime;
      if (e.eventTime > g.lastAt) g.lastAt = e.eventTime;
    }
  }
  return inKeyOrder(groups);
}

/** One row per subject: first and last call, and the key or person it resolved to (kept once known). */
function subjectsWrite(rows: readonly IngestRow[]): RowsWrite {
  const resolution = new Map(rows.map((r) => [r.event.subject, r.resolution]));
  const values = spanBy(
    rows.map((r) => r.event),
    (e) => e.subject,
  ).map(({ first: e, firstAt, lastAt }) => {
    const r = resolution.get(e.subject)!;
    // Subject level: a key subject resolves to the key, an identity to the person.
    const apiKeyId = e.subject.startsWith("key:") ? r.apiKeyId : null;
    const userId = e.subject.startsWith("key:") ? null : r.userId;
    return [e.subject, e.identityType, e.principalName, e.principalArn, e.sourceIdentity, apiKeyId, userId, firstAt, lastAt];
  });
  return {
    table: "UsageSubject",
    columns: ["subject", "identityType", "principalName", "principalArn", "sourceIdentity", "apiKeyId", "userId", "firstSeenAt", "lastSeenAt"],
    types: ["text", "text", "text", "text", "text", "text", "text", "time", "time"],
    rows: values,
    tail: `ON CONFLICT ("subject") DO UPDATE SET
      "firstSeenAt" = CASE WHEN excluded."firstSeenAt" < "UsageSubject"."firstSeenAt" THEN excluded."firstSeenAt" ELSE "UsageSubject"."firstSeenAt" END,
      "lastSeenAt" = CASE WHEN excluded."lastSeenAt" > "UsageSubject"."lastSeenAt" THEN excluded."lastSeenAt" ELSE "UsageSubject"."lastSeenAt" END,
      "apiKeyId" = COALESCE("UsageSubject"."apiKeyId", excluded."apiKeyId"),
      "userId" = COALESCE("UsageSubject"."userId", excluded."userId")`,
  };
}

/** Source addresses per subject with first and last use (first use may arrive later: pages go newest first). */
function sourceIpsWrite(events: readonly NormalizedEvent[]): RowsWrite {
  return {
    table: "UsageSourceIp",
    columns: ["subject", "sourceIp", "firstSeenAt", "lastSeenAt", "calls"],
    types: ["text", "text", "time", "time", "int"],
    rows: spanBy(events, (e) => (e.sourceIp ? `${e.subject}\u0000${e.sourceIp}` : null)).map(({ first: e, firstAt, lastAt, calls }) => [e.subject, e.sourceIp, firstAt, lastAt, calls]),
    tail: `ON CONFLICT ("subject", "sourceIp") DO UPDATE SET
      "calls" = "UsageSourceIp"."calls" + excluded."calls",
      "firstSeenAt" = CASE WHEN excluded."firstSeenAt" < "UsageSourceIp"."firstSeenAt" THEN excluded."firstSeenAt" ELSE "UsageSourceIp"."firstSeenAt" END,
      "lastSeenAt" = CASE WHEN excluded."lastSeenAt" > "UsageSourceIp"."lastSeenAt" THEN excluded."lastSeenAt" ELSE "UsageSourceIp"."lastSeenAt" END`,
  };
}

/**
 * ApiKey.lastUsedAt moves forward to the newest call stored for the key (any result, as AWS counts
 * "last used"), and updatedAt with it as Prisma's @updatedAt would: one prepared statement run per
 * key on SQLite's connection, one statement for the page on PostgreSQL's (a Prisma updateMany per
 * key cost more than the rows' own inserts).
 */
async function touchLastUsed(tx: Tx, rows: readonly IngestRow[], sqlite: SqliteConnection | undefined, pg: PgTransactionConnection | undefined) {
  const latest = new Map<string, Date>();
  for (const { event, resolution } of rows) {
    if (!resolution.apiKeyId) continue;
    const prev = latest.get(resolution.apiKeyId);
    if (!prev || prev < event.eventTime) latest.set(resolution.apiKeyId, event.eventTime);
  }
  const keys = [...latest].sort(([a], [b]) => (a < b ? -1 : 1));
  if (keys.length === 0) return;
  const now = new Date();
  if (sqlite) {
    const stmt = preparedInTransaction(sqlite, `UPDATE "ApiKey" SET "lastUsedAt" = ?, "updatedAt" = ? WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`);
    for (const [id, at] of keys) stmt.run([sqliteValue(at), sqliteValue(now), id, sqliteValue(at)]);
  } else if (pg) {
    const source = pgJsonRowSource(keys, ["text", "time"], 1);
    await pg.query(
      `UPDATE "ApiKey" AS k SET "lastUsedAt" = s."c1", "updatedAt" = $2::timestamp(3) FROM (${source.sql}) AS s WHERE k."id" = s."c0" AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < s."c1")`,
      [source.value, now.toISOString()],
    );
  } else {
    for (const [id, at] of keys) await tx.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } });
  }
}
