import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Everything that differs between the console's two databases, in one place. The rest of the
 * code is written once against Prisma's model API and the SQL both speak (INSERT … ON CONFLICT …
 * DO UPDATE / DO NOTHING … RETURNING, CASE, COALESCE; dates are bound as parameters, never
 * computed in SQL). If you find yourself testing the provider anywhere else, add a function here.
 *
 * - SQLite (embedded, one console process): one writer at a time for the whole file, so
 *   serialising is free; LIKE ignores ASCII case.
 * - PostgreSQL (several console processes): concurrent transactions under READ COMMITTED, so
 *   whatever must happen one at a time takes a lock; LIKE is case-sensitive.
 */
export type Provider = "sqlite" | "postgresql";

export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql://");
}

type Queryable = PrismaClient | Prisma.TransactionClient;

/**
 * The provider a client (or a transaction of it) talks to. Prisma keeps it on the client as
 * `_activeProvider` (the datasource provider it was generated for); transaction clients are
 * proxies over the client, so they answer the same.
 */
export function providerOfClient(db: Queryable): Provider {
  const active = (db as unknown as { _activeProvider?: string })._activeProvider;
  if (active === "postgresql" || active === "sqlite") return active;
  throw new Error(`unknown Prisma provider ${String(active)}`);
}

// Arbitrary but fixed: the key of the advisory lock that serialises audit appends. Any number
// works as long as nothing else in the database uses it.
const AUDIT_CHAIN_LOCK = 7_152_291_001;

/**
 * Call first inside the audit append transaction: until it commits, no other process appends.
 * PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback, so a crashed
 * writer never wedges the log). SQLite: nothing to do, its single writer already serialises.
 * Without this, concurrent writers on PostgreSQL would all read the same chain head and all but
 * one would fail the unique prevHash and retry, which does not scale past a few writers.
 */
export async function lockAuditChain(tx: Prisma.TransactionClient): Promise<void> {
  if (providerOfClient(tx) === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  }
}

/**
 * A "contains, ignoring case" filter for search boxes. SQLite's LIKE already ignores (ASCII)
 * case; PostgreSQL's does not, and Prisma asks for `mode: "insensitive"` (ILIKE) there, which the
 * SQLite client rejects, so the filter is built per provider.
 */
export function containsIgnoringCase(db: Queryable, value: string): { contains: string } {
  if (providerOfClient(db) === "postgresql") return { contains: value, mode: "insensitive" } as { contains: string };
  return { contains: value };
}

/**
 * Moves the id sequence of a table with autoincrement ids past the largest id, after rows were
 * copied in with their ids (db:copy). SQLite's AUTOINCREMENT follows inserted ids by itself.
 */
export async function resetIdSequence(db: Queryable, table: string): Promise<void> {
  if (providerOfClient(db) !== "postgresql") return;
  if (!/^[A-Za-z]+$/.test(table)) throw new Error(`bad table name ${table}`);
  await db.$executeRawUnsafe(
    `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), COALESCE((SELECT MAX("id") FROM "${table}"), 0) + 1, false)`,
  );
}

/** How a column of a JSON row source (jsonRowSource) is read back. */
export type JsonColumn = "text" | "int" | "bool" | "time";

/**
 * Many rows as ONE bound parameter: `rows` (arrays of column values, in `types`' order) sent as a
 * JSON array and read back in SQL as a row source, `SELECT c0, c1, … WHERE true` (the WHERE keeps
 * SQLite's parser from reading a following ON CONFLICT as a join's ON). The usage ingest writes
 * thousands of rows per transaction: bound one value per parameter that was 24 parameters per
 * event, and Prisma's per-parameter handling and SQLite's compiling of a 24,000-parameter
 * statement were most of the ingest's time (issue 19's benchmark). The database parses the JSON
 * natively instead: SQLite's json_each (JSON operators, SQLite ≥ 3.38), PostgreSQL's
 * jsonb_array_elements with a cast per column. jsonb, not json: a `json` element is kept as text
 * and `->> i` lexes it again from its start for every column (24 for an event), which was most of
 * the PostgreSQL server's CPU in the trail ingest (26.5 → 11.8 CPU s for 200,000 events);
 * jsonb parses the document once and indexes each element's values. Dates are bound as each database's adapter would
 * store them (SQLite: ISO text with an explicit offset; PostgreSQL: timestamp(3) in UTC).
 * Rows come out in array order, so rows given in key order are also locked in key order.
 */
export function jsonRowSource(db: Queryable, rows: readonly (readonly unknown[])[], types: readonly JsonColumn[]): Prisma.Sql {
  const pg = providerOfClient(db) === "postgresql";
  const json = rowsJson(rows, types, pg);
  if (pg) return Prisma.sql`SELECT ${Prisma.raw(pgJsonColumns(types))} FROM jsonb_array_elements(${json}::jsonb) AS j(value) WHERE true`;
  const columns = types.map((_, i) => `value ->> '$[${i}]' AS "c${i}"`).join(", ");
  return Prisma.sql`SELECT ${Prisma.raw(columns)} FROM json_each(${json}) WHERE true`;
}

/**
 * jsonRowSource's PostgreSQL form as plain SQL text and its one parameter (`$n`), for statements
 * sent on a transaction's own connection (./pg-connection.ts) rather than through Prisma.
 */
export function pgJsonRowSource(rows: readonly (readonly unknown[])[], types: readonly JsonColumn[], param: number): { sql: string; value: string } {
  return { sql: `SELECT ${pgJsonColumns(types)} FROM jsonb_array_elements($${param}::jsonb) AS j(value) WHERE true`, value: rowsJson(rows, types, true) };
}

/** A column list as SQL, each name double-quoted (both databases): `"a", "b"`. */
export const quotedColumns = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(", ");

/** The rows as one JSON array, dates as each database's adapter stores them. */
function rowsJson(rows: readonly (readonly unknown[])[], types: readonly JsonColumn[], pg: boolean): string {
  const times = types.flatMap((t, i) => (t === "time" ? [i] : []));
  return JSON.stringify(
    times.length === 0
      ? rows
      : rows.map((row) => {
          const copy = [...row];
          for (const i of times) {
            const d = copy[i];
            if (d instanceof Date) copy[i] = pg ? d.toISOString() : d.toISOString().replace("Z", "+00:00");
          }
          return copy;
        }),
  );
}

const pgJsonColumns = (types: readonly JsonColumn[]) =>
  types
    .map((type, i) => {
      const cast = type === "int" ? "::integer" : type === "bool" ? "::boolean" : type === "time" ? "::timestamp(3)" : "";
      return `(value ->> ${i})${cast} AS "c${i}"`;
    })
    .join(", ");
