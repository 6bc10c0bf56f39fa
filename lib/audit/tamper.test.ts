/**
 * The six ways to tamper with the audit log that issue #10 names, each against a keyed chain
 * with a signed checkpoint, as someone who can write the database (raw SQL) but holds neither
 * the audit key nor write access to the checkpoint file. Before the fix only the plain edit was
 * caught (1 of 6); every case here must be caught.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDb } from "@/lib/testing/test-db";
import { entryHash } from "./chain";
import { readCheckpoints, verifyAudit, writeCheckpoint, type CheckpointDeps } from "./checkpoint";
import { appendAudit } from "./service";
import { describeVerification } from "./verify-report";

const KEY = Buffer.alloc(32, 42);
const N = 60;
let db: PrismaClient;
let cleanup: () => Promise<void>;
let dir: string;
let deps: CheckpointDeps;
let logged: unknown[];

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
  dir = mkdtempSync(join(tmpdir(), "audit-cp-"));
  logged = [];
  deps = { db, key: KEY, file: join(dir, "sub", "checkpoints.jsonl"), now: () => new Date("2026-12-05T10:00:00Z"), log: (cp) => logged.push(cp) };
  for (let i = 1; i <= N; i++) {
    await appendAudit(db, { action: "users.update", result: "success", actorEmail: "ann@example.test", targetId: `u${i}` }, new Date(Date.UTC(2026, 11, 5, 9, 0, i)), KEY);
  }
  expect(await writeCheckpoint(deps)).toMatchObject({ ok: true, checkpoint: { count: N, headId: N, keyedFrom: 1 } });
});
afterEach(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

type Row = Awaited<ReturnType<PrismaClient["auditEntry"]["findMany"]>>[number];

/** What an attacker without the key can do: recompute the chain from `fromId` with the public SHA-256. */
async function rehashFrom(fromId: number, key?: Buffer) {
  const rows: Row[] = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
  let prev = rows.find((r) => r.id === fromId - 1)?.hash ?? "0".repeat(64);
  // Unique hashes: move every row's hashes out of the way first, then write the new chain.
  await db.$executeRaw`UPDATE "AuditEntry" SET "prevHash" = 'tmp-p-' || "id", "hash" = 'tmp-h-' || "id" WHERE "id" >= ${fromId}`;
  for (const r of rows.filter((x) => x.id >= fromId)) {
    const hash = entryHash(prev, r, key);
    await db.$executeRaw`UPDATE "AuditEntry" SET "prevHash" = ${prev}, "hash" = ${hash} WHERE "id" = ${r.id}`;
    prev = hash;
  }
}

const tampers: Record<string, () => Promise<void>> = {
  "deleting the last row": async () => {
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${N}`;
  },
  "cutting the last 50 rows": async () => {
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" > ${N - 50}`;
  },
  "emptying the table": async () => {
    await db.$executeRaw`DELETE FROM "AuditEntry"`;
  },
  "editing a row and re-hashing the rest": async () => {
    await db.$executeRaw`UPDATE "AuditEntry" SET "result" = 'failure' WHERE "id" = 30`;
    await rehashFrom(1);
  },
  "editing a row without re-hashing": async () => {
    await db.$executeRaw`UPDATE "AuditEntry" SET "actorEmail" = 'mallory@example.test' WHERE "id" = 30`;
  },
  "inserting a forged row, chained with the public hash": async () => {
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    const forged = { ...last, id: N + 1, createdAt: new Date(last.createdAt.getTime() + 1000), action: "users.delete", targetId: "u-evidence" };
    const hash = entryHash(last.hash, forged);
    await db.auditEntry.create({ data: { ...forged, prevHash: last.hash, hash } });
  },
};

describe("audit tamper cases (issue #10): caught 6 of 6", () => {
  it("an untouched log verifies, with its last checkpoint good", async () => {
    const v = await verifyAudit(deps);
    expect(v).toMatchObject({ ok: true, checkpoints: 1, mismatch: null, unanchored: 0, lastGood: { count: N, headId: N } });
    expect(describeVerification(v).lines[0]).toBe(`Audit chain intact: ${N} entries verified; keyed (HMAC) from entry #1.`);
    // The checkpoint is also in the log stream.
    expect(logged).toHaveLength(1);
  });

  it.each(Object.keys(tampers))("catches %s", async (name) => {
    await tampers[name]!();
    const v = await verifyAudit(deps);
    expect(v.ok).toBe(false);
    expect(describeVerification(v).ok).toBe(false);
    // And a scheduled checkpoint does not bless the tampered log.
    expect(await writeCheckpoint(deps)).toMatchObject({ ok: false });
    expect(readCheckpoints(deps.file, KEY).valid).toHaveLength(1);
  });

  it("reports what is missing after the last good checkpoint when the tail is cut", async () => {
    await appendAudit(db, { action: "keys.delete", result: "success" }, new Date(), KEY);
    await writeCheckpoint(deps); // second checkpoint: N + 1 entries
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" > ${N - 50}`;
    const v = await verifyAudit(deps);
    expect(v.mismatch).toMatchObject({ kind: "missing", missing: 51, checkpoint: { count: N + 1 } });
    expect(v.lastGood).toBeNull();
    expect(describeVerification(v).lines).toContain(
      `MISSING: the checkpoint of 2026-12-05T10:00:00.000Z recorded ${N + 1} entries up to #${N + 1}; 51 of them are no longer in the database (deleted rows or an emptied table).`,
    );
  });

  it("names the last good checkpoint when only entries after it were deleted", async () => {
    for (let i = 0; i < 3; i++) await appendAudit(db, { action: "keys.delete", result: "success" }, new Date(), KEY);
    await writeCheckpoint(deps);
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" > ${N + 1}`;
    const v = await verifyAudit(deps);
    expect(v.lastGood).toMatchObject({ count: N, headId: N });
    expect(v.mismatch).toMatchObject({ kind: "missing", missing: 2 });
  });

  it("catches a re-hash even by someone who stole the audit key: the checkpoint holds the old head", async () => {
    await db.$executeRaw`UPDATE "AuditEntry" SET "result" = 'failure' WHERE "id" = 30`;
    await rehashFrom(30, KEY);
    const v = await verifyAudit(deps);
    expect(v.chain.ok).toBe(true);
    expect(v.mismatch).toMatchObject({ kind: "rewritten", entryId: N });
    expect(v.ok).toBe(false);
  });

  it("refuses a forged checkpoint line and reports it", async () => {
    const [cp] = readCheckpoints(deps.file, KEY).valid;
    const forged = { ...cp!, count: 10, headId: 10 };
    const { appendFileSync } = await import("node:fs");
    appendFileSync(deps.file, `${JSON.stringify(forged)}\nnot json\n`);
    const v = await verifyAudit(deps);
    expect(v.invalidLines).toEqual([2, 3]);
    expect(v.ok).toBe(false);
  });

  it("entries after the last checkpoint verify as chained but not yet anchored; the next checkpoint anchors them", async () => {
    for (let i = 0; i < 4; i++) await appendAudit(db, { action: "keys.create", result: "success" }, new Date(), KEY);
    expect(await verifyAudit(deps)).toMatchObject({ ok: true, unanchored: 4 });
    expect(await writeCheckpoint(deps)).toMatchObject({ ok: true, checkpoint: { count: N + 4 } });
    expect(await verifyAudit(deps)).toMatchObject({ ok: true, unanchored: 0, checkpoints: 2 });
    expect(readFileSync(deps.file, "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("upgrade from the unkeyed chain", () => {
  it("old unkeyed entries still verify, the keyed chain starts at the first new entry, and a checkpoint records where", async () => {
    await db.$executeRaw`DELETE FROM "AuditEntry"`;
    rmSync(deps.file);
    // Entries written by the previous version: plain SHA-256.
    let prev = "0".repeat(64);
    for (let i = 1; i <= 3; i++) {
      const fields = { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorId: null, actorEmail: "old@example.test", action: "users.create", targetType: null, targetId: `o${i}`, targetLabel: null, teamId: null, result: "success", ip: null, userAgent: null, details: "{}" };
      const hash = entryHash(prev, fields);
      await db.auditEntry.create({ data: { ...fields, prevHash: prev, hash } });
      prev = hash;
    }
    await appendAudit(db, { action: "users.update", result: "success" }, new Date(), KEY);
    const first = await db.auditEntry.findFirstOrThrow({ where: { action: "users.update" } });
    const written = await writeCheckpoint(deps);
    expect(written).toMatchObject({ ok: true, checkpoint: { count: 4, keyedFrom: first.id } });
    expect(await verifyAudit(deps)).toMatchObject({ ok: true, chain: { keyedFrom: first.id } });
    // Rewriting everything with the public hash keeps the chain self-consistent, but not the checkpoint.
    await rehashFrom(1);
    const v = await verifyAudit(deps);
    expect(v.chain.ok).toBe(true);
    expect(v.ok).toBe(false);
  });
});
