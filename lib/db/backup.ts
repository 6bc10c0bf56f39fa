import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { verifyAuditChain } from "@/lib/audit/service";
import { createPrismaClient } from "./client";

/**
 * Copies a live SQLite database file with SQLite's online backup API (better-sqlite3
 * `backup()`): a consistent snapshot even while the console writes, without stopping it. The
 * copy is then checked (PRAGMA integrity_check, audit chain) before it is reported as good.
 * Never overwrites an existing file.
 */
export async function backupSqlite(sourceFile: string, destFile: string): Promise<{ bytes: number; auditEntries: number }> {
  if (!existsSync(sourceFile)) throw new Error(`no database at ${sourceFile}`);
  if (existsSync(destFile)) throw new Error(`${destFile} already exists; choose another --to`);
  mkdirSync(path.dirname(destFile), { recursive: true });
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await source.backup(destFile);
  } finally {
    source.close();
  }
  const copy = new Database(destFile, { readonly: true });
  let integrity: unknown;
  try {
    integrity = copy.pragma("integrity_check", { simple: true });
  } finally {
    copy.close();
  }
  if (integrity !== "ok") throw new Error(`the copy failed SQLite's integrity check: ${String(integrity)}`);
  const db = createPrismaClient(`file:${destFile}`);
  try {
    const chain = await verifyAuditChain(db);
    if (!chain.ok) throw new Error(`the audit chain in the copy is broken at entry #${chain.brokenAt?.id ?? "?"} (check the source with npm run audit:verify)`);
    return { bytes: statSync(destFile).size, auditEntries: chain.count };
  } finally {
    await db.$disconnect();
  }
}
