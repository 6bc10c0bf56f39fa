import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

/**
 * A fresh SQLite database with the committed migrations applied (the same SQL `prisma migrate
 * deploy` runs), in a temp dir removed by `cleanup`. Integration tests use it instead of mocks.
 */
export async function createTestDb(): Promise<{ db: PrismaClient; url: string; file: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "bkc-test-"));
  const file = path.join(dir, "test.db");
  const raw = new Database(file);
  for (const name of readdirSync(MIGRATIONS).filter((n) => /^\d/.test(n)).sort()) {
    raw.exec(readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8"));
  }
  raw.close();
  const url = `file:${file}`;
  const db = createPrismaClient(url);
  return {
    db,
    url,
    file,
    async cleanup() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
