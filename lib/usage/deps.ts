import "server-only";
import { accountAccess } from "@/lib/accounts/deps";
import { accountFailure, recordAccountResult, regionsOf } from "@/lib/accounts/service";
import { cloudTrailClientFor } from "@/lib/aws/cloudtrail";
import { createS3Client, createSqsClient } from "@/lib/aws/s3";
import { config } from "@/lib/config";
import { evaluateBudgetsSoon } from "@/lib/budgets/schedule";
import { costStreams } from "@/lib/cost/deps";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import type { SyncDeps } from "./sync";
import { loadTrailSource } from "./trail-settings";
import { processBucket } from "./token-bucket";

// One bucket per region for the whole process: runs come and go, the account's allowance does not.
const bucketFor = (region: string) => processBucket(`lookup:${region}`, config().LOOKUP_EVENTS_RPS);

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
    // Member accounts (issue 14): active, reached through their role; the console's own account
    // is read with its own credentials through `regions` above.
    memberAccounts: async () => {
      const access = accountAccess();
      const own = await access.ensureDefault().catch(() => null);
      const rows = await db().awsAccount.findMany({ where: { status: "active", roleArn: { not: null }, ...(own ? { id: { not: own } } : {}) }, orderBy: { id: "asc" } });
      return rows.map((a) => ({
        accountId: a.id,
        name: a.name,
        regions: regionsOf(a, c.BEDROCK_REGIONS),
        clientFor: (region: string) => access.cloudTrailFor({ id: a.id, roleArn: a.roleArn!, externalId: a.externalId }, region),
      }));
    },
    // The organisation trail (issue 19), read with the reader account's credentials.
    trailSource: async () => {
      const access = accountAccess();
      const own = await access.ensureDefault().catch(() => null);
      return loadTrailSource(db(), {
        defaultRegions: c.BEDROCK_REGIONS,
        ownAccountId: own,
        s3For: (reader, region) => {
          const credentials = reader ? access.credentialsOf(reader) : undefined;
          return createS3Client({ region, ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), ...(credentials ? { credentials } : {}), maxAttempts: c.AWS_MAX_ATTEMPTS });
        },
        sqsFor: (reader, region) => {
          const credentials = reader ? access.credentialsOf(reader) : undefined;
          return createSqsClient({ region, ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), ...(credentials ? { credentials } : {}), maxAttempts: c.AWS_MAX_ATTEMPTS });
        },
      });
    },
    // Tokens and cost from the model invocation logs (issue 15), in the same run.
    costStreams,
    costLateMs: c.INVOCATION_LOG_LATE_MINUTES * 60_000,
    onCostStored: evaluateBudgetsSoon,
    onBadTrailFile: (file) => log().warn(file, "unreadable trail file skipped"),
    onAccountResults: async (results) => {
      for (const [accountId, error] of results) await recordAccountResult(db(), accountId, new Date(), error === null ? null : accountFailure(error));
    },
  };
}
