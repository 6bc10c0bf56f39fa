/**
 * Copies a console database into an empty PostgreSQL database (SQLite → PostgreSQL, to grow from
 * a small install to several instances), then verifies row counts and the audit chain there.
 *
 *   npm run db:copy -- --from file:./data/console.db --to postgresql://console:…@db:5432/console
 *
 * The target is migrated first (`prisma migrate deploy`, the same as `npm run db:migrate`) and
 * must hold no rows. Stop the console (or keep it read-only) while copying: rows written to the
 * source during the copy may be missed. DATABASE_CA_FILE applies to the PostgreSQL side.
 * See docs/operations.md.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/client";
import { copyDatabase, CopyRefused } from "@/lib/db/copy";
import { providerOf } from "@/lib/db/dialect";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, "batch-size": { type: "string" } } });
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

if (!values.from || !values.to) {
  console.error("usage: npm run db:copy -- --from file:./data/console.db --to postgresql://user:password@host:5432/db");
  process.exit(2);
}
try {
  providerOf(values.from);
  if (providerOf(values.to) !== "postgresql") throw new Error("--to must be a postgresql:// URL");
} catch (error) {
  console.error(`db:copy: ${(error as Error).message}`);
  process.exit(2);
}

console.log(`Migrating the target ${redact(values.to)} …`);
const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: values.to },
});
if (migrate.status !== 0) {
  console.error("db:copy: migrating the target failed; nothing was copied.");
  process.exit(1);
}

const caFile = process.env.DATABASE_CA_FILE || undefined;
const source = createPrismaClient(values.from, { caFile });
const target = createPrismaClient(values.to, { caFile, poolSize: 4 });
try {
  const result = await copyDatabase(source, target, {
    root,
    batchSize: values["batch-size"] ? Number(values["batch-size"]) : undefined,
    onProgress: ({ model, copied, total }) => {
      if (copied === total || copied % 50_000 === 0) console.log(`  ${model}: ${copied}/${total}`);
    },
  });
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`Copied ${rows} rows in ${result.tables.length} tables in ${(result.ms / 1000).toFixed(1)} s.`);
  if (!result.audit.ok) {
    console.error(`Audit chain on the target does NOT verify (${result.audit.count} entries checked). Do not switch over; run npm run audit:verify on the source.`);
    process.exitCode = 1;
  } else {
    console.log(`Audit chain intact on the target: ${result.audit.count} entries verified.`);
  }
} catch (error) {
  console.error(`db:copy: ${error instanceof CopyRefused ? error.message : String(error)}`);
  if (!(error instanceof CopyRefused)) console.error("The target may hold part of the data: drop and recreate it before trying again.");
  process.exitCode = 1;
} finally {
  await Promise.all([source.$disconnect(), target.$disconnect()]);
}
