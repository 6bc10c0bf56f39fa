import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export interface S3ClientOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
}

/**
 * The client's settings without its credentials: plain data, so the trail reader's worker thread
 * (lib/usage/trail-reader.ts) builds its own client from exactly these (the same endpoint, region,
 * retries, timeouts and checksum behaviour) and gets the credentials relayed from this thread.
 */
export type S3ClientSettings = ReturnType<typeof s3ClientSettings>;
function s3ClientSettings(options: Omit<S3ClientOptions, "credentials">) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // The client only lists and reads gzip files, whose own CRC-32 and length trailer zlib checks
    // (lib/usage/s3-trail.ts, gunzipText). By default the SDK would also ask S3 for the object's
    // checksum on every GetObject and compute it over the body in JavaScript (CRC64NVME for objects
    // written since S3's default integrity protections): the same guarantee again, per file.
    responseChecksumValidation: "WHEN_REQUIRED" as const,
    requestChecksumCalculation: "WHEN_REQUIRED" as const,
  };
}

const settingsOf = new WeakMap<S3Client, S3ClientSettings>();

/** The settings a client was made with by createS3Client (undefined for any other client). */
export function s3ClientSettingsOf(client: S3Client): S3ClientSettings | undefined {
  return settingsOf.get(client);
}

/**
 * An S3 client for reading the organisation trail's bucket (issue 19). With a configured endpoint
 * (AWS_ENDPOINT_URL: a VPC endpoint, an S3-compatible store, the test harness) requests are
 * path-style, since such endpoints rarely resolve per-bucket host names.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  const settings = s3ClientSettings(options);
  const client = new S3Client({ ...settings, ...(options.credentials ? { credentials: options.credentials } : {}) });
  settingsOf.set(client, settings);
  return client;
}

/** An SQS client for the trail bucket's notifications (issue 19); the endpoint as for S3. */
export function createSqsClient(options: { region: string; endpoint?: string; credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider; maxAttempts?: number }): SQSClient {
  return new SQSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
}
