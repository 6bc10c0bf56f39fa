import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, verifyAuditChain } from "@/lib/audit/service";
import { createDeployedTestDb, createEmptyPgDatabase } from "@/lib/testing/test-db";
import { createPrismaClient, type PrismaClient } from "./client";
import { copyDatabase, CopyRefused } from "./copy";
import { loadModels } from "./model-graph";

const root = path.resolve(import.meta.dirname, "../..");
let source: Awaited<ReturnType<typeof createDeployedTestDb>>;
let target: Awaited<ReturnType<typeof createDeployedTestDb>>;

/** A small but complete console: people, teams, keys, requests, usage, runs, the audit log. */
async function fill(db: PrismaClient) {
  const team = await db.team.create({ data: { name: "Payments", description: "Ünïcode ✓ 日本語" } });
  const lead = await db.user.create({ data: { email: "lead@example.com", name: "Lead", role: "lead", passwordHash: "scrypt$x", active: false, lastSignInAt: new Date("2026-01-02T03:04:05.678Z") } });
  await db.teamMembership.create({ data: { userId: lead.id, teamId: team.id, isLead: true } });
  const key = await db.apiKey.create({ data: { credentialId: "ACCA1", iamUserName: "u1", name: "Key 1", managed: true, teamId: team.id, ownerId: lead.id, expiresAt: new Date("2027-01-01T00:00:00.000Z") } });
  await db.keyRequest.create({ data: { requesterId: lead.id, teamId: team.id, kind: "long-term", purpose: "p", requestedDuration: 30, apiKeyId: key.id, status: "picked_up" } });
  for (let i = 0; i < 7; i++) await db.inventoryRefresh.create({ data: { trigger: "schedule", startedAt: new Date(), result: "success", listed: i } });
  await db.usageSyncRun.create({ data: { trigger: "manual", startedAt: new Date(), progress: 0.25 } });
  const events = Array.from({ length: 45 }, (_, i) => ({
    eventId: `e${i}`,
    eventTime: new Date(Date.UTC(2026, 10, 1 + (i % 20), 12, 0, i)),
    day: `2026-11-${String(1 + (i % 20)).padStart(2, "0")}`,
    region: "us-east-1",
    eventName: "Converse",
    identityType: "long-term",
    subject: "key:u1",
    result: i % 5 === 0 ? "error" : "success",
    keyRefused: i === 3,
  }));
  await db.usageEvent.createMany({ data: events });
  const stored = await db.usageEvent.findMany({ select: { id: true, eventId: true } });
  await db.usageEventRaw.createMany({ data: stored.map((e) => ({ id: e.id, json: JSON.stringify({ id: e.eventId }) })) });
  await db.usageDaily.create({ data: { day: "2026-11-01", subject: "key:u1", identityType: "long-term", modelId: "m", region: "us-east-1", inferenceRegion: "", result: "success", calls: 3 } });
  for (let i = 0; i < 60; i++) await appendAudit(db, { action: "test.copy", result: i % 7 ? "success" : "failure", actorEmail: "lead@example.com", teamId: team.id, details: { i } });
}

beforeAll(async () => {
  source = await createDeployedTestDb("sqlite");
  target = await createDeployedTestDb("postgresql");
  await fill(source.db);
}, 120_000);
afterAll(async () => {
  await source?.cleanup();
  await target?.cleanup();
});

describe("db:copy SQLite → PostgreSQL", () => {
  it("copies every row of every model, equal value for value, and the audit chain verifies on the target", async () => {
    const result = await copyDatabase(source.db, target.db, { root, batchSize: 10 });
    expect(result.audit).toMatchObject({ ok: true, count: 60 });
    const models = loadModels(path.join(root, "prisma/schema.prisma"));
    expect(result.tables.map((t) => t.model).sort()).toEqual(models.map((m) => m.name).sort());
    for (const m of models) {
      const orderBy = m.primaryKey.map((f) => ({ [f]: "asc" }));
      type D = { findMany(a: object): Promise<unknown[]> };
      const from = await (source.db as unknown as Record<string, D>)[m.delegate]!.findMany({ orderBy });
      const to = await (target.db as unknown as Record<string, D>)[m.delegate]!.findMany({ orderBy });
      expect(to, m.name).toEqual(from);
    }
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, count: 60 });
  });

  it("the copy is a working console database: ids continue after the copied ones and the chain goes on", async () => {
    const run = await target.db.inventoryRefresh.create({ data: { trigger: "manual", startedAt: new Date() } });
    expect(run.id).toBe(8);
    await appendAudit(target.db, { action: "test.after-copy", result: "success" });
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, count: 61 });
  });

  it("refuses a target that is not empty, changing nothing", async () => {
    const before = await target.db.auditEntry.count();
    await expect(copyDatabase(source.db, target.db, { root })).rejects.toThrow(CopyRefused);
    expect(await target.db.auditEntry.count()).toBe(before);
  });

  it("refuses a target that is not migrated", async () => {
    const empty = await createEmptyPgDatabase();
    const db = createPrismaClient(empty.url);
    try {
      await expect(copyDatabase(source.db, db, { root })).rejects.toThrow(/not migrated/);
    } finally {
      await db.$disconnect();
      await empty.drop();
    }
  });

  it("npm run db:copy: migrates an empty PostgreSQL database, copies, and reports the verified chain", async () => {
    const empty = await createEmptyPgDatabase();
    try {
      const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/db-copy.ts", "--from", source.url, "--to", empty.url], { cwd: root, encoding: "utf8" });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain("Audit chain intact on the target: 60 entries verified.");
      const verify = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/audit-verify.ts"], {
        cwd: root,
        encoding: "utf8",
        // A checkpoint file of its own (none yet): the repository's data/ may hold another database's.
        // eslint-disable-next-line no-restricted-properties -- running a script as an operator would
        env: { ...process.env, DATABASE_URL: empty.url, AUDIT_CHECKPOINT_FILE: path.join(tmpdir(), `copy-test-${process.pid}.jsonl`) },
      });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stdout).toContain("Audit chain intact: 60 entries verified");
    } finally {
      await empty.drop();
    }
  }, 60_000);
});
