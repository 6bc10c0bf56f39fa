// Engine-level fixes for SQLite: places where the wasm engine's SQLite code differs from the
// native engine's and `prisma migrate` would misbehave. Both run on the engine's own connection
// to the main database (it holds SQLite's exclusive lock, so a second connection would block).
//
// 1. A missing `_prisma_migrations` table is a hard error.
//    The native engine reads the migrations table and, when SQLite answers "no such table",
//    treats the database as "not managed by Migrate yet" (no migrations applied). That check is
//    compiled only into the native build (it inspects a rusqlite error); the wasm build gets the
//    driver adapter's TableDoesNotExist instead and fails with
//      P1014 The underlying table for model `_prisma_migrations` does not exist.
//    This broke `migrate dev`, `migrate status` and `migrate resolve` on any database that had
//    never been migrated. (`migrate deploy` is fine: it creates the table itself first.)
//    For read-only diagnostics we create the table with the native engine's exact DDL, run the
//    method on "a migrations table with no rows" (which is how the native engine models a missing
//    table), and drop the table again so the database is left as we found it. For
//    `migrate resolve --applied` we create it for good, as the native engine does.
//
// 2. `reset` only empties the tables.
//    The wasm engine's SQLite reset runs `DELETE FROM` on every table, so the tables themselves
//    survive and `migrate reset` then fails re-applying the first migration ("table already
//    exists"); `migrate dev` after drift and `db push --force-reset` fail the same way. The
//    native engine leaves an empty database, so we drop every table and view ourselves.

const MIGRATIONS_TABLE = "_prisma_migrations";

// Same DDL as the native SQLite connector's create_migrations_table().
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "${MIGRATIONS_TABLE}" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

async function migrationsTableExists(adapter) {
  const { rows } = await adapter.queryRaw({
    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
    args: [MIGRATIONS_TABLE],
    argTypes: [{ scalarType: "string", arity: "scalar" }],
  });
  return rows.length > 0;
}

/** Fix 1 for `migrate resolve --applied`: create the table when missing, like the native engine. */
export async function ensureMigrationsTable(adapter) {
  if (!(await migrationsTableExists(adapter))) await adapter.executeScript(CREATE_MIGRATIONS_TABLE);
}

/**
 * Fix 1 for read-only methods: runs `call` with a migrations table present, and removes the
 * table again if it had to be created.
 * @returns {Promise<{ result: any, tableExisted: boolean }>}
 */
export async function withMigrationsTable(adapter, call) {
  if (await migrationsTableExists(adapter)) return { result: await call(), tableExisted: true };
  await adapter.executeScript(CREATE_MIGRATIONS_TABLE);
  try {
    return { result: await call(), tableExisted: false };
  } finally {
    await adapter.executeScript(`DROP TABLE IF EXISTS "${MIGRATIONS_TABLE}"`);
  }
}

const quote = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * Fix 2: drops every table and view (their indexes and triggers go with them), except tables
 * declared external in prisma.config.ts, then VACUUMs: that also removes `sqlite_sequence` once
 * no AUTOINCREMENT table is left (it cannot be dropped, and the engine would count it as a
 * table and refuse to migrate a "non-empty" database with P3005).
 * @param {{ externalTables?: string[] }} filter the `filter` param of the `reset` request
 */
export async function resetDatabase(adapter, filter) {
  const external = new Set((filter?.externalTables ?? []).map((name) => name.split(".").pop()));
  const query = async (sql) => (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows;
  const objects = await query(
    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'",
  );
  const drops = objects
    .filter(([, name]) => !external.has(name))
    .sort(([typeA], [typeB]) => (typeA === typeB ? 0 : typeA === "view" ? -1 : 1))
    .map(([type, name]) => `DROP ${type === "view" ? "VIEW" : "TABLE"} IF EXISTS ${quote(name)};`);
  // Foreign keys off so that the drop order does not matter; then back to what they were.
  const [[foreignKeys]] = await query("PRAGMA foreign_keys");
  await adapter.executeScript(
    ["PRAGMA foreign_keys = OFF;", ...drops, `PRAGMA foreign_keys = ${Number(foreignKeys) ? "ON" : "OFF"};`, "VACUUM;"].join("\n"),
  );
}

/** Wraps an adapter factory to keep a handle on the engine's connection to the main database. */
export function rememberMainConnection(factory) {
  const wrapped = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    main: undefined,
    connect: async () => {
      wrapped.main = await factory.connect();
      return wrapped.main;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  return wrapped;
}
