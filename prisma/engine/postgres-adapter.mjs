// PostgreSQL driver adapter for the wasm schema engine, built on @prisma/adapter-pg with three
// fixes the schema engine needs (the adapter is written for Prisma Client, not for migrations):
//
// 1. Introspection reads pg_catalog columns of type "char" (OID 18, e.g. pg_class.relkind).
//    adapter-pg maps result columns by type OID and rejects OID 18 as an unsupported native type,
//    which breaks `migrate dev`/`db push`/`migrate diff`. The value is a one-character string, so we
//    report such columns as `text` (OID 25) before the adapter looks at them.
// 2. adapter-pg's executeScript splits a script on every `;`, which corrupts statements that
//    contain semicolons (string literals, function bodies, DO blocks). A migration script is sent
//    whole instead, with the simple query protocol, which accepts several statements.
// 3. The shadow database: adapter-pg creates it with a connection string that overrides the
//    database name (so the "shadow" connection would point at the main database), and drops it
//    while its own pool is still connected ("database is being accessed by other users").
//    We create it ourselves from separate connection fields and close its pool before dropping it.
import { randomUUID } from "node:crypto";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function charColumnsAsText(result) {
  for (const res of Array.isArray(result) ? result : [result]) {
    for (const field of res?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

/** A pg.Client whose query results never report the `"char"` type (see fix 1). */
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === "function") {
      callback = values;
      values = undefined;
    }
    if (typeof callback === "function") {
      return super.query(config, values, (error, result) => callback(error, error ? result : charColumnsAsText(result)));
    }
    const pending = super.query(config, values);
    // Submittables (cursors, streams) are not promises; the adapter never uses them.
    return typeof pending?.then === "function" ? pending.then(charColumnsAsText) : pending;
  }
}

/** Connects one adapter (own pool) to the database described by `poolConfig`. */
async function connectAdapter(poolConfig, schema) {
  const pool = new pg.Pool({ ...poolConfig, Client: CharAsTextClient });
  const factory = new PrismaPg(pool, { schema, disposeExternalPool: true });
  const adapter = await factory.connect();
  // Fix 2: one simple-protocol query for the whole script. Postgres runs a multi-statement simple
  // query in one implicit transaction, so a failing migration leaves nothing half-applied.
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * A migration-aware adapter factory (connect + connectToShadowDb) for the schema engine.
 * @param {import("./datasource.mjs").PostgresTarget} target
 * @param {import("./datasource.mjs").PostgresTarget | undefined} shadowTarget from shadowDatabaseUrl
 */
export function postgresAdapterFactory(target, shadowTarget) {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectAdapter(target.pool, target.schema),
    async connectToShadowDb() {
      if (shadowTarget) return connectAdapter(shadowTarget.pool, shadowTarget.schema);
      // Fix 3: a throw-away database next to the main one, created and dropped by a separate
      // connection to the main database.
      const admin = await connectAdapter(target.pool, target.schema);
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
      const shadow = await connectAdapter({ ...target.pool, database: name }, target.schema);
      const closeShadowPool = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await closeShadowPool();
          await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    },
  };
}

/**
 * Runs `fn` with a plain pg client connected to the server's maintenance database (`postgres`),
 * for creating/dropping databases, which cannot be done from inside the database itself.
 */
export async function withMaintenanceClient(target, fn) {
  const client = new pg.Client({ ...target.pool, database: "postgres" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Opens and closes a connection to the target database itself. */
export async function probePostgres(target) {
  const client = new pg.Client(target.pool);
  await client.connect();
  await client.end();
}

export { quoteIdent };
