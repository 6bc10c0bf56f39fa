import "server-only";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { config } from "@/lib/config";

/**
 * CloudTrail clients per region, for the usage sync. CloudTrail's event history is regional
 * (each region lists the calls made there), so the sync needs one client per configured region.
 *
 * maxAttempts 1: the sync paces and retries LookupEvents itself (a token bucket per region plus
 * backoff on ThrottlingException). The SDK's own retries would fire extra requests past the
 * bucket and spend the account's shared 2 requests/s.
 */
export function createCloudTrailClient(options: {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}): CloudTrailClient {
  return new CloudTrailClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
}

const cached = new Map<string, CloudTrailClient>();

/** The app's CloudTrail client for a region (default credential chain, configured endpoint). */
export function cloudTrailClientFor(region: string): CloudTrailClient {
  let client = cached.get(region);
  if (!client) {
    client = createCloudTrailClient({ region, endpoint: config().AWS_ENDPOINT_URL });
    cached.set(region, client);
  }
  return client;
}
