/**
 * Several console instances on one PostgreSQL database: each "instance" is its own Prisma client
 * (own connection pool), or its own OS process where that matters (the audit chain). Real
 * concurrency, no timing: every test fires all its calls at once and checks the outcome.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appendAudit, verifyAuditChain } from "@/lib/audit/service";
import { lockedForMinutes, recordFailure } from "@/lib/auth/throttle";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { createPrismaClient, type PrismaClient } from "./client";
import { lockAuditChain } from "./dialect";

const root = path.resolve(import.meta.dirname, "../..");
let testDb: TestDb;
let a: PrismaClient;
let b: PrismaClient;

beforeAll(async () => {
  testDb = await createTestDb();
  expect(testDb.provider).toBe("postgresql");
  a = testDb.db;
  b = createPrismaClient(testDb.url, { poolSize: 20 });
});
afterAll(async () => {
  await b?.$disconnect();
  await testDb?.cleanup();
});

/** The same call from both instances, `n` times each, all at once. */
function fromBoth<T>(n: number, call: (db: PrismaClient, i: number) => Promise<T>) {
  return Promise.all(Array.from({ length: 2 * n }, (_, i) => call(i % 2 === 0 ? a : b, i)));
}

describe("JobLease on PostgreSQL", () => {
  it("a free lease: 40 concurrent takers on two instances, exactly one holds it", async () => {
    const now = new Date();
    const won = await fromBoth(20, (db, i) => acquireLease(db, "race-new", `holder-${i}`, 60_000, now));
    expect(won.filter(Boolean)).toHaveLength(1);
    const row = await a.jobLease.findUniqueOrThrow({ where: { name: "race-new" } });
    expect(row.holder).toBe(`holder-${won.indexOf(true)}`);
  });

  it("an expired lease (a crashed holder): 40 concurrent takers, exactly one takes it over", async () => {
    const past = new Date(Date.now() - 10 * 60_000);
    expect(await acquireLease(a, "race-expired", "crashed", 60_000, past)).toBe(true);
    const now = new Date();
    const won = await fromBoth(20, (db, i) => acquireLease(db, "race-expired", `holder-${i}`, 60_000, now));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await a.jobLease.findUniqueOrThrow({ where: { name: "race-expired" } })).holder).toBe(`holder-${won.indexOf(true)}`);
  });

  it("a held lease is renewed by its holder only, and free again once released", async () => {
    const now = new Date();
    expect(await acquireLease(a, "held", "me", 60_000, now)).toBe(true);
    const others = await fromBoth(10, (db, i) => acquireLease(db, "held", `other-${i}`, 60_000, now));
    expect(others.some(Boolean)).toBe(false);
    expect(await acquireLease(b, "held", "me", 60_000, now)).toBe(true); // renewal from another connection
    await releaseLease(b, "held", "me");
    expect(await acquireLease(a, "held", "next", 60_000, new Date())).toBe(true);
  });
});

describe("sign-in throttle across instances", () => {
  it("40 concurrent failures for one account on two instances are all counted, and the account locks", async () => {
    const now = new Date();
    const key = "account:victim@example.com";
    await fromBoth(20, (db) => recordFailure(db, [key], now, { maxFailures: 30, lockMinutes: 15 }));
    const row = await a.signInThrottle.findUniqueOrThrow({ where: { key } });
    expect(row.failures).toBe(40);
    expect(await lockedForMinutes(b, [key], now)).toBe(15);
  });

  it("below the limit nothing locks; the failure that reaches it locks on every instance", async () => {
    const now = new Date();
    const key = "account:edge@example.com";
    await fromBoth(2, (db) => recordFailure(db, [key], now, { maxFailures: 5, lockMinutes: 15 }));
    expect(await lockedForMinutes(a, [key], now)).toBe(0);
    await recordFailure(b, [key], now, { maxFailures: 5, lockMinutes: 15 });
    expect(await lockedForMinutes(a, [key], now)).toBe(15);
  });
});

/** Starts tests/support/audit-writer.ts as its own process; resolves once it is connected. */
function startWriter(url: string, count: number, label: string) {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["tests/support/audit-writer.ts", url, String(count), label], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout });
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      output.push(line);
      if (line === "ready") resolve();
    });
    child.on("exit", (code) => reject(new Error(`writer ${label} exited ${code} before ready: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; output: string[]; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, output, stderr })),
  );
  return { ready, exited, go: () => child.stdin.write("go\n") };
}

describe("audit chain with writers in two processes", () => {
  it("an append waits while another instance holds the chain longer than Prisma's default 5 s, then lands", async () => {
    const before = await a.auditEntry.count();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = b.$transaction(
      async (tx) => {
        await lockAuditChain(tx);
        await released;
      },
      { timeout: 30_000 },
    );
    await vi.waitFor(async () => {
      const locks = await a.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`;
      expect(Number(locks[0]!.n)).toBe(1);
    });
    const append = appendAudit(a, { action: "test.wait", result: "success", actorEmail: "wait@example.com" });
    const settled = append.then(() => "landed", (error: unknown) => `failed: ${String(error)}`);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    release();
    await held;
    expect(await settled).toBe("landed");
    expect(await a.auditEntry.count()).toBe(before + 1);
    expect(await verifyAuditChain(a)).toMatchObject({ ok: true });
  }, 40_000);

  it("200 concurrent appends from two processes form one valid chain", async () => {
    const before = await a.auditEntry.count();
    const writers = [startWriter(testDb.url, 100, "one"), startWriter(testDb.url, 100, "two")];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.output).toContain("done 100");
      expect(r.code).toBe(0);
    }
    expect(await verifyAuditChain(a)).toMatchObject({ ok: true, count: before + 200 });
    const rows = await a.auditEntry.findMany({ where: { action: "test.instance" }, orderBy: { id: "asc" }, select: { actorEmail: true, prevHash: true } });
    expect(rows).toHaveLength(200);
    // Both processes wrote, interleaved into one chain with no fork (every prevHash distinct).
    expect(rows.filter((r) => r.actorEmail === "one@example.com")).toHaveLength(100);
    const switches = rows.filter((r, i) => i > 0 && r.actorEmail !== rows[i - 1]!.actorEmail).length;
    expect(switches).toBeGreaterThan(1);
    expect(new Set((await a.auditEntry.findMany({ select: { prevHash: true } })).map((r) => r.prevHash)).size).toBe(before + 200);
  }, 120_000);
});
