import "server-only";
import { cloudTrailClientFor } from "@/lib/aws/cloudtrail";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { SyncDeps } from "./sync";
import { TokenBucket } from "./token-bucket";

// One bucket per region for the whole process: runs come and go, the account's allowance does not.
const globalForBuckets = globalThis as unknown as { __lookupBuckets?: Map<string, TokenBucket> };

function bucketFor(region: string): TokenBucket {
  const rate = config().LOOKUP_EVENTS_RPS;
  globalForBuckets.__lookupBuckets ??= new Map();
  let bucket = globalForBuckets.__lookupBuckets.get(region);
  if (!bucket || bucket.ratePerSecond !== rate) {
    bucket = new TokenBucket(rate);
    globalForBuckets.__lookupBuckets.set(region, bucket);
  }
  return bucket;
}

/** The app's dependencies for the usage sync. */
export function usageSyncDeps(): SyncDeps {
  const c = config();
  return {
    db: db(),
    regions: c.BEDROCK_REGIONS,
    clientFor: cloudTrailClientFor,
    bucketFor,
    now: () => new Date(),
    lateEventMs: c.USAGE_LATE_EVENT_MINUTES * 60_000,
    leaseTtlMs: c.USAGE_SYNC_LEASE_SECONDS * 1000,
  };
}
