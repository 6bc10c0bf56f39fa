import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/service";
import { createSqliteTestDb, type TestDb } from "@/lib/testing/test-db";
import { backupSqlite } from "./backup";
import { createPrismaClient } from "./client";

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createSqliteTestDb();
  dir = mkdtempSync(path.join(tmpdir(), "bkc-backup-"));
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("db:backup (SQLite online backup)", () => {
  it("copies a live database while the console keeps writing; the copy passes the integrity check and its audit chain verifies", async () => {
    for (let i = 0; i < 50; i++) await appendAudit(t.db, { action: "test.before", result: "success", details: { i } });
    await t.db.user.create({ data: { email: "kept@example.com", name: "Kept", role: "admin", passwordHash: "x" } });
    const dest = path.join(dir, "nested", "copy.db");
    const writing = Promise.all(Array.from({ length: 30 }, (_, i) => appendAudit(t.db, { action: "test.during", result: "success", details: { i } })));
    const [result] = await Promise.all([backupSqlite(t.file, dest), writing]);
    expect(result.auditEntries).toBeGreaterThanOrEqual(50);
    const copy = createPrismaClient(`file:${dest}`);
    try {
      expect(await copy.user.findUnique({ where: { email: "kept@example.com" } })).toMatchObject({ name: "Kept" });
      expect(await copy.auditEntry.count()).toBe(result.auditEntries);
    } finally {
      await copy.$disconnect();
    }
  });

  it("never overwrites an existing file, and says so when there is no database", async () => {
    const dest = path.join(dir, "once.db");
    await backupSqlite(t.file, dest);
    await expect(backupSqlite(t.file, dest)).rejects.toThrow(/already exists/);
    await expect(backupSqlite(path.join(dir, "missing.db"), path.join(dir, "x.db"))).rejects.toThrow(/no database/);
    expect(existsSync(path.join(dir, "x.db"))).toBe(false);
  });
});
