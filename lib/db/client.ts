import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import type BetterSqlite3 from "better-sqlite3";
import { parse as parsePgUrl } from "pg-connection-string";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "@/lib/generated/prisma-pg/client";
import { providerOf } from "./dialect";
import { capturePgTransactions } from "./pg-connection";
import { registerReadPool } from "./read";
import { type Checkpointer, startCheckpointer } from "./sqlite-checkpointer";
import { registerSqliteClient, type SqliteConnection } from "./sqlite-connection";
import { createReadPool, type ReadPool } from "./sqlite-readers";

export interface DatabaseOptions {
  /** PEM bundle of the CA(s) that signed the PostgreSQL server's certificate (DATABASE_CA_FILE). */
  caFile?: string;
  /** Connections per process (DATABASE_POOL_SIZE); PostgreSQL only. */
  poolSize?: number;
}

/**
 * Open a Prisma client for a database URL: `file:` = embedded SQLite, `postgresql://` = PostgreSQL.
 * Used by the app and the scripts.
 *
 * Prisma generates one client per provider (lib/generated/prisma from prisma/schema.prisma,
 * lib/generated/prisma-pg from the schema derived from it). Both are generated from the same
 * models, so they have the same model API; the rest of the code is typed against the SQLite
 * client's type and receives either. The few places where the SQL dialects differ live in
 * ./dialect.ts. See docs/architecture.md ("Two databases, one data layer").
 */
export function createPrismaClient(databaseUrl: string, options: DatabaseOptions = {}): PrismaClient {
  if (providerOf(databaseUrl) === "postgresql") {
    const { pool, schema } = pgPoolConfig(databaseUrl, options);
    const adapter = new PrismaPg(pool, schema ? { schema } : undefined);
    // Same models, same query API: lib/db/schema-pg.test.ts keeps the two schemas identical.
    const client = new PgPrismaClient({ adapter }) as unknown as PrismaClient;
    // The usage ingest writes its rows on its transaction's own connection (./pg-connection.ts).
    capturePgTransactions(adapter, client);
    return client;
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  // The dashboards' heavy reads run on reader connections in worker threads (./read.ts).
  const readers = createReadPool(file);
  const connection: { db?: SqliteConnection } = {};
  const client = new PrismaClient({ adapter: withSqlitePragmas(new PrismaBetterSqlite3({ url: file, timeout: 5000 }), file, readers, connection) });
  registerReadPool(client, readers);
  // The usage ingest writes its rows on the adapter's connection directly (./sqlite-connection.ts).
  registerSqliteClient(client, connection);
  return client;
}

/** The WAL checkpointer of each open SQLite file (./sqlite-checkpointer.ts); tests look at it. */
const checkpointers = new Map<string, Checkpointer>();
export const sqliteCheckpointerOf = (file: string): Checkpointer | undefined => checkpointers.get(file);

/**
 * Write-ahead logging with synchronous=NORMAL, set on the connection as it opens: readers (the
 * pages) no longer wait for a writer (the usage sync), and a commit appends to the log instead of
 * syncing the database file and a rollback journal — the commit's fsyncs were a quarter of the
 * S3-trail ingest's time (issue 19). A crash of the process loses nothing; a power cut can lose the
 * last commits, never the file's consistency (https://sqlite.org/wal.html, "synchronous").
 */
function withSqlitePragmas(factory: PrismaBetterSqlite3, file: string, readers: ReadPool, connection: { db?: SqliteConnection }): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // A 32 MB page cache (SQLite's default is 2 MB): the usage tables' indexes are written at
    // scattered places (eventId is random), and past a few hundred thousand events their pages no
    // longer fit in 2 MB, so each insert re-read pages from the file.
    await adapter.executeScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;");
    // The WAL is checkpointed by a second connection on a worker thread, not inside this
    // connection's commits (which run on the event loop): see ./sqlite-checkpointer.ts.
    // (A failure here means the connection is closed: nothing left to checkpoint for.)
    const checkpointer = startCheckpointer(file, (pages) => {
      void Promise.resolve()
        .then(() => adapter.executeScript(`PRAGMA wal_autocheckpoint = ${pages}`))
        .catch(() => undefined);
    });
    checkpointers.set(file, checkpointer);
    // The adapter's one better-sqlite3 connection (a public field of its class, not in its type).
    const db = (adapter as unknown as { client: SqliteConnection }).client;
    connection.db = db;
    // Interactive transactions begin IMMEDIATE (the adapter runs a plain, deferred `BEGIN`), and a
    // statement run outside a transaction — a BEGIN, a write in autocommit — is tried again while
    // SQLite answers SQLITE_BUSY: see retryWhenBusy below.
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => retryWhenBusy(db, prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql))) as typeof db.prepare;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      connection.db = undefined;
      await Promise.all([checkpointer.stop(), readers.stop()]);
      if (checkpointers.get(file) === checkpointer) checkpointers.delete(file);
      return dispose();
    };
    // Prisma assumes SQLite's historical limit of 999 bound values when the adapter does not say,
    // and refuses a count or groupBy over a longer `in` list (P2029): a lead whose teams hold a
    // thousand keys could not open /usage. better-sqlite3 is built with SQLite's default since
    // 3.32, 32,766 (SQLITE_MAX_VARIABLE_NUMBER) — the same as PostgreSQL's — so say that.
    const info = adapter.getConnectionInfo?.bind(adapter);
    adapter.getConnectionInfo = () => ({ ...(info?.() ?? { supportsRelationJoins: false }), maxBindValues: SQLITE_MAX_VARIABLE_NUMBER });
    return adapter;
  };
  return factory;
}

/** How long a statement outside a transaction (a BEGIN, an autocommit write) tries for SQLite's write lock. */
export const SQLITE_BEGIN_WAIT_MS = 5000;

/**
 * A statement run outside a transaction, tried again while SQLite answers SQLITE_BUSY, for up to
 * SQLITE_BEGIN_WAIT_MS; the adapter's `BEGIN` is prepared as `BEGIN IMMEDIATE`.
 *
 * A deferred transaction takes the write lock at its first write. If it has read before — nearly
 * every action looks its row up first — and another connection holds the lock at that moment
 * (the checkpointer's RESTART does, for tens of ms: ./sqlite-checkpointer.ts), SQLite answers
 * SQLITE_BUSY at once, without the busy timeout, since it cannot wait while holding a read
 * snapshot: the action failed. IMMEDIATE takes the lock at BEGIN, before anything is read. Even
 * there, during a RESTART, SQLite was seen giving up after ~80 ms instead of the busy timeout
 * (issue 19's benchmark, three runs in three under a profiler), and a write outside any
 * transaction (Prisma's single updates and raw statements run in autocommit) meets the same lock
 * the same way. So such a statement is tried again on this thread — as SQLite's own busy handler
 * waits, synchronously — until the lock is free or the time is up. A statement that failed with
 * SQLITE_BUSY outside a transaction changed nothing (its implicit transaction rolled back), so
 * trying it again is always safe; inside a transaction the error goes to the caller as before
 * (the transaction is the unit that is tried again). This process has one writer anyway (the
 * adapter's mutex), and in WAL mode the write lock never blocks a reader.
 */
function retryWhenBusy(db: SqliteConnection, statement: BetterSqlite3.Statement): BetterSqlite3.Statement {
  for (const method of ["run", "all", "get"] as const) {
    const call = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      // Read before the call: SQLITE_BUSY may roll a transaction back by itself (sqlite.org/lang_transaction.html),
      // and a statement of a transaction must never be run again on its own.
      const outside = !db.inTransaction;
      // From before the first try: SQLite's own busy wait in it counts toward the bound.
      const deadline = Date.now() + SQLITE_BEGIN_WAIT_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          return call(...args);
        } catch (error) {
          if ((error as { code?: string }).code !== "SQLITE_BUSY" || !outside || Date.now() >= deadline) throw error;
          Atomics.wait(SLEEPER, 0, 0, Math.min(5 * 2 ** attempt, 50, Math.max(1, deadline - Date.now())));
        }
      }
    };
  }
  return statement;
}
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** better-sqlite3's compiled limit on bound values in one statement (lib/db/client.test.ts checks it). */
export const SQLITE_MAX_VARIABLE_NUMBER = 32_766;

/**
 * node-postgres settings for a URL. TLS comes from the URL's `sslmode` (disable, no-verify,
 * require, verify-ca, verify-full; `sslrootcert=` names a CA file) or from DATABASE_CA_FILE, which
 * turns on verified TLS with that CA bundle (what RDS/Aurora need: their CA is not in Node's
 * default store). Prisma's `?schema=` is honoured for generated and raw queries alike.
 */
export function pgPoolConfig(databaseUrl: string, options: DatabaseOptions = {}): { pool: PoolConfig; schema?: string } {
  const parsed = parsePgUrl(databaseUrl);
  const schema = typeof parsed.schema === "string" && parsed.schema ? parsed.schema : undefined;
  let ssl = parsed.ssl as PoolConfig["ssl"];
  if (options.caFile) {
    if (ssl === false) throw new Error("DATABASE_CA_FILE is set but DATABASE_URL has sslmode=disable; remove one of them");
    ssl = { ...(typeof ssl === "object" ? ssl : {}), ca: readFileSync(/*turbopackIgnore: true*/ options.caFile, "utf8"), rejectUnauthorized: true };
  }
  const pool: PoolConfig = {
    host: parsed.host ?? "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database ?? undefined,
    ssl,
    max: options.poolSize ?? 10,
    application_name: parsed.application_name ?? "bedrock-key-console",
    // Raw SQL (usage ingest, dialect.ts) names tables without a schema: put it on the search_path.
    options: schema ? `-c search_path="${schema.replaceAll('"', '""')}"` : (parsed.options ?? undefined),
    // A connection that cannot be made in time fails the request instead of hanging it.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  return { pool, schema };
}

/** `file:./data/x.db` → absolute path, relative paths resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string): string {
  const raw = databaseUrl.replace(/^file:/, "").split("?")[0] ?? "";
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), raw);
}

export type { PrismaClient };
