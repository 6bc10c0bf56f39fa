import "server-only";
import { config } from "@/lib/config";
import { createPrismaClient, type PrismaClient } from "./client";

// One client per server process. In development, Next re-evaluates modules on every change;
// keeping the client on globalThis avoids opening a new SQLite handle (or connection pool) each time.
const globalForDb = globalThis as unknown as { __consoleDb?: PrismaClient };

export function db(): PrismaClient {
  const c = config();
  globalForDb.__consoleDb ??= createPrismaClient(c.DATABASE_URL, { caFile: c.DATABASE_CA_FILE, poolSize: c.DATABASE_POOL_SIZE });
  return globalForDb.__consoleDb;
}

export type { PrismaClient };
export type { Prisma } from "@/lib/generated/prisma/client";
