import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * An S3 client for reading the organisation trail's bucket (issue 19). With a configured endpoint
 * (AWS_ENDPOINT_URL: a VPC endpoint, an S3-compatible store, the test harness) requests are
 * path-style, since such endpoints rarely resolve per-bucket host names.
 */
export function createS3Client(options: { region: string; endpoint?: string; credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider; maxAttempts?: number }): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // The client only lists and reads gzip files, whose own CRC-32 and length trailer zlib checks
    // (lib/usage/s3-trail.ts, gunzipText). By default the SDK would also ask S3 for the object's
    // checksum on every GetObject and compute it over the body in JavaScript (CRC64NVME for objects
    // written since S3's default integrity protections): the same guarantee again, per file.
    responseChecksumValidation: "WHEN_REQUIRED",
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
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
