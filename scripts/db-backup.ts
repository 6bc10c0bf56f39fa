/**
 * Online backup of the SQLite database, safe while the console runs (SQLite's backup API copies
 * a consistent snapshot, restarting if the console writes meanwhile), then checks the copy:
 * SQLite's integrity check and the audit chain.
 *
 *   npm run db:backup                       → data/backups/console-<UTC time>.db
 *   npm run db:backup -- --to /backups/x.db
 *
 * PostgreSQL is backed up with its own tools (pg_dump, or the provider's snapshots); see
 * docs/operations.md. DATABASE_URL selects the database (default file:./data/console.db).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { backupSqlite } from "@/lib/db/backup";
import { sqliteFilePath } from "@/lib/db/client";
import { providerOf } from "@/lib/db/dialect";

const { values } = parseArgs({ options: { to: { type: "string" } } });
const url = process.env.DATABASE_URL ?? "file:./data/console.db";
if (providerOf(url) === "postgresql") {
  console.error(
    "db:backup is for SQLite. For PostgreSQL use pg_dump (or your provider's snapshots), e.g.\n" +
      '  pg_dump --format=custom --no-owner --file=console-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"\n' +
      "See docs/operations.md (Backup and restore).",
  );
  process.exit(2);
}
const source = sqliteFilePath(url);
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
const dest = path.resolve(values.to ?? path.join(path.dirname(source), "backups", `${path.basename(source, ".db")}-${stamp}.db`));
try {
  const result = await backupSqlite(source, dest);
  console.log(`Backed up ${source} → ${dest} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, integrity ok, audit chain intact: ${result.auditEntries} entries).`);
  console.log("Keep the audit checkpoint file (AUDIT_CHECKPOINT_FILE) with it: audit:verify compares the two.");
} catch (error) {
  console.error(`db:backup: ${(error as Error).message}`);
  process.exit(1);
}
