/**
 * `npm run db:backup -- [--to FILE]`: an online backup of the SQLite database while the console
 * runs (SQLite's backup API through better-sqlite3: a consistent copy, page by page, without
 * stopping writers). Default target: data/backups/console-<UTC timestamp>.db. Checks the copy with
 * `PRAGMA integrity_check` and prints its size and row count of the audit log.
 * See docs/operations.md for when and how to restore.
 */
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { sqliteFilePath } from "@/lib/db/client";

const { values } = parseArgs({ options: { to: { type: "string" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  console.log("usage: npm run db:backup -- [--to FILE]   (DATABASE_URL=file:… as the server uses)");
  process.exit(0);
}
const url = process.env.DATABASE_URL ?? "file:./data/console.db";
if (!url.startsWith("file:")) {
  console.error(`db:backup copies the embedded SQLite database (DATABASE_URL=file:…); ${url.split(":")[0]}: is not a file database.`);
  process.exit(2);
}
const source = sqliteFilePath(url);
try {
  statSync(source);
} catch {
  console.error(`No database at ${source}.`);
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
const target = path.resolve(values.to ?? path.join(path.dirname(source), "backups", `console-${stamp}.db`));
mkdirSync(path.dirname(target), { recursive: true });

const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  await db.backup(target);
} finally {
  db.close();
}
const copy = new Database(target, { readonly: true });
try {
  const check = copy.prepare("PRAGMA integrity_check").pluck().get();
  if (check !== "ok") {
    console.error(`The copy failed its integrity check: ${String(check)}`);
    process.exit(1);
  }
  const audit = copy.prepare('SELECT COUNT(*) FROM "AuditEntry"').pluck().get();
  console.log(`Backed up ${source} → ${target} (${(statSync(target).size / 1024 / 1024).toFixed(1)} MiB, ${String(audit)} audit entries, integrity ok).`);
  console.log("Keep the audit checkpoint file (AUDIT_CHECKPOINT_FILE) with it: audit:verify compares the two.");
} finally {
  copy.close();
}
