#!/usr/bin/env node
// `npm run db:generate`: both Prisma clients. Derives prisma/postgresql/schema.prisma from
// prisma/schema.prisma (scripts/db-schema-pg.mjs), then generates lib/generated/prisma (SQLite)
// and lib/generated/prisma-pg (PostgreSQL). docs/architecture.md explains the two clients.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const steps = [
  [process.execPath, [path.join(root, "scripts/db-schema-pg.mjs")]],
  [path.join(root, "node_modules/.bin/prisma"), ["generate", "--schema", "prisma/schema.prisma"]],
  [path.join(root, "node_modules/.bin/prisma"), ["generate", "--schema", "prisma/postgresql/schema.prisma"]],
];
for (const [cmd, args] of steps) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (result.error) {
    console.error(`db:generate: ${result.error.message}`);
    process.exit(127);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
