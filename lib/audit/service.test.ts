import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit, verifyAuditChain } from "./service";

let db: PrismaClient;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterEach(async () => {
  await cleanup();
});

async function appendMany(n: number) {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const { id } = await appendAudit(db, {
      action: i % 2 ? "users.update" : "users.create",
      result: "success",
      actorId: "u1",
      actorEmail: "admin@example.test",
      targetType: "user",
      targetId: `t${i}`,
      ip: "10.0.0.1",
      userAgent: "vitest",
      details: { i },
    });
    ids.push(id);
  }
  return ids;
}

describe("audit hash chain in the database", () => {
  it("entries appended through appendAudit form a valid chain", async () => {
    await appendMany(5);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
  });

  it("verifies across batch boundaries", async () => {
    await appendMany(7);
    expect(await verifyAuditChain(db, 3)).toEqual({ ok: true, count: 7 });
  });

  it("detects a row whose result was changed with raw SQL, naming that entry", async () => {
    const ids = await appendMany(5);
    const tampered = ids[2]!;
    await db.$executeRaw`UPDATE "AuditEntry" SET "result" = 'failure' WHERE "id" = ${tampered}`;
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, brokenAt: { id: tampered, reason: "hash-mismatch" }, count: 2 });
  });

  it("detects a deleted middle row at the entry after it", async () => {
    const ids = await appendMany(5);
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${ids[2]!}`;
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, brokenAt: { id: ids[3], reason: "prev-hash-mismatch" } });
  });

  it("concurrent appends still form one unbroken chain", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendAudit(db, { action: "test.concurrent", result: "success", details: { i } })),
    );
    expect(await verifyAuditChain(db)).toEqual({ ok: true, count: 20 });
    const rows = await db.auditEntry.findMany({ select: { prevHash: true } });
    // No fork: every entry extends a different predecessor.
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(20);
  });

  it("never stores a secret-looking value in details", async () => {
    const longTerm = "ABSK" + Buffer.from("bedrock-user-at-123456789012:" + "k".repeat(40)).toString("base64");
    const shortTerm = "bedrock-api-key-" + "Z".repeat(48);
    await appendAudit(db, {
      action: "keys.create",
      result: "success",
      details: { password: "hunter2-hunter2", secret: "s3cr3t", nested: { token: "tok", note: `copied ${longTerm}` }, list: [shortTerm], keyName: "ci" },
    });
    const { details } = await db.auditEntry.findFirstOrThrow({ select: { details: true } });
    for (const secret of ["hunter2-hunter2", "s3cr3t", "tok", longTerm, shortTerm]) expect(details).not.toContain(secret);
    expect(JSON.parse(details)).toMatchObject({ keyName: "ci", nested: { note: "copied [redacted]" } });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, count: 1 });
  });
});
