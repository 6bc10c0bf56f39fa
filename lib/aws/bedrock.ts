import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountAccess, AccountRef } from "@/lib/accounts/access";

/**
 * Bedrock control-plane and CloudWatch Logs clients per account × region (both are regional).
 * The credentials are the account's own in the console: the member role's session for a member
 * account, the console's credentials for the default one (taken from that account's STS client,
 * so one AssumeRole session serves every client of the account).
 */
export interface RegionalClientOptions {
  endpoint?: string;
  maxAttempts: number;
}

export interface RegionalClients {
  bedrock(account: AccountRef, region: string): BedrockClient;
  logs(account: AccountRef, region: string): CloudWatchLogsClient;
}

export function createRegionalClients(access: AccountAccess, options: RegionalClientOptions): RegionalClients {
  const cache = new Map<string, BedrockClient | CloudWatchLogsClient>();
  const common = (account: AccountRef, region: string) => ({
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    credentials: access.clientsFor(account).sts.config.credentials as AwsCredentialIdentity | AwsCredentialIdentityProvider,
    retryMode: "standard" as const,
    maxAttempts: options.maxAttempts,
    // A region that does not answer fails the call instead of holding a page or action open.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  const get = <T extends BedrockClient | CloudWatchLogsClient>(kind: string, account: AccountRef, region: string, make: () => T): T => {
    const key = `${kind}|${account.id}|${account.roleArn ?? ""}|${account.externalId ?? ""}|${region}`;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  };
  return {
    bedrock: (account, region) => get("bedrock", account, region, () => new BedrockClient(common(account, region))),
    logs: (account, region) => get("logs", account, region, () => new CloudWatchLogsClient(common(account, region))),
  };
}
