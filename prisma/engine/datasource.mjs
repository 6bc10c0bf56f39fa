// Turns the datasource URL the CLI hands us (`--datasource '{"url": ...}'`, taken from
// prisma.config.ts) into what the driver adapters need.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse as parsePgConnectionString } from "pg-connection-string";

import { UserFacingError } from "./log.mjs";

/**
 * @typedef {{ provider: "sqlite", file: string }} SqliteTarget
 *   `file` is absolute, or ":memory:".
 * @typedef {{ provider: "postgres", database: string, host: string, port: number,
 *   schema: string | undefined, pool: import("pg").PoolConfig }} PostgresTarget
 *   `pool` holds separate connection fields, never a connectionString: node-postgres lets a
 *   connectionString override every other field, which would make it impossible to point the same
 *   settings at another database (the shadow database, or `postgres` to create/drop databases).
 * @typedef {SqliteTarget | PostgresTarget} DatasourceTarget
 */

/**
 * @param {string} url
 * @param {string} cwd relative SQLite paths are resolved against this directory. The CLI starts
 *   the engine in the directory of prisma.config.ts; the app's adapter resolves the same URL against
 *   the process cwd, so both agree when commands run from the project root.
 * @returns {DatasourceTarget}
 */
export function parseDatasourceUrl(url, cwd = process.cwd()) {
  if (typeof url !== "string" || url.length === 0) {
    throw new UserFacingError("P1012", "The datasource URL is empty. Set DATABASE_URL (see prisma.config.ts).");
  }
  if (url.startsWith("file:")) return { provider: "sqlite", file: sqliteFile(url, cwd) };
  if (/^postgres(ql)?:\/\//.test(url)) return postgresTarget(url);
  throw new UserFacingError(
    "P1013",
    "The provided database string is invalid. Only `file:` (SQLite) and `postgresql://` URLs are supported by this engine.",
  );
}

function sqliteFile(url, cwd) {
  // Query parameters such as `?connection_limit=1` mean nothing to better-sqlite3.
  const withoutQuery = url.split("?")[0];
  if (withoutQuery.startsWith("file://")) return fileURLToPath(withoutQuery);
  const file = withoutQuery.slice("file:".length);
  if (file === ":memory:") return file;
  return path.resolve(cwd, file);
}

function postgresTarget(url) {
  const parsed = parsePgConnectionString(url);
  const schema = typeof parsed.schema === "string" && parsed.schema ? parsed.schema : undefined;
  const pool = {
    host: parsed.host ?? "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database ?? "postgres",
    ssl: parsed.ssl,
    application_name: parsed.application_name ?? "prisma-schema-engine",
    // Prisma's `?schema=` selects the schema migrations work in; Postgres needs it on the search_path.
    options: schema ? `-c search_path="${schema.replaceAll('"', '""')}"` : parsed.options,
    max: 4,
  };
  return { provider: "postgres", database: pool.database, host: pool.host, port: pool.port, schema, pool };
}

/** The provider declared in the schema's datasource block, for runs without a URL. */
export function providerFromSchemas(files) {
  for (const [, content] of files) {
    const block = /datasource\s+\w+\s*\{([^}]*)\}/m.exec(content);
    const provider = block && /provider\s*=\s*"(\w+)"/.exec(block[1]);
    if (provider) return provider[1] === "postgresql" ? "postgres" : provider[1];
  }
  return undefined;
}
