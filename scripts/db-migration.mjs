#!/usr/bin/env node
// `npm run db:migration [-- <name>]`: after a SQLite migration has been added under
// prisma/migrations (and prisma/schema.prisma changed), write its PostgreSQL twin:
//
//   1. derive prisma/postgresql/schema.prisma from prisma/schema.prisma (scripts/db-schema-pg.mjs);
//   2. `prisma migrate diff --from-migrations prisma/postgresql/migrations --to-schema <derived>
//      --script` against a throw-away PostgreSQL cluster (the diff replays the committed
//      PostgreSQL migrations into a shadow database, so it needs a server; nothing is downloaded
//      and nothing outside the temp dir is touched);
//   3. write the SQL as prisma/postgresql/migrations/<folder>/migration.sql, headed by
//      `-- twin-of: <SQLite migration folders>`; the folder has the SQLite migration's name when
//      there is exactly one new SQLite migration, so the pair is obvious in review.
//
// SQLite migrations without a twin are those no PostgreSQL migration names in its twin-of line.
// Several at once (branches merged together) get one combined twin. Statements in a SQLite
// migration that move data (INSERT/UPDATE/DELETE) cannot be derived from the schema: the tool
// lists them so that their PostgreSQL form is added to the twin by hand.
//
// Options: --check (exit 1 if a twin is missing or the derived schema is stale; no server needed).
// TEST_PG_URL (a superuser URL) uses that server instead of starting a cluster.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPgCluster } from "../tests/support/pg-cluster.mjs";
import { derivePgSchema, PG_SCHEMA, SQLITE_SCHEMA } from "./db-schema-pg.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SQLITE_MIGRATIONS = path.join(root, "prisma/migrations");
const PG_MIGRATIONS = path.join(root, "prisma/postgresql/migrations");
const TWIN_RE = /^-- twin-of: (.+)$/m;

const migrationFolders = (dir) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^\d{14}_/.test(n)).sort() : []);

/** SQLite migration folders that no PostgreSQL migration claims as its twin. */
export function missingTwins() {
  const covered = new Set();
  for (const folder of migrationFolders(PG_MIGRATIONS)) {
    const sql = readFileSync(path.join(PG_MIGRATIONS, folder, "migration.sql"), "utf8");
    const twin = TWIN_RE.exec(sql);
    for (const name of twin?.[1].split(",").map((s) => s.trim()) ?? []) covered.add(name);
  }
  return migrationFolders(SQLITE_MIGRATIONS).filter((n) => !covered.has(n));
}

function dataStatements(folder) {
  const sql = readFileSync(path.join(SQLITE_MIGRATIONS, folder, "migration.sql"), "utf8");
  // Prisma's own table redefinitions copy rows with INSERT … SELECT into "new_<table>"; the diff
  // covers those. Anything else that writes rows is data the schema does not describe.
  return sql
    .split(";")
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => /^(INSERT|UPDATE|DELETE)\b/i.test(s) && !/^INSERT INTO "new_/i.test(s));
}

function timestamp(date) {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function parseTimestamp(ts) {
  return new Date(`${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}Z`);
}

/**
 * The twin's folder: the (last) SQLite migration's timestamp and name, unless that would sort
 * before a committed PostgreSQL migration (a branch merged after a newer one): migrate deploy
 * applies folders in name order, and the twin was diffed on top of every committed one.
 */
function twinFolder(missing, name) {
  const source = missing.at(-1);
  let ts = source ? source.slice(0, 14) : timestamp(new Date());
  const lastPg = migrationFolders(PG_MIGRATIONS).at(-1)?.slice(0, 14);
  if (lastPg && ts <= lastPg) ts = timestamp(new Date(parseTimestamp(lastPg).getTime() + 1000));
  return `${ts}_${name ?? (source?.slice(15) || "schema")}`;
}

function prismaDiff(serverUrl, schemaFile) {
  const result = spawnSync(
    path.join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--from-migrations", PG_MIGRATIONS, "--to-schema", schemaFile, "--script"],
    { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: serverUrl } },
  );
  if (result.status !== 0) throw new Error(`prisma migrate diff failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function main(argv) {
  const derived = derivePgSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
  const current = existsSync(PG_SCHEMA) ? readFileSync(PG_SCHEMA, "utf8") : "";
  const missing = missingTwins();

  if (argv.includes("--check")) {
    const problems = [];
    if (current !== derived) problems.push("prisma/postgresql/schema.prisma is stale");
    if (missing.length) problems.push(`SQLite migrations without a PostgreSQL twin: ${missing.join(", ")}`);
    if (problems.length === 0) return 0;
    console.error(`${problems.join("\n")}\nRun: npm run db:migration`);
    return 1;
  }

  const name = argv.find((a) => !a.startsWith("--"));
  if (name !== undefined && !/^[a-z0-9_]+$/.test(name)) {
    console.error("db:migration: the name must be lower-case letters, digits and _ (like prisma migrate dev --name)");
    return 2;
  }
  if (missing.length === 0 && current === derived && !name) {
    console.log("Every SQLite migration has its PostgreSQL twin and the PostgreSQL schema is current: nothing to do.");
    return 0;
  }

  const tmp = mkdtempSync(path.join(tmpdir(), "bkc-twin-"));
  let cluster;
  try {
    const schemaFile = path.join(tmp, "schema.prisma");
    writeFileSync(schemaFile, derived);
    let serverUrl = process.env.TEST_PG_URL;
    if (!serverUrl) {
      cluster = await startPgCluster();
      serverUrl = cluster.url();
    }
    const sql = prismaDiff(serverUrl, schemaFile);
    const empty = !/^\s*(CREATE|ALTER|DROP)\b/im.test(sql);
    const folder = twinFolder(missing, name);
    const data = missing.flatMap((m) => dataStatements(m).map((s) => `${m}: ${s.split("\n")[0]}`));
    const header = [
      `-- twin-of: ${missing.join(", ") || "(none: PostgreSQL only)"}`,
      "-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed",
      "-- PostgreSQL migrations to prisma/postgresql/schema.prisma).",
      ...(empty ? ["-- The SQLite migration(s) changed nothing PostgreSQL's schema needs."] : []),
      ...(data.length ? ["-- TODO by hand: the SQLite migration(s) move data; add the PostgreSQL form of:", ...data.map((d) => `--   ${d}`)] : []),
    ].join("\n");
    mkdirSync(path.join(PG_MIGRATIONS, folder), { recursive: true });
    writeFileSync(path.join(PG_MIGRATIONS, folder, "migration.sql"), `${header}\n\n${sql.trim()}\n`);
    writeFileSync(PG_SCHEMA, derived);
    console.log(`Wrote prisma/postgresql/migrations/${folder}/migration.sql${missing.length ? ` (twin of ${missing.join(", ")})` : ""}`);
    console.log("Updated prisma/postgresql/schema.prisma. Run `npm run db:generate` to regenerate both clients.");
    if (data.length) {
      console.warn(`\nThe SQLite migration(s) also move data; write the PostgreSQL form into the twin by hand:\n${data.map((d) => `  ${d}`).join("\n")}`);
    }
    return 0;
  } catch (error) {
    console.error(`db:migration: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
