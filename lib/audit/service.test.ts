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

describe("secret redaction in every audit column", () => {
  const secrets = {
    longTerm: "ABSK" + Buffer.from("user-at-123456789012:" + "s".repeat(30)).toString("base64"),
    shortTerm: "bedrock-api-key-" + "Q".repeat(40),
    awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };

  it.each(Object.entries(secrets))("a pasted %s is redacted in each free-text column, and the chain still verifies", async (_kind, secret) => {
    const columns = ["actorId", "actorEmail", "targetType", "targetId", "targetLabel", "teamId", "ip", "userAgent"] as const;
    const input = Object.fromEntries(columns.map((c) => [c, `x ${secret}`]));
    const { id } = await appendAudit(db, { action: `auth.signIn ${secret}`, result: "failure", ...input, details: { note: `pasted ${secret}` } });
    const row = await db.auditEntry.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    for (const c of columns) expect(row[c]).toBe("x [redacted]");
    expect(row.action).toBe("auth.signIn [redacted]");
    expect(JSON.parse(row.details)).toEqual({ note: "pasted [redacted]" });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 1 });
  });

  it("redacts before truncating, so a secret at the cut is not half kept", async () => {
    const { id } = await appendAudit(db, { action: "auth.signIn", result: "failure", userAgent: "u".repeat(380) + secrets.shortTerm });
    const row = await db.auditEntry.findUniqueOrThrow({ where: { id } });
    expect(row.userAgent).toBe("u".repeat(380) + "[redacted]");
  });
});

describe("audit hash chain in the database", () => {
  it("entries appended through appendAudit form a valid chain", async () => {
    await appendMany(5);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 5, keyedFrom: 1 });
  });

  it("verifies across batch boundaries", async () => {
    await appendMany(7);
    expect(await verifyAuditChain(db, { batchSize: 3 })).toMatchObject({ ok: true, count: 7 });
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
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 20 });
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
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 1 });
  });
});
