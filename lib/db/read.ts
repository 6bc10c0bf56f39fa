import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { ReadPool } from "./sqlite-readers";

const POOLS = Symbol.for("bedrock-key-console.sqlite-read-pools");

/**
 * The SQLite read pool of each client that has one (lib/db/client.ts registers it). Keyed by the
 * client object itself: a transaction client is another object, so reads inside a transaction —
 * which must see that transaction's own writes — never reach the pool. Kept on globalThis: the
 * built app may hold this module more than once (one copy per bundle layer), and the copy that
 * created the client is not always the one a page's queries import.
 */
const registry = globalThis as unknown as { [POOLS]?: WeakMap<object, ReadPool> };
const pools = (registry[POOLS] ??= new WeakMap<object, ReadPool>());

export function registerReadPool(db: object, pool: ReadPool): void {
  pools.set(db, pool);
}

export const readPoolOf = (db: object): ReadPool | undefined => pools.get(db);

/**
 * A read-only statement for the dashboards (issue 15): on SQLite it runs on a reader connection on
 * another thread (./sqlite-readers.ts), so a page's reads run side by side and the event loop stays
 * free; on PostgreSQL — and on SQLite when the pool cannot take it — it is Prisma's `$queryRaw`.
 * Rows come back with SQLite's or PostgreSQL's own value types (numbers may be bigints on
 * PostgreSQL): callers convert, as they do for `$queryRaw`.
 */
export async function readRows<T>(db: PrismaClient, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  const values = pool?.usable ? query.values.map(sqliteValue) : null;
  if (pool && values?.every((v) => v !== UNBINDABLE)) {
    try {
      return (await pool.all(query.sql, values)) as T[];
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === "ReaderQueryError") throw new Error(`SQLite read failed: ${(error as Error).message}`, { cause: error });
      if (name !== "ReaderUnavailable") throw error;
    }
  }
  return db.$queryRaw<T[]>(query);
}

const UNBINDABLE = Symbol("unbindable");

/**
 * A parameter as Prisma's SQLite adapter binds it — with the adapter's default `timestampFormat`
 * (ISO 8601), which lib/db/client.ts keeps: a date as ISO text with "+00:00", a boolean as 1 or 0.
 * Anything else (bytes, objects) is UNBINDABLE and the statement goes through Prisma. Rows come back
 * as SQLite stores them: a DateTime column is that text (`new Date(…)` reads it).
 */
const sqliteValue = (v: unknown): unknown => {
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint" || v === null) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  return UNBINDABLE;
};

/** A condition of groupSums; `undefined` or `false` entries are left out. */
export type Condition = Prisma.Sql | undefined | false;

const identifier = (name: string) => {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`not a column or table name: ${name}`);
  return Prisma.raw(`"${name}"`);
};

/** Conditions for groupSums, on the columns the code names (never a user's text). */
export const where = {
  eq: (column: string, value: string | number): Prisma.Sql => Prisma.sql`${identifier(column)} = ${value}`,
  /** An empty list matches nothing, as Prisma's `in: []` does. */
  in: (column: string, values: readonly (string | number)[]): Prisma.Sql =>
    values.length ? Prisma.sql`${identifier(column)} IN (${Prisma.join(values)})` : Prisma.sql`1 = 0`,
  between: (column: string, from: string, to: string): Prisma.Sql => Prisma.sql`${identifier(column)} >= ${from} AND ${identifier(column)} <= ${to}`,
  /** From an instant (included) to another (excluded): a DateTime column's span. */
  during: (column: string, from: Date, until: Date): Prisma.Sql => Prisma.sql`${identifier(column)} >= ${from} AND ${identifier(column)} < ${until}`,
};

/**
 * `SELECT <by…>, SUM(<sums…>) FROM <table> WHERE … GROUP BY <by…>` through readRows: what Prisma's
 * groupBy with `_sum` answers, as plain rows — each sum a number (0 where SQL's SUM is NULL) — and
 * on SQLite off the event loop. The rollups' charts read this way.
 */
export async function groupSums<B extends string, S extends string>(
  db: PrismaClient,
  table: string,
  by: readonly B[],
  sums: readonly S[],
  conditions: readonly Condition[],
): Promise<(Record<B, string> & Record<S, number>)[]> {
  return grouped(db, table, by, sums.map((s) => Prisma.sql`SUM(${identifier(s)}) AS ${identifier(s)}`), sums, conditions);
}

/**
 * `SELECT <by…>, COUNT(*) AS <as> FROM <table> WHERE … GROUP BY <by…>` through readRows, as
 * groupSums answers: the charts that count the events themselves (a door or a model filter the
 * rollups do not have) read this way, off the event loop on SQLite.
 */
export async function groupCounts<B extends string, C extends string>(
  db: PrismaClient,
  table: string,
  by: readonly B[],
  as: C,
  conditions: readonly Condition[],
): Promise<(Record<B, string> & Record<C, number>)[]> {
  return grouped(db, table, by, [Prisma.sql`COUNT(*) AS ${identifier(as)}`], [as], conditions);
}

async function grouped<B extends string, S extends string>(
  db: PrismaClient,
  table: string,
  by: readonly B[],
  measures: readonly Prisma.Sql[],
  names: readonly S[],
  conditions: readonly Condition[],
): Promise<(Record<B, string> & Record<S, number>)[]> {
  const keys = Prisma.join(by.map(identifier));
  const filters = conditions.filter((c): c is Prisma.Sql => !!c);
  const rows = await readRows<Record<string, unknown>>(
    db,
    Prisma.sql`SELECT ${keys}, ${Prisma.join(measures)} FROM ${identifier(table)}${filters.length ? Prisma.sql` WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty} GROUP BY ${keys}`,
  );
  // PostgreSQL's SUM and COUNT of integers are bigints (a string or bigint through the driver): every measure goes through Number.
  for (const r of rows) for (const s of names) r[s] = Number(r[s] ?? 0);
  return rows as (Record<B, string> & Record<S, number>)[];
}
