#!/usr/bin/env node
// Derives the PostgreSQL Prisma schema (prisma/postgresql/schema.prisma) from the one source,
// prisma/schema.prisma (SQLite). Prisma needs one schema, and one generated client, per
// provider; writing the PostgreSQL one by hand would let the two drift. The model block is
// copied verbatim: the schema only uses types that mean the same on both providers (String,
// Int, Boolean, DateTime, Float), so the datasource provider and the client's output folder are
// all that change. Run by `npm run db:generate` and `npm run db:migration`; a unit test
// (lib/db/schema-pg.test.ts) fails when the committed file is stale.
//
//   node scripts/db-schema-pg.mjs            write prisma/postgresql/schema.prisma
//   node scripts/db-schema-pg.mjs --check    exit 1 if the committed file differs
//   node scripts/db-schema-pg.mjs --stdout   print the derived schema
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
export const PG_SCHEMA = path.join(root, "prisma/postgresql/schema.prisma");

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/db-schema-pg.mjs: do not edit.
// Change prisma/schema.prisma, add its SQLite migration, then run \`npm run db:migration\`
// (writes this file and the PostgreSQL twin migration). See docs/architecture.md.
`;

/** Types that would not mean the same on PostgreSQL; the schema must not use them. */
const NON_PORTABLE = [/@db\.\w+/, /\bBytes\b/, /\bDecimal\b/, /\bJson\b/, /\bUnsupported\(/];

/** @param {string} source the SQLite schema text */
export function derivePgSchema(source) {
  for (const pattern of NON_PORTABLE) {
    const hit = pattern.exec(source.replace(/\/\/.*$/gm, ""));
    if (hit) throw new Error(`prisma/schema.prisma uses ${hit[0]}, which scripts/db-schema-pg.mjs does not translate to PostgreSQL`);
  }
  let out = source;
  const swap = (re, replacement, what) => {
    if (!re.test(out)) throw new Error(`db-schema-pg: could not find ${what} in prisma/schema.prisma`);
    out = out.replace(re, replacement);
  };
  swap(/(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'provider = "sqlite"');
  // The output path is relative to the schema file, which lives one folder deeper.
  swap(/(generator\s+client\s*\{[^}]*output\s*=\s*)"\.\.\/lib\/generated\/prisma"/, '$1"../../lib/generated/prisma-pg"', 'output = "../lib/generated/prisma"');
  return HEADER + out;
}

function main(args) {
  const derived = derivePgSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
  if (args.includes("--stdout")) {
    process.stdout.write(derived);
    return 0;
  }
  if (args.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(PG_SCHEMA, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current === derived) return 0;
    console.error("prisma/postgresql/schema.prisma is stale: run `npm run db:migration` (see docs/architecture.md)");
    return 1;
  }
  mkdirSync(path.dirname(PG_SCHEMA), { recursive: true });
  writeFileSync(PG_SCHEMA, derived);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
