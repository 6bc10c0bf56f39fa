import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { createDeployedTestDb, createTestDb, testProvider, type TestDb } from "@/lib/testing/test-db";
import { healthReport, resetHealthCacheForTests } from "./health";
import { isDraining, resetLifecycleForTests } from "./lifecycle";
import { drainAndReleaseLeases } from "./shutdown";

const root = path.resolve(import.meta.dirname, "../..");

describe("health", () => {
  let m: Awaited<ReturnType<typeof createDeployedTestDb>>;
  beforeAll(async () => {
    m = await createDeployedTestDb();
  });
  afterAll(async () => m?.cleanup());
  afterEach(() => {
    resetHealthCacheForTests();
    resetLifecycleForTests();
  });

  it("ok when the database answers, its migrations are all applied and AWS answers; no secrets in the report", async () => {
    const report = await healthReport({ db: m.db, awsProbe: async () => ({ account: "123456789012" }), root });
    expect(report).toMatchObject({ status: "ok", ready: true, draining: false, checks: { database: { ok: true }, migrations: { ok: true, pending: 0 }, aws: { ok: true } } });
    const text = JSON.stringify(report);
    expect(text).not.toContain("123456789012");
    expect(text).not.toContain(m.url);
    expect(text).not.toMatch(/127\.0\.0\.1|postgres|console\.db/);
  });

  it("AWS unreachable: degraded but still ready (an AWS outage is not a reason to pull every instance)", async () => {
    const report = await healthReport({ db: m.db, awsProbe: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.1:443 secret-host")), root });
    expect(report).toMatchObject({ status: "degraded", ready: true, checks: { aws: { ok: false, reason: "unreachable" } } });
    expect(JSON.stringify(report)).not.toContain("secret-host");
  });

  it("checks AWS at most once a minute, however many probes arrive", async () => {
    let calls = 0;
    const probe = async () => void calls++;
    await Promise.all(Array.from({ length: 5 }, () => healthReport({ db: m.db, awsProbe: probe, root })));
    await healthReport({ db: m.db, awsProbe: probe, root });
    expect(calls).toBe(1);
  });

  it("a migration not applied yet (a deploy before db:migrate) fails health and readiness", async () => {
    const [last] = await m.db.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`;
    await m.db.$executeRaw`UPDATE "_prisma_migrations" SET "migration_name" = 'renamed' WHERE "migration_name" = ${last!.migration_name}`;
    try {
      const report = await healthReport({ db: m.db, awsProbe: async () => undefined, root });
      expect(report).toMatchObject({ status: "fail", ready: false, checks: { migrations: { ok: false, reason: "pending", pending: 1 } } });
    } finally {
      await m.db.$executeRaw`UPDATE "_prisma_migrations" SET "migration_name" = ${last!.migration_name} WHERE "migration_name" = 'renamed'`;
    }
  });

  it("a database that does not answer fails health", async () => {
    // PostgreSQL: nothing listens on port 1. SQLite: the "file" is a directory, which cannot be opened.
    const gone = createPrismaClient(testProvider() === "postgresql" ? "postgresql://nobody@127.0.0.1:1/none" : `file:${tmpdir()}`);
    const report = await healthReport({ db: gone, awsProbe: async () => undefined, root });
    expect(report).toMatchObject({ status: "fail", ready: false, checks: { database: { ok: false } } });
    await gone.$disconnect().catch(() => undefined);
  });

  it("while shutting down: healthy but not ready", async () => {
    await drainAndReleaseLeases(m.db, 0);
    expect(await healthReport({ db: m.db, awsProbe: async () => undefined, root })).toMatchObject({ status: "ok", ready: false, draining: true });
  });
});

describe("graceful shutdown", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.cleanup());
  afterEach(() => resetLifecycleForTests());

  it("waits for running jobs to release their leases, force-releases the rest, and takes no new lease", async () => {
    const now = new Date();
    expect(await acquireLease(t.db, "finishing-job", "me-1", 60_000, now)).toBe(true);
    expect(await acquireLease(t.db, "stuck-job", "me-2", 60_000, now)).toBe(true);
    setTimeout(() => void releaseLease(t.db, "finishing-job", "me-1"), 200); // the job ends on its own
    const { released, waitedMs } = await drainAndReleaseLeases(t.db, 800);
    expect(isDraining()).toBe(true);
    expect(released).toEqual(["stuck-job"]);
    expect(waitedMs).toBeGreaterThanOrEqual(800);
    expect(await acquireLease(t.db, "new-job", "me-3", 60_000, new Date())).toBe(false);
    resetLifecycleForTests();
    // Another instance can take both at once, without waiting for the TTL.
    expect(await acquireLease(t.db, "stuck-job", "other", 60_000, new Date())).toBe(true);
    expect(await acquireLease(t.db, "finishing-job", "other", 60_000, new Date())).toBe(true);
  });

  it("SIGTERM to a process holding a lease: the lease is released before it exits", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/lease-holder.ts", t.url, "sigterm-job"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (l) => l === "ready" && resolve());
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(await acquireLease(t.db, "sigterm-job", "other", 60_000, new Date())).toBe(false); // held
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(stderr).toBe("");
    expect(await acquireLease(t.db, "sigterm-job", "other", 60_000, new Date())).toBe(true);
  });
});
