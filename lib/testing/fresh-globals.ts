/**
 * Setup file of vitest's "shared" project (vitest.config.ts): its files run one after another in
 * a worker process with one globalThis, and the product keeps some process-wide state there (so
 * every bundle of the built server sees one copy). Before each file this clears that state — the
 * live model catalogue, Bedrock's token buckets, the health cache, the draining flag and held
 * leases, any schedule's timer a file left running — so no file starts from another's.
 *
 * lib/testing/fresh-globals.test.ts checks that every `__name` the product puts on globalThis is
 * listed here, either to clear or, with the reason, to keep.
 */

/** Timers of the background schedules: cleared, then forgotten. */
export const TIMERS = [
  "__auditCheckpoints",
  "__budgetSchedule",
  "__inventorySchedule",
  "__invocationLogSchedule",
  "__modelsReload",
  "__modelsSchedule",
  "__postureSchedule",
  "__requestJobs",
  "__rotationSchedule",
  "__usageRetention",
  "__usageSchedule",
] as const;

/** Caches and flags: forgotten, and made afresh on first use. */
export const STATE = [
  "__consoleHealth",
  "__consoleLifecycle",
  "__liveCatalogue",
  "__liveCatalogueAt",
  "__liveCatalogueLoading",
  "__tokenBuckets",
] as const;

/**
 * Kept: the default Prisma client (tests use their own, from lib/testing/test-db.ts; dropping it
 * would leave a connection open) and the mark that the signal handlers are installed (installing
 * them twice would run shutdown twice).
 */
export const KEPT = ["__consoleDb", "__consoleShutdownInstalled"] as const;

export function freshGlobals(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of TIMERS) {
    const timer = g[name];
    if (timer !== undefined) clearTimeout(timer as NodeJS.Timeout);
    delete g[name];
  }
  for (const name of STATE) delete g[name];
}

freshGlobals();
