import "server-only";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { accountAccess } from "@/lib/accounts/deps";
import { regionsOf } from "@/lib/accounts/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { processBucket } from "@/lib/usage/token-bucket";
import type { CostStream } from "./ingest";

// One FilterLogEvents bucket per account × region for the whole process: runs come and go, the
// account's 5 requests/s do not.
const bucketFor = (key: string) => processBucket(`filterLogEvents:${key}`, config().FILTER_LOG_EVENTS_RPS);

const clients = new Map<string, { logs: CloudWatchLogsClient; bedrock: BedrockClient }>();

/**
 * The account × regions whose invocation logs a usage sync reads: every configured region of the
 * console's own account and of each active member account (through its role). Empty when
 * INVOCATION_LOGS_SYNC is off.
 */
export async function costStreams(): Promise<CostStream[]> {
  const c = config();
  if (!c.INVOCATION_LOGS_SYNC) return [];
  const access = accountAccess();
  const own = await access.ensureDefault();
  const members = await db().awsAccount.findMany({ where: { status: "active", roleArn: { not: null }, id: { not: own } }, orderBy: { id: "asc" } });
  const accounts = [
    { id: own, name: undefined as string | undefined, regions: c.BEDROCK_REGIONS as readonly string[], credentials: undefined as ReturnType<typeof access.credentialsOf> },
    ...members.map((a) => ({ id: a.id, name: a.name, regions: regionsOf(a, c.BEDROCK_REGIONS), credentials: access.credentialsOf({ id: a.id, roleArn: a.roleArn, externalId: a.externalId }) })),
  ];
  return accounts.flatMap((a) =>
    a.regions.map((region) => {
      const key = `${a.id}/${region}`;
      let pair = clients.get(key);
      if (!pair) {
        const common = { region, ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), ...(a.credentials ? { credentials: a.credentials } : {}) };
        // maxAttempts 1 for Logs: the reader paces and retries FilterLogEvents itself (the SDK's
        // retries would fire past the bucket and spend the account's shared 5 requests/s).
        pair = { logs: new CloudWatchLogsClient({ ...common, maxAttempts: 1 }), bedrock: new BedrockClient({ ...common, maxAttempts: c.AWS_MAX_ATTEMPTS }) };
        clients.set(key, pair);
      }
      return { accountId: a.id, ...(a.name ? { accountName: a.name } : {}), region, ...pair, bucket: bucketFor(key) };
    }),
  );
}
