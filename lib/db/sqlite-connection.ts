import type BetterSqlite3 from "better-sqlite3";

/**
 * The better-sqlite3 connection behind a SQLite Prisma client, for the one writer that needs more
 * than Prisma's raw queries give: the usage ingest (lib/usage/ingest.ts), which binds thousands of
 * rows per transaction. Through `$executeRaw` every row went through a multi-megabyte JSON
 * parameter that Prisma serialises and parses once more before SQLite parses it a third time
 * (issue 19's benchmark); on the connection itself each row is one run of a prepared statement.
 *
 * The Prisma adapter opens exactly one connection per client and runs every query on it, its
 * interactive transactions included (`BEGIN` on that connection, under the adapter's mutex), so
 * statements run here while a `$transaction` callback holds it are part of that transaction and
 * roll back with it. Use only that way: `inTransaction` below refuses anything else.
 */
export type SqliteConnection = BetterSqlite3.Database;

// A property of the client, not a WeakMap entry: extended clients ($extends, as the tests' fault
// injection uses) and transaction clients are proxies that answer the base client's properties.
const CONNECTION = Symbol.for("bedrock-key-console.sqliteConnection");
const statements = new WeakMap<SqliteConnection, Map<string, BetterSqlite3.Statement>>();

/** Called by createPrismaClient: `client` will run on the connection set into the holder when the adapter connects. */
export function registerSqliteClient(client: object, holder: { db?: SqliteConnection }): void {
  Object.defineProperty(client, CONNECTION, { value: holder, enumerable: false });
}

/**
 * The open connection of a SQLite client, or undefined (PostgreSQL, or not connected). Call it
 * inside a `$transaction` callback of that client, where the adapter has connected and holds BEGIN.
 */
export function sqliteConnectionOf(client: object): SqliteConnection | undefined {
  const db = (client as { [CONNECTION]?: { db?: SqliteConnection } })[CONNECTION]?.db;
  return db?.open ? db : undefined;
}

/**
 * A statement prepared once per connection and SQL text. Throws unless the connection is inside a
 * transaction (the caller's `$transaction`): a write here outside one would commit on its own.
 */
export function preparedInTransaction(db: SqliteConnection, sql: string): BetterSqlite3.Statement {
  if (!db.inTransaction) throw new Error("SQLite connection used outside its transaction");
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
