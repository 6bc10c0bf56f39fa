/**
 * "Sync now" pressed on two console instances (two Prisma clients, two connection pools) on one
 * PostgreSQL database at the same moment: one run, both told about it, every event stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { recountRollups, storedRollups } from "./rollups";
import { startUsageSync } from "./sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { TokenBucket } from "./token-bucket";

let env: UsageTestEnv;
let other: PrismaClient;
beforeAll(async () => {
  env = await createUsageTestEnv();
  other = createPrismaClient(env.dbUrl, { poolSize: 10 });
});
afterAll(async () => {
  await other?.$disconnect();
  await env?.close();
});

describe("usage sync across instances", () => {
  it("10 presses of Sync now on two instances start one run; every press reports that run", async () => {
    const to = Date.now() - 60_000;
    await env.insertEvents(generateEvents(300, { seed: 12, from: to - 10 * 86_400_000, to }).map((r) => ({ ...r, awsRegion: "us-east-1" })));
    // The run that wins waits at its first CloudTrail request until every press has been
    // answered, so all of them really arrive while it runs.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    class GatedBucket extends TokenBucket {
      override async take() {
        await gate;
        return super.take();
      }
    }
    const instanceA = env.syncDeps({ bucketFor: () => new GatedBucket(1000) });
    const instanceB = env.syncDeps({ db: other, bucketFor: () => new GatedBucket(1000) });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => startUsageSync(i % 2 === 0 ? instanceA : instanceB, "manual")));
    open();
    const started = outcomes.filter((o) => o.status === "started");
    expect(started).toHaveLength(1);
    const run = started[0]!;
    if (run.status !== "started") throw new Error("unreachable");
    for (const o of outcomes) expect(o.runId).toBe(run.runId);
    expect((await run.done).status).toBe("success");
    expect(await env.db.usageSyncRun.count()).toBe(1);
    expect(await other.usageEvent.count()).toBe(300);
    expect(await storedRollups(other)).toEqual(await recountRollups(other));
  });

  it("scheduled ticks on two instances within one interval start one run; the next interval starts the next", async () => {
    const interval = 60_000;
    // Later than the run of the test above, so this starts a fresh interval.
    let clock = Date.now() + 10 * 60_000;
    const instanceA = env.syncDeps({ now: () => new Date(clock) });
    const instanceB = env.syncDeps({ db: other, now: () => new Date(clock) });
    const before = await env.db.usageSyncRun.count();
    // Both timers fire at (almost) the same moment, then B's fires again 20 s later.
    const [a, b] = await Promise.all([startUsageSync(instanceA, "schedule", { notWithinMs: interval }), startUsageSync(instanceB, "schedule", { notWithinMs: interval })]);
    const started = [a, b].filter((o) => o.status === "started");
    expect(started).toHaveLength(1);
    expect([a, b].filter((o) => o.status !== "started").map((o) => o.status)[0]).toMatch(/^(running|skipped)$/);
    if (started[0]?.status === "started") await started[0].done;
    clock += 20_000;
    expect((await startUsageSync(instanceB, "schedule", { notWithinMs: interval })).status).toBe("skipped");
    expect(await env.db.usageSyncRun.count()).toBe(before + 1);
    // One interval later, whichever instance ticks first starts the next run.
    clock += interval;
    const next = await startUsageSync(instanceB, "schedule", { notWithinMs: interval });
    expect(next.status).toBe("started");
    if (next.status === "started") await next.done;
    expect(await env.db.usageSyncRun.count()).toBe(before + 2);
  });
});
