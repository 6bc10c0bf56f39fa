import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** Open a Prisma client for a database URL (`file:` = embedded SQLite). Used by the app and scripts. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error("Only SQLite (file:) databases are wired in this release; see docs/operations.md.");
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 5000 });
  return new PrismaClient({ adapter });
}

/** `file:./data/x.db` → absolute path, relative paths resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string): string {
  const raw = databaseUrl.replace(/^file:/, "").split("?")[0] ?? "";
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), raw);
}

export type { PrismaClient };
