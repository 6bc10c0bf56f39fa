// Chooses the driver adapter for a datasource and wraps it the way the wasm engine expects.
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

import { parseDatasourceUrl } from "./datasource.mjs";
import { UserFacingError } from "./log.mjs";
import { postgresAdapterFactory } from "./postgres-adapter.mjs";
import { sqliteAdapterFactory } from "./sqlite-adapter.mjs";
import { rememberMainConnection } from "./sqlite-engine-fixes.mjs";

/**
 * @param {{ url?: string, shadowDatabaseUrl?: string }} datasource from `--datasource`
 * @param {string | undefined} schemaProvider provider of the schema's datasource block, used when
 *   no URL is configured (e.g. `migrate diff --from-empty --to-schema`, which needs no database)
 * @returns `bound`: the factory wrapped with an error registry (what `SchemaEngine.new` takes);
 *   `mainConnection()`: the adapter the engine connected to the main database with, if any.
 */
export function createAdapterFactories(datasource, schemaProvider) {
  const factory = rememberMainConnection(createAdapterFactory(datasource, schemaProvider));
  return {
    provider: factory.provider,
    bound: bindMigrationAwareSqlAdapterFactory(factory),
    mainConnection: () => factory.main,
  };
}

function createAdapterFactory(datasource, schemaProvider) {
  if (!datasource?.url) return offlineFactory(schemaProvider);
  const target = parseDatasourceUrl(datasource.url);
  const shadow = datasource.shadowDatabaseUrl ? parseDatasourceUrl(datasource.shadowDatabaseUrl) : undefined;
  if (shadow && shadow.provider !== target.provider) {
    throw new UserFacingError("P1013", "The shadow database URL must use the same provider as the datasource URL.");
  }
  if (target.provider === "sqlite") return sqliteAdapterFactory(target.file, shadow?.file);
  return postgresAdapterFactory(target, shadow);
}

/** No URL configured: SQLite can still work in memory; other providers fail on first use. */
function offlineFactory(provider) {
  if (provider === "sqlite" || provider === undefined) {
    return sqliteAdapterFactory(":memory:");
  }
  const fail = () =>
    Promise.reject(new Error("No datasource URL is configured: set DATABASE_URL (read by prisma.config.ts)."));
  return { provider: "postgres", adapterName: "@prisma/adapter-pg", connect: fail, connectToShadowDb: fail };
}
