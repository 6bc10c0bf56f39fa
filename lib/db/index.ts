import "server-only";
import { config } from "@/lib/config";
import { createPrismaClient, type PrismaClient } from "./client";

// One client per server process. In development, Next re-evaluates modules on every change;
// keeping the client on globalThis avoids opening a new SQLite handle each time.
const globalForDb = globalThis as unknown as { __consoleDb?: PrismaClient };

export function db(): PrismaClient {
  globalForDb.__consoleDb ??= createPrismaClient(config().DATABASE_URL);
  return globalForDb.__consoleDb;
}

export type { PrismaClient };
export type { Prisma } from "@/lib/generated/prisma/client";
