/**
 * Test-only: the keys test environment (in-process sandbox, migrated test database, users and
 * teams) plus the usage sync's dependencies pointed at the sandbox. Never imported by product code.
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { createCloudTrailClient } from "@/lib/aws/cloudtrail";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ADMIN_CREDENTIALS, createKeysTestEnv } from "@/tests/support/keys-env";
import type { SyncDeps } from "@/lib/usage/sync";
import { TokenBucket } from "@/lib/usage/token-bucket";

export const TEST_REGIONS = ["us-east-1", "us-west-2", "eu-central-1"] as const;

export async function createUsageTestEnv() {
  const env = await createKeysTestEnv({ maxAttempts: 1 });
  const clients = new Map<string, CloudTrailClient>();
  const clientFor = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = createCloudTrailClient({ region, endpoint: env.sandbox.url, credentials: ADMIN_CREDENTIALS });
      clients.set(region, c);
    }
    return c;
  };

  async function control(method: string, path: string, body?: unknown) {
    const res = await fetch(`${env.sandbox.url}/_sandbox/${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  }

  /**
   * Sync dependencies. By default the sandbox's LookupEvents limit is off and the bucket fast, so
   * tests run quickly; `throttled` tests turn the sandbox's limit back on.
   */
  function syncDeps(overrides: Partial<SyncDeps> & { rps?: number } = {}): SyncDeps {
    const buckets = new Map<string, TokenBucket>();
    const { rps = 1000, ...rest } = overrides;
    return {
      db: env.db,
      regions: [...TEST_REGIONS],
      clientFor,
      bucketFor: (region) => {
        let b = buckets.get(region);
        if (!b) buckets.set(region, (b = new TokenBucket(rps)));
        return b;
      },
      now: () => new Date(),
      lateEventMs: 15 * 60_000,
      retry: { baseMs: 20, maxMs: 200, maxAttempts: 20 },
      ...rest,
    };
  }

  await control("POST", "throttle", { lookupEventsPerSecond: 0 });
  return {
    ...env,
    clientFor,
    syncDeps,
    control,
    /** Bulk-insert CloudTrail records (POST /_sandbox/events). */
    insertEvents: (records: unknown[]) => control("POST", "events", records),
    setLookupRate: (perSecond: number) => control("POST", "throttle", { lookupEventsPerSecond: perSecond }),
    /** All stored event ids, to check that nothing is missing or doubled. */
    storedEventIds: async (db: PrismaClient = env.db) => (await db.usageEvent.findMany({ select: { eventId: true } })).map((e) => e.eventId).sort(),
  };
}

export type UsageTestEnv = Awaited<ReturnType<typeof createUsageTestEnv>>;
