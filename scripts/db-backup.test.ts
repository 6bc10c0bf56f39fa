import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/service";
import { createSqliteTestDb } from "@/lib/testing/test-db";

const root = path.resolve(import.meta.dirname, "..");
let t: Awaited<ReturnType<typeof createSqliteTestDb>>;

beforeAll(async () => {
  t = await createSqliteTestDb();
  for (let i = 0; i < 25; i++) await appendAudit(t.db, { action: "test.backup", result: "success", details: { i } });
});
afterAll(() => t.cleanup());

const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/db-backup.ts", ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });

describe("npm run db:backup", () => {
  it("copies a live SQLite database into a consistent file, checked", async () => {
    const target = path.join(path.dirname(t.file), "copy.db");
    // The database stays open (as the running console holds it) while the copy is made.
    const result = run(["--to", target], { DATABASE_URL: t.url });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("integrity ok, audit chain intact: 25 entries");
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.prepare('SELECT COUNT(*) FROM "AuditEntry"').pluck().get()).toBe(25);
      const last = copy.prepare('SELECT hash FROM "AuditEntry" ORDER BY id DESC LIMIT 1').pluck().get();
      expect(last).toBe((await t.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } })).hash);
    } finally {
      copy.close();
    }
  });

  it("refuses what it cannot back up, with a clear message", () => {
    const pg = run([], { DATABASE_URL: "postgresql://db.internal/console" });
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain("For PostgreSQL use pg_dump");
    const missing = run([], { DATABASE_URL: `file:${path.join(path.dirname(t.file), "nothing-here.db")}` });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no database at");
    expect(existsSync(path.join(path.dirname(t.file), "backups"))).toBe(false);
  });
});
