// Prisma CLI configuration (Prisma 7 reads this file first, before anything else; it does not
// read .env by itself, so DATABASE_URL must be in the environment of the command).
//
// Offline by design: every Prisma 7 CLI command wants a native `schema-engine` executable and
// downloads it from Prisma's binary host when it is missing, which fails in air-gapped networks.
// We point PRISMA_SCHEMA_ENGINE_BINARY at our own engine (prisma/engine/schema-engine.mjs):
// Prisma's schema engine compiled to WebAssembly, driving the same driver adapters as the app.
// See docs/prisma-offline.md.
import { fileURLToPath } from "node:url";

import { defineConfig } from "prisma/config";

// `??=`: an explicitly provided engine (e.g. a native binary on a connected machine) wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
  new URL("./prisma/engine/schema-engine.mjs", import.meta.url),
);
// The CLI's update check (checkpoint.prisma.io) is network traffic we never want here.
process.env.CHECKPOINT_DISABLE ??= "1";

const shadowDatabaseUrl = process.env.SHADOW_DATABASE_URL;
const url = process.env.DATABASE_URL ?? "file:./data/console.db";

// One schema and one migrations folder per provider, chosen by the URL, so `npm run db:migrate`
// (prisma migrate deploy) does the right thing for either database. prisma/schema.prisma is the
// source; prisma/postgresql/schema.prisma is derived from it (scripts/db-schema-pg.mjs) and its
// migrations are the twins of the SQLite ones (scripts/db-migration.mjs). docs/architecture.md.
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  datasource: {
    // Relative SQLite paths are resolved from the project root (where this file is).
    url,
    // Optional. Without it `migrate dev` uses an in-memory SQLite database, or creates and drops
    // a throw-away database on PostgreSQL (which needs the CREATEDB privilege).
    ...(shadowDatabaseUrl ? { shadowDatabaseUrl } : {}),
  },
});
