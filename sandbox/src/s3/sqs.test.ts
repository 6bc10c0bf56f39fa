/**
 * SQS and S3 event notifications, driven only with the real @aws-sdk/client-sqs and client-s3:
 * a queue created through the API, the bucket's notification configuration (with S3's test
 * event), one ObjectCreated:Put message per delivered trail file, long polling that returns as
 * soon as a file lands, visibility timeouts, DeleteMessage, and SQS's errors.
 */
import { CreateUserCommand } from "@aws-sdk/client-iam";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, awsError, control, startSandbox } from "../testing/clients.js";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let sb: Started;
let sqs: SQSClient;
let s3: S3Client;
let queueUrl: string;
const ORG = "o-q1w2e3r4t5";
const BUCKET = "notified-trail";

interface S3Event {
  Records?: Array<{ eventName: string; eventSource: string; s3: { bucket: { name: string }; object: { key: string; size: number } } }>;
  Event?: string;
}

beforeAll(async () => {
  sb = await startSandbox({ trailDelaySeconds: 0 });
  sqs = new SQSClient({ endpoint: sb.url, region: "us-east-1", credentials: ADMIN, maxAttempts: 1 });
  s3 = new S3Client({ endpoint: sb.url, region: "us-east-1", credentials: ADMIN, forcePathStyle: true, maxAttempts: 1 });
  await control(sb.url, "POST", "trails", { name: "org", bucket: BUCKET, orgId: ORG, digests: false });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "trail-files" }))).QueueUrl!;
  await control(sb.url, "PUT", `s3/buckets/${BUCKET}/notifications`, { queueArn: "arn:aws:sqs:us-east-1:123456789012:trail-files", prefix: "AWSLogs/", suffix: ".json.gz" });
});
afterAll(() => sb?.close());

describe("SQS notifications of trail files", () => {
  it("finds the queue by name and starts with S3's test event", async () => {
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: "trail-files" }))).QueueUrl).toBe(queueUrl);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(got.Messages).toHaveLength(1);
    expect((JSON.parse(got.Messages![0]!.Body!) as S3Event).Event).toBe("s3:TestEvent");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle! }));
  });

  it("long polling returns when a trail file lands; the message names the object; delete removes it", async () => {
    const started = Date.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
    await new Promise((r) => setTimeout(r, 300));
    await sb.iam.send(new CreateUserCommand({ UserName: "notified" }));
    const got = await polling;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(got.Messages).toHaveLength(1);
    const msg = got.Messages![0]!;
    const event = JSON.parse(msg.Body!) as S3Event;
    const rec = event.Records![0]!;
    expect(rec).toMatchObject({ eventName: "ObjectCreated:Put", eventSource: "aws:s3", s3: { bucket: { name: BUCKET } } });
    expect(rec.s3.object.key).toMatch(new RegExp(`^AWSLogs/${ORG}/123456789012/CloudTrail/us-east-1/\\d{4}/\\d{2}/\\d{2}/123456789012_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_\\w{16}\\.json\\.gz$`));
    expect(msg.Attributes?.ApproximateReceiveCount).toBe("1");
    // The key names an object the consumer can fetch.
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: rec.s3.object.key }));
    expect(obj.ContentLength).toBe(rec.s3.object.size);

    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: msg.ReceiptHandle! }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }));
    expect(attrs.Attributes).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("WaitTimeSeconds is honoured when nothing arrives", async () => {
    const started = Date.now();
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(got.Messages ?? []).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("a received message is invisible for its VisibilityTimeout, then comes back with a higher receive count", async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "hello" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1 }));
    expect(first.Messages![0]!.Body).toBe("hello");
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? []).toEqual([]);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 3, AttributeNames: ["All"] }));
    expect(again.Messages![0]!.Body).toBe("hello");
    expect(again.Messages![0]!.Attributes?.ApproximateReceiveCount).toBe("2");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }));
  });

  it("answers SQS's errors: unknown queue, bad receipt handle, out-of-range parameters, denied identities", async () => {
    const missing = await awsError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl.replace("trail-files", "nope") })));
    expect(missing.name).toBe("QueueDoesNotExist");
    const badHandle = await awsError(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "not-a-handle" })));
    expect(badHandle.name).toBe("ReceiptHandleIsInvalid");
    const tooMany = await awsError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 })));
    expect(tooMany.message).toContain("MaxNumberOfMessages");
    const noUser = new SQSClient({ endpoint: sb.url, region: "us-east-1", credentials: { accessKeyId: "AKIAUNKNOWNUNKNOWN12", secretAccessKey: "x".repeat(40) }, maxAttempts: 1 });
    expect((await awsError(noUser.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })))).status).toBe(403);
  });
});
