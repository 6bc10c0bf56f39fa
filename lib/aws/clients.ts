import "server-only";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { IAMClient, type ServiceInputTypes as IamInput, type ServiceOutputTypes as IamOutput } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, DeserializeMiddleware } from "@smithy/types";
import { config } from "@/lib/config";

/**
 * The console's AWS clients. Service functions take these as parameters (tests hand in clients
 * pointed at the sandbox); the app gets one lazily created set from `awsClients()`.
 *
 * There is deliberately no "sandbox mode": the sandbox is just another endpoint, set through
 * AWS_ENDPOINT_URL like any AWS-compatible endpoint.
 */
export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  cloudtrail: CloudTrailClient;
  /** AWS Organizations (account discovery; global, served from us-east-1). */
  organizations: OrganizationsClient;
  /** Region used for STS and CloudTrail (IAM is global). */
  region: string;
}

export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  /** Omitted: the SDK's default credential chain (env, shared files, SSO, container/instance role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // "standard" retries throttling and transient failures (5xx, timeouts, resets) with
    // exponential backoff and full jitter, bounded by a client-side retry quota.
    retryMode: "standard",
    maxAttempts: options.maxAttempts,
    // Fail a hung connection instead of holding a server action open indefinitely.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  } as const;
  // IAM is global; its endpoint lives in us-east-1 (AWS signs IAM requests for us-east-1).
  const iam = new IAMClient({ ...common, region: "us-east-1" });
  iam.middlewareStack.add(iamQuotaIsNotThrottling, { step: "deserialize", priority: "high", name: "iamQuotaIsNotThrottling" });
  return {
    iam,
    sts: new STSClient(common),
    cloudtrail: new CloudTrailClient(common),
    organizations: new OrganizationsClient({ ...common, region: "us-east-1" }),
    region: options.region,
  };
}

/**
 * The SDK's retry classifier treats any error named `LimitExceededException` as throttling. For
 * IAM that name means a hard quota (users per account, keys per user), which no retry can fix:
 * retrying only delays the clear message by several seconds. Renaming it to IAM's wire error code
 * makes the retry layer (which sits outside this middleware) see a plain client error.
 */
const iamQuotaIsNotThrottling: DeserializeMiddleware<IamInput, IamOutput> =
  (next) =>
  async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (error instanceof Error && error.name === "LimitExceededException") {
        Object.defineProperty(error, "name", { value: "LimitExceeded", configurable: true, writable: true });
      }
      throw error;
    }
  };

let cached: AwsClients | undefined;

/** The app's clients, created once, on first use, from the validated configuration. */
export function awsClients(): AwsClients {
  if (!cached) {
    const c = config();
    cached = createAwsClients({ region: c.AWS_REGION, endpoint: c.AWS_ENDPOINT_URL, maxAttempts: c.AWS_MAX_ATTEMPTS });
  }
  return cached;
}
