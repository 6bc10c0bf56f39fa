import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteTestDb, type TestDb } from "@/lib/testing/test-db";
import { SQLITE_BEGIN_WAIT_MS, sqliteCheckpointerOf } from "./client";
import { BACKSTOP_FRAMES, CHECKPOINT_WAIT_MS, startCheckpointer } from "./sqlite-checkpointer";

/**
 * The app's SQLite connection leaves WAL checkpoints to a worker thread (./sqlite-checkpointer.ts):
 * its own commits no longer copy the WAL into the database file and fsync on the event loop. If
 * the worker is gone, SQLite's automatic checkpoint comes back, so the WAL never grows unbounded.
 */
let t: TestDb | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const autocheckpoint = async (db: TestDb["db"]) => Number((await db.$queryRawUnsafe<{ wal_autocheckpoint: bigint }[]>("PRAGMA wal_autocheckpoint"))[0]!.wal_autocheckpoint);
const walFrames = (file: string) => {
  // A third connection's view of the WAL: frames in it and frames already copied to the database.
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.pragma("wal_checkpoint(NOOP)") as { log: number; checkpointed: number }[])[0];
  } finally {
    raw.close();
  }
};
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
const writeRows = async (db: TestDb["db"], n: number, tag: string) => {
  await db.usageDaily.createMany({
    data: Array.from({ length: n }, (_, i) => ({ day: "2026-12-01", subject: `key:${tag}-${i}`, modelId: "m", region: "us-east-1", inferenceRegion: "", identityType: "IAMUser", result: "success", calls: 1 })),
  });
};

/**
 * Another process takes SQLite's write lock on `file` and holds it for `ms` (as the checkpointer's
 * RESTART does while it copies the WAL's last frames); `work` starts once it holds it.
 */
const whileLockedElsewhere = async (file: string, ms: number, work: () => Promise<unknown>) => {
  const hold = `const db = new (require("better-sqlite3"))(process.argv[1], { timeout: 5000 });
    db.exec("BEGIN IMMEDIATE"); console.log("locked");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); db.exec("COMMIT"); db.close();`;
  const holder = spawn(process.execPath, ["-e", hold, file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => holder.on("exit", resolve));
  await new Promise((resolve) => holder.stdout.once("data", resolve));
  const started = Date.now();
  const outcome = await work().then((value) => ({ value }), (error: Error) => ({ error: error.message }));
  const code = await exited;
  return { ...outcome, waited: Date.now() - started, code };
};
const dailyRow = (subject: string) => ({ day: "2026-12-01", subject, modelId: "m", region: "us-east-1", inferenceRegion: "", identityType: "IAMUser", result: "success", calls: 1 });

/** A SQLite test database, connected, and its checkpointer once the worker is ready. */
const openWithCheckpointer = async () => {
  t = await createSqliteTestDb();
  await t.db.usageDaily.count();
  const checkpointer = sqliteCheckpointerOf(t.file)!;
  expect(await checkpointer.ready).toBe(true);
  return { db: t, checkpointer };
};

describe("SQLite WAL checkpoints on a worker thread", () => {
  it("the app's connection does not checkpoint itself; the worker copies what it commits", async () => {
    const { db: d, checkpointer } = await openWithCheckpointer();
    // Only the far bound is left on the app's connection (if the worker never got its turn).
    expect(await autocheckpoint(d.db)).toBe(BACKSTOP_FRAMES);
    for (let i = 0; i < 20; i++) await writeRows(d.db, 500, `a${i}`);
    // Every frame the commits appended is copied by the worker within a few of its ticks.
    await until(() => checkpointer.checkpoints > 0);
    await until(() => {
      const f = walFrames(d.file);
      return f !== undefined && f.log > 0 && f.checkpointed === f.log;
    });
    expect(await d.db.usageDaily.count()).toBe(10_000);
  });

  it("a worker that dies gives the connection SQLite's automatic checkpoint back; writes go on", async () => {
    const { db: d, checkpointer } = await openWithCheckpointer();
    await checkpointer.worker.terminate();
    await until(async () => (await autocheckpoint(d.db)) === 1000);
    expect(checkpointer.running).toBe(false);
    await writeRows(d.db, 100, "b");
    expect(await d.db.usageDaily.count()).toBe(100);
  });

  it("disconnecting ends the worker and closes its connection", async () => {
    const { db: d, checkpointer } = await openWithCheckpointer();
    const file = d.file;
    await d.db.$disconnect();
    expect(checkpointer.running).toBe(false);
    expect(sqliteCheckpointerOf(file)).toBeUndefined();
    // The app's connection closed last (the worker's was closed first), so SQLite checkpointed
    // and removed the WAL: nothing was left open on the file.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("a script whose last step is disconnecting ends normally (the worker holds it until closed)", () => {
    // The worker is unref'd; while it closes, nothing else may keep the script's event loop alive
    // (the seed script once ended with "unsettled top-level await", exit code 13).
    const script = `import { createSqliteTestDb } from "@/lib/testing/test-db";
      const t = await createSqliteTestDb(); await t.db.usageDaily.count(); await t.cleanup(); console.log("ended");`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(run.stderr).not.toMatch(/unsettled/);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("ended");
  });

  it("a writer that commits back to back still gets its WAL started over (RESTART past a bound)", async () => {
    t = await createSqliteTestDb();
    await t.db.$disconnect();
    const writer = new Database(t.file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("synchronous = NORMAL");
    writer.exec("CREATE TABLE blob_rows (b BLOB)");
    // 256 frames (1 MB) as the bound, a checkpoint every 5 ms. Like the ingest, the writer commits
    // transactions one after the other with only a moment between them, so PASSIVE checkpoints
    // alone rarely find the WAL fully copied when a transaction starts, and it would keep growing.
    const checkpointer = startCheckpointer(t.file, (pages) => writer.pragma(`wal_autocheckpoint = ${pages}`), 5, 256);
    expect(await checkpointer.ready).toBe(true);
    // The app's own bound scales with the worker's: 4 × 256 frames here.
    await until(() => Number(writer.pragma("wal_autocheckpoint", { simple: true })) === 1024);
    const insert = writer.prepare("INSERT INTO blob_rows VALUES (randomblob(3000))");
    const transaction = writer.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run();
    });
    let written = 0;
    for (let k = 0; k < 60; k++) {
      transaction();
      written += 1000 * 4096;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await checkpointer.stop();
    const wal = statSync(`${t.file}-wal`).size;
    writer.close();
    // ~240 MB written in transactions of ~4 MB (a 4 KB page per row). With PASSIVE checkpoints
    // alone the WAL holds all of it; with the RESTART it started over again and again (its file
    // ended at 37–46 MB for 120 MB written: the largest it got between two restarts), and if the
    // RESTART never got its turn, the writer's own bound at 1,024 frames restarts it. On a loaded
    // machine (load 7+) the worker's ticks come late and a stretch between restarts reached 95 MB,
    // so the bound checked is half of what was written.
    expect(written).toBeGreaterThan(240_000_000);
    expect(wal).toBeLessThan(written / 2);
  });

  it("a transaction that reads before it writes waits for another connection's write lock (a RESTART's) instead of failing at once", async () => {
    t = await createSqliteTestDb();
    await t.db.usageDaily.count();
    // Read, then write (an action that looks its row up first). With SQLite's deferred BEGIN the
    // write met the lock while holding a read snapshot: SQLITE_BUSY at once, no busy timeout.
    const run = await whileLockedElsewhere(t.file, 400, () =>
      t!.db.$transaction(async (tx) => {
        const before = await tx.usageDaily.count();
        await tx.usageDaily.create({ data: dailyRow("key:k") });
        return before;
      }),
    );
    expect(run).toMatchObject({ value: 0, code: 0 });
    expect(run.waited).toBeGreaterThanOrEqual(200); // it waited for the lock
    expect(await t.db.usageDaily.count()).toBe(1);
  });

  it("a transaction's BEGIN is tried again while SQLite answers SQLITE_BUSY early, up to SQLITE_BEGIN_WAIT_MS", async () => {
    t = await createSqliteTestDb();
    await t.db.usageDaily.count();
    // SQLite's own wait cut to 10 ms on the app's connection: only the BEGIN's retries can wait
    // out the other process's lock (as during a RESTART, where SQLite gave up after ~80 ms).
    await t.db.$executeRawUnsafe("PRAGMA busy_timeout = 10");
    const write = (subject: string) => () => t!.db.$transaction((tx) => tx.usageDaily.create({ data: dailyRow(subject) }));
    const short = await whileLockedElsewhere(t.file, 400, write("key:a"));
    expect(short).toMatchObject({ value: { subject: "key:a" }, code: 0 });
    expect(short.waited).toBeGreaterThanOrEqual(200);
    // A lock held past the bound: the BEGIN gives up (the action's error), and nothing was written.
    const long = await whileLockedElsewhere(t.file, SQLITE_BEGIN_WAIT_MS + 1500, write("key:b"));
    expect("error" in long && long.error).toMatch(/timed out|locked|busy/i);
    expect(long.waited).toBeGreaterThanOrEqual(SQLITE_BEGIN_WAIT_MS - 100);
    expect((await t.db.usageDaily.findMany({ select: { subject: true } })).map((r) => r.subject)).toEqual(["key:a"]);
  }, 20_000);

  it("a write outside a transaction (autocommit) is tried again while SQLite answers SQLITE_BUSY early, up to SQLITE_BEGIN_WAIT_MS", async () => {
    t = await createSqliteTestDb();
    await t.db.usageDaily.count();
    await t.db.$executeRawUnsafe("PRAGMA busy_timeout = 10");
    // A raw statement runs on its own, in autocommit: no BEGIN whose retries would cover it.
    const insert = (subject: string) => () =>
      t!.db.$executeRawUnsafe(`INSERT INTO "UsageDaily" ("day", "subject", "modelId", "region", "inferenceRegion", "identityType", "result", "calls") VALUES ('2026-12-01', ?, 'm', 'us-east-1', '', 'IAMUser', 'success', 1)`, subject);
    const short = await whileLockedElsewhere(t.file, 400, insert("key:a"));
    expect(short).toMatchObject({ value: 1, code: 0 });
    expect(short.waited).toBeGreaterThanOrEqual(200);
    const long = await whileLockedElsewhere(t.file, SQLITE_BEGIN_WAIT_MS + 1500, insert("key:b"));
    expect("error" in long && long.error).toMatch(/locked|busy/i);
    expect(long.waited).toBeGreaterThanOrEqual(SQLITE_BEGIN_WAIT_MS - 100);
    expect((await t.db.usageDaily.findMany({ select: { subject: true } })).map((r) => r.subject)).toEqual(["key:a"]);
  }, 20_000);

  it("a RESTART waiting for an old reader holds the writer back for about a second, not the writer's whole busy timeout", async () => {
    t = await createSqliteTestDb();
    await t.db.$disconnect();
    const writer = new Database(t.file, { timeout: 5000 });
    writer.pragma("journal_mode = WAL");
    writer.exec("CREATE TABLE blob_rows (b BLOB)");
    const insert = writer.prepare("INSERT INTO blob_rows VALUES (randomblob(3000))");
    const transaction = writer.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run();
    });
    transaction(10);
    // A reader that keeps the snapshot it took before the next write (a long read).
    const reader = new Database(t.file, { readonly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT COUNT(*) FROM blob_rows").get();
    // RESTART past 16 frames, every 5 ms: once the write below is in, the worker's RESTART waits
    // for that reader while holding the writer lock.
    const checkpointer = startCheckpointer(t.file, (pages) => writer.pragma(`wal_autocheckpoint = ${pages}`), 5, 16);
    try {
      expect(await checkpointer.ready).toBe(true);
      transaction(100);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The next commit waits for the pending RESTART. The reader cannot end meanwhile (it is on
      // this thread): without the bound the RESTART waited 5 s and the commit gave up or took as long.
      const started = Date.now();
      transaction(10);
      expect(Date.now() - started).toBeLessThan(CHECKPOINT_WAIT_MS + 1500);
    } finally {
      reader.exec("COMMIT");
      reader.close();
      await checkpointer.stop();
      writer.close();
    }
    expect(Number(new Database(t.file, { readonly: true }).prepare("SELECT COUNT(*) AS n FROM blob_rows").pluck().get())).toBe(120);
  });
});
