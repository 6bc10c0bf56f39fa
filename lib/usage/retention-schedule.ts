import "server-only";
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { log } from "@/lib/log";
import { isDraining } from "@/lib/ops/lifecycle";
import { pruneUsageEvents } from "./retention";

const FIRST_RUN_DELAY_MS = 60_000;
const EVERY_MS = 6 * 3_600_000;
const LEASE = "usage-retention";
const globalForSchedule = globalThis as unknown as { __usageRetention?: NodeJS.Timeout };

/** One pruning pass (USAGE_RETENTION_DAYS) under a lease, so one instance prunes at a time. */
export async function runUsageRetention(): Promise<{ deleted: number } | null> {
  const holder = randomUUID();
  const database = db();
  if (!(await acquireLease(database, LEASE, holder, 30 * 60_000, new Date()))) return null;
  try {
    const result = await pruneUsageEvents(database, new Date(), config().USAGE_RETENTION_DAYS, { shouldStop: isDraining });
    if (result.deleted > 0) log().info({ deleted: result.deleted, batches: result.batches, before: result.cutoff.toISOString() }, "usage events pruned");
    return { deleted: result.deleted };
  } finally {
    await releaseLease(database, LEASE, holder);
  }
}

/** Started from lib/startup.ts: a minute after start, then every six hours. */
export function startUsageRetention(): void {
  if (globalForSchedule.__usageRetention) return;
  const tick = () => void runUsageRetention().catch((err: unknown) => log().error({ err }, "usage retention failed"));
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__usageRetention = setInterval(tick, EVERY_MS);
  globalForSchedule.__usageRetention.unref();
}
