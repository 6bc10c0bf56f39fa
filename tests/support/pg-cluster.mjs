#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests and tools: initdb in a temp dir, started with
// pg_ctl on a free port (127.0.0.1 and a socket in the same dir), removed on stop. Never a shared
// server, nothing left behind. Debian's packages (`apt-get install -y postgresql`) put the server
// binaries in /usr/lib/postgresql/<version>/bin, which is not on PATH; PG_BIN overrides.
//
// As a command, it runs another command with a cluster up:
//   node tests/support/pg-cluster.mjs [--template] -- <command> [args…]
// The command sees TEST_PG_URL (a superuser URL of the cluster's `postgres` database) and, with
// --template, a database `bkc_template` holding the committed PostgreSQL migrations, from which
// lib/testing/test-db.ts copies one database per test file.
//
// initdb refuses to run as root; as root the server runs as the `postgres` system user (which
// the Debian package creates) and the temp dir is handed to it.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PG_MIGRATIONS = path.join(root, "prisma/postgresql/migrations");
export const TEMPLATE_DB = "bkc_template";
const INSTALL_HINT = "Install the PostgreSQL server: apt-get install -y postgresql (or set PG_BIN to the folder holding initdb and pg_ctl).";

/** The folder holding initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function findPgBin() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, "bin")));
  }
  for (const dir of candidates) {
    if (existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return path.dirname(which.stdout.trim());
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found. ${INSTALL_HINT}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as the postgres user when we are root. */
function runPg(bin, file, args, user) {
  const [cmd, argv] = user ? ["runuser", ["-u", user, "--", path.join(bin, file), ...args]] : [path.join(bin, file), args];
  const result = spawnSync(cmd, argv, { encoding: "utf8" });
  if (result.error) throw new Error(`${file}: ${result.error.message}. ${INSTALL_HINT}`);
  if (result.status !== 0) throw new Error(`${file} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Starts a cluster. `url(db)` is a superuser URL for a database on it; `stop()` stops it and
 * removes every file. Tuned for throw-away data (no fsync) unless `durable` (benchmarks: commits
 * flushed to disk as a production server does).
 */
export async function startPgCluster({ quiet = true, durable = false } = {}) {
  const bin = findPgBin();
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const user = asRoot ? "postgres" : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), "bkc-pg-"));
  if (user) {
    const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
    if (!Number.isInteger(uid)) throw new Error(`running as root, but there is no "postgres" system user. ${INSTALL_HINT}`);
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  let started = false;
  const stop = () => {
    if (started) {
      try {
        runPg(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], user);
      } catch {
        // already gone
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    runPg(bin, "initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", ...(durable ? [] : ["--no-sync"])], user);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      ...(durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
      "-c max_connections=200",
    ].join(" ");
    runPg(bin, "pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"], user);
    started = true;
    if (!quiet) console.error(`PostgreSQL (${bin}) on 127.0.0.1:${port}, data in ${data}`);
    const url = (db = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${db}`;
    return { port, dir, bin, url, stop, log: () => readFileSync(path.join(dir, "server.log"), "utf8") };
  } catch (error) {
    stop();
    throw error;
  }
}

/**
 * The migration scripts in a migrations folder (by default the committed PostgreSQL ones), in the
 * order `prisma migrate deploy` applies them. SQLite's folder works too (lib/testing/test-db.ts).
 */
export function migrationScripts(dir = PG_MIGRATIONS) {
  return readdirSync(dir)
    .filter((n) => /^\d/.test(n))
    .sort()
    .map((n) => readFileSync(path.join(dir, n, "migration.sql"), "utf8"));
}

/** Runs `fn` with a client connected to `url`, and closes it whatever happens. */
export async function withPgClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Applies every migration in a PostgreSQL migrations folder (by default the committed one) to the database at `url`. */
export async function applyPgMigrations(url, dir = PG_MIGRATIONS) {
  await withPgClient(url, async (db) => {
    for (const sql of migrationScripts(dir)) await db.query(sql);
  });
}

/** Creates `bkc_template` with every PostgreSQL migration applied. */
export async function createTemplate(serverUrl) {
  await withPgClient(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  await applyPgMigrations(serverUrl.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`));
}

async function main(argv) {
  const sep = argv.indexOf("--");
  const flags = sep === -1 ? argv : argv.slice(0, sep);
  const command = sep === -1 ? [] : argv.slice(sep + 1);
  if (command.length === 0) {
    console.error("usage: node tests/support/pg-cluster.mjs [--template] -- <command> [args…]");
    return 2;
  }
  let cluster;
  try {
    cluster = await startPgCluster({ quiet: false });
    if (flags.includes("--template")) await createTemplate(cluster.url());
  } catch (error) {
    console.error(`pg-cluster: ${error.message}`);
    cluster?.stop();
    return 1;
  }
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, TEST_PG_URL: cluster.url() } });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on("error", (error) => {
      console.error(`pg-cluster: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  cluster.stop();
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
