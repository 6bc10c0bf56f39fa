// SQLite driver adapter for the wasm schema engine: @prisma/adapter-better-sqlite3 plus one fix.
//
// When the wasm engine replays the migration history on the shadow database (`migrate dev`,
// `migrate diff --from-migrations`), it sends each migration.sql file as ONE raw query. A
// migration almost always holds several statements, and better-sqlite3's prepare() refuses that
// ("The supplied SQL string contains more than one statement"), so every `migrate dev` after the
// first one failed with P3006. Multi-statement SQL without parameters is a script: we run it with
// the adapter's executeScript (better-sqlite3 `exec`), which is what the native engine does too.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

const isMultiStatementError = (error) =>
  error instanceof RangeError && /more than one statement/.test(error.message);

function runScriptsAsScripts(adapter) {
  for (const method of ["executeRaw", "queryRaw"]) {
    const single = adapter[method].bind(adapter);
    adapter[method] = async (query) => {
      try {
        return await single(query);
      } catch (error) {
        // prepare() failed before running anything, so nothing has been executed twice.
        if (!isMultiStatementError(error) || query.args.length > 0) throw error;
        await adapter.executeScript(query.sql);
        return method === "executeRaw" ? 0 : { columnNames: [], columnTypes: [], rows: [] };
      }
    };
  }
  return adapter;
}

/**
 * @param {string} file absolute path or ":memory:"
 * @param {string | undefined} shadowFile from shadowDatabaseUrl; in memory when absent, like the
 *   native engine
 */
export function sqliteAdapterFactory(file, shadowFile) {
  const factory = new PrismaBetterSqlite3({ url: file }, shadowFile ? { shadowDatabaseUrl: shadowFile } : undefined);
  return {
    provider: "sqlite",
    adapterName: factory.adapterName,
    connect: async () => runScriptsAsScripts(await factory.connect()),
    connectToShadowDb: async () => runScriptsAsScripts(await factory.connectToShadowDb()),
  };
}
