import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import type { Provider } from "@/lib/db/dialect";
import { applyPgMigrations, migrationScripts, withPgClient } from "@/tests/support/pg-cluster.mjs";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
/** Created by tests/support/vitest-pg.ts (or `pg-cluster.mjs --template`) from the PostgreSQL migrations. */
const PG_TEMPLATE = "bkc_template";

export interface TestDb {
  db: PrismaClient;
  url: string;
  provider: Provider;
  /** SQLite only: the database file. */
  file: string;
  /**
   * Everything the database holds, as bytes, for "the secret is stored nowhere" checks: SQLite's
   * files (after closing the client, so the journal is checkpointed into the file); on PostgreSQL
   * every row of every table in its text form. Closes the client on SQLite (Prisma reconnects on
   * the next query).
   */
  contents(): Promise<Buffer>;
  cleanup(): Promise<void>;
}

/**
 * The database the integration tests run on: SQLite unless TEST_DATABASE=postgresql, which
 * `npm test` sets for its unit-pg stage (and which works for a single file too:
 * `TEST_DATABASE=postgresql npx vitest run lib/x.test.ts` starts a throw-away cluster).
 */
export function testProvider(): Provider {
  // eslint-disable-next-line no-restricted-properties -- test harness, not product code
  return process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
}

/**
 * A fresh database with the committed migrations applied (the same SQL `prisma migrate deploy`
 * runs), removed by `cleanup`. Integration tests use it instead of mocks.
 * - SQLite: a file in a temp dir.
 * - PostgreSQL: a database of its own on the test cluster, copied from the migrated template.
 */
export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  return testProvider() === "postgresql" ? createPgTestDb(options) : createSqliteTestDb(options);
}

export interface TestDbOptions {
  /**
   * Another checkout of the project: the database gets that checkout's migrations instead of
   * this one's (benchmarks comparing a build before a schema change with the one after).
   */
  root?: string;
}

/** A SQLite test database whatever TEST_DATABASE says (for SQLite-only features: db:backup, db:copy's source). */
export async function createSqliteTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), "bkc-test-"));
  const file = path.join(dir, "test.db");
  const raw = new Database(file);
  for (const sql of migrationScripts(options.root ? path.join(options.root, "prisma/migrations") : MIGRATIONS)) raw.exec(sql);
  raw.close();
  const url = `file:${file}`;
  const db = createPrismaClient(url);
  return {
    db,
    url,
    provider: "sqlite",
    file,
    async contents() {
      await db.$disconnect();
      const files = [file, `${file}-wal`, `${file}-journal`].filter(existsSync);
      return Buffer.concat(files.map((f) => readFileSync(f)));
    },
    async cleanup() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test cluster's superuser URL (its `postgres` database). */
export function testPgServerUrl(): string {
  // eslint-disable-next-line no-restricted-properties -- test harness, not product code
  const url = process.env.TEST_PG_URL;
  if (!url) {
    throw new Error(
      "TEST_DATABASE=postgresql needs the test cluster: run through vitest (tests/support/vitest-pg.ts starts it) or `npm test -- --only=unit-pg`",
    );
  }
  return url;
}

/** An empty database on the test cluster (no tables), for tools that migrate or copy into one. */
export async function createEmptyPgDatabase(template = "template0"): Promise<{ url: string; drop(): Promise<void> }> {
  const server = testPgServerUrl();
  const name = `t_${randomUUID().replaceAll("-", "")}`;
  await withPgClient(server, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: server.replace(/\/[^/?]*(\?|$)/, `/${name}$1`),
    drop: async () => {
      await withPgClient(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function createPgTestDb(options: TestDbOptions): Promise<TestDb> {
  const { url, drop } = await createEmptyPgDatabase(options.root ? "template0" : PG_TEMPLATE);
  if (options.root) await applyPgMigrations(url, path.join(options.root, "prisma/postgresql/migrations"));
  const db = createPrismaClient(url, { poolSize: 30 });
  return {
    db,
    url,
    provider: "postgresql",
    file: "",
    contents: () =>
      withPgClient(url, async (client) => {
        const tables = await client.query<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        );
        const parts: string[] = [];
        for (const { name } of tables.rows) {
          const rows = await client.query<{ text: string | null }>(`SELECT string_agg(t::text, E'\\n') AS text FROM "${name}" t`);
          parts.push(rows.rows[0]?.text ?? "");
        }
        return Buffer.from(parts.join("\n"), "utf8");
      }),
    async cleanup() {
      await db.$disconnect();
      await drop();
    },
  };
}

/**
 * A database migrated the way production is, with `prisma migrate deploy` (npm run db:migrate),
 * so it has Prisma's `_prisma_migrations` bookkeeping (health, db:copy check it). Slower than
 * createTestDb; use it only where that bookkeeping matters.
 */
export async function createDeployedTestDb(provider: Provider = testProvider()): Promise<{ db: PrismaClient; url: string; cleanup(): Promise<void> }> {
  let url: string;
  let drop: () => Promise<void>;
  if (provider === "postgresql") {
    const target = await createEmptyPgDatabase();
    url = target.url;
    drop = target.drop;
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), "bkc-deployed-"));
    url = `file:${path.join(dir, "console.db")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  }
  const root = path.resolve(import.meta.dirname, "../..");
  const deploy = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    encoding: "utf8",
    // eslint-disable-next-line no-restricted-properties -- test harness running the Prisma CLI as an operator would
    env: { ...process.env, DATABASE_URL: url },
  });
  if (deploy.status !== 0) throw new Error(`prisma migrate deploy failed:\n${deploy.stdout}\n${deploy.stderr}`);
  const db = createPrismaClient(url);
  return {
    db,
    url,
    async cleanup() {
      await db.$disconnect();
      await drop();
    },
  };
}
