// Runs the real Prisma CLI against our wasm schema engine (no native engine, no download) on a
// throw-away SQLite database, with a tiny schema and migration written to a temp directory so
// that the project's own schema and migrations are never touched.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const ENGINE = fileURLToPath(new URL("./schema-engine.mjs", import.meta.url));
const PRISMA_CLI = require.resolve("prisma/build/index.js");
const MIGRATION = "20260101000000_init";

type RunResult = { code: number; stdout: string; stderr: string };

function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      {
        cwd,
        timeout: 15_000,
        env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: ENGINE, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir = "";

/** A minimal project: config without imports (the temp dir has no node_modules), schema, migration. */
function writeProject(root: string) {
  writeFileSync(
    path.join(root, "prisma.config.mjs"),
    `export default { schema: "schema.prisma", migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL } };\n`,
  );
  writeFileSync(
    path.join(root, "schema.prisma"),
    `datasource db {\n  provider = "sqlite"\n}\n\nmodel Key {\n  id    Int    @id @default(autoincrement())\n  label String @unique\n}\n`,
  );
  mkdirSync(path.join(root, "migrations", MIGRATION), { recursive: true });
  writeFileSync(path.join(root, "migrations", "migration_lock.toml"), `provider = "sqlite"\n`);
  // Two statements on purpose: scripts must run as scripts, not as single prepared statements.
  writeFileSync(
    path.join(root, "migrations", MIGRATION, "migration.sql"),
    `CREATE TABLE "Key" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "label" TEXT NOT NULL);\n` +
      `CREATE UNIQUE INDEX "Key_label_key" ON "Key"("label");\n`,
  );
}

const prisma = (args: string[], databaseFile: string) =>
  run(PRISMA_CLI, [...args, "--config", "prisma.config.mjs"], dir, { DATABASE_URL: `file:./${databaseFile}` });

function tableNames(file: string): string[] {
  const db = new Database(path.join(dir, file), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return rows.map((row) => row.name);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "schema-engine-test-"));
  writeProject(dir);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("wasm schema engine behind the Prisma CLI", () => {
  it("reports the engines hash the installed CLI was built with", async () => {
    const expected = (require("@prisma/engines-version/package.json") as { prisma: { enginesVersion: string } })
      .prisma.enginesVersion;
    const result = await run(ENGINE, ["--version"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`schema-engine-cli ${expected}`);
  });

  it("answers can-connect-to-database with P1003 for a missing SQLite file, as the CLI expects", async () => {
    const result = await run(ENGINE, ["--datasource", JSON.stringify({ url: "file:./missing.db" }), "cli", "can-connect-to-database"], dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n").slice(1).map((line) => JSON.parse(line) as { level: string; fields: Record<string, unknown> });
    expect(lines.find((line) => line.level === "ERROR")?.fields).toMatchObject({ error_code: "P1003" });
  });

  it("migrate deploy creates the database and applies the migration, then migrate status is up to date", async () => {
    const deploy = await prisma(["migrate", "deploy"], "deploy.db");
    expect(deploy.stderr + deploy.stdout).toContain("All migrations have been successfully applied");
    expect(deploy.code).toBe(0);
    expect(tableNames("deploy.db")).toEqual(expect.arrayContaining(["Key", "_prisma_migrations"]));

    const status = await prisma(["migrate", "status"], "deploy.db");
    expect(status.stdout).toContain("Database schema is up to date!");
    expect(status.code).toBe(0);
  });

  it("migrate status on a never-migrated database lists the pending migration and leaves it untouched", async () => {
    new Database(path.join(dir, "empty.db")).close();
    const status = await prisma(["migrate", "status"], "empty.db");
    expect(status.stdout).toContain("have not yet been applied");
    expect(status.stdout).toContain(MIGRATION);
    expect(status.code).toBe(1);
    // The engine needs a temporary _prisma_migrations table for this; it must be gone again.
    expect(tableNames("empty.db")).toEqual([]);
  });
});
