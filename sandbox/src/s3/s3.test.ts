/**
 * S3 and trail delivery, driven only with the real @aws-sdk/client-s3 (path-style): the trail
 * files hold the very records the sandbox wrote (same eventIDs as LookupEvents), under AWS's key
 * layout, listed by date prefix with pagination; back-dated traffic lands in its own date folders;
 * digests are there too; S3's errors arrive as the SDK classifies them.
 */
import { gunzipSync } from "node:zlib";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateAccessKeyCommand, CreateUserCommand, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, awsError, control, type Creds, startSandbox } from "../testing/clients.js";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let sb: Started;
let s3: S3Client;
const BUCKET = "org-trail-logs";
const ORG = "o-a1b2c3d4e5";
const TRAIL_PREFIX = `AWSLogs/${ORG}/123456789012/CloudTrail/us-east-1/`;

const s3For = (creds: Creds) => new S3Client({ endpoint: sb.url, region: "us-east-1", credentials: creds, forcePathStyle: true, maxAttempts: 1 });

async function listAll(prefix: string, pageSize: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, MaxKeys: pageSize, ContinuationToken: token }));
    pages++;
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    expect(page.KeyCount).toBe((page.Contents ?? []).length);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

async function records(key: string): Promise<Array<Record<string, unknown>>> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = Buffer.from(await out.Body!.transformToByteArray());
  return (JSON.parse(gunzipSync(bytes).toString("utf8")) as { Records: Array<Record<string, unknown>> }).Records;
}

beforeAll(async () => {
  sb = await startSandbox({ trailDelaySeconds: 0 });
  s3 = s3For(ADMIN);
  await control(sb.url, "POST", "trails", { name: "org-trail", bucket: BUCKET, orgId: ORG });
});
afterAll(() => sb?.close());

describe("trail files in S3", () => {
  it("delivers the records the sandbox wrote, with the eventIDs LookupEvents returns, under the documented key layout", async () => {
    for (let i = 0; i < 7; i++) await sb.iam.send(new CreateUserCommand({ UserName: `trail-user-${i}` }));
    await sb.iam.send(new ListUsersCommand({}));
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
    const { keys } = await listAll(`${TRAIL_PREFIX}${today}/`, 1000);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${TRAIL_PREFIX}${today}/123456789012_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
    }
    const delivered = (await Promise.all(keys.map(records))).flat();
    const looked = await sb.cloudtrail.send(new LookupEventsCommand({ MaxResults: 50 }));
    const lookupIds = (looked.Events ?? []).map((e) => e.EventId).sort();
    expect(lookupIds).toHaveLength(8);
    expect(delivered.map((r) => r.eventID).sort()).toEqual(lookupIds);
    // The file record is the record LookupEvents shows as CloudTrailEvent.
    const one = looked.Events!.find((e) => e.EventName === "CreateUser")!;
    expect(delivered.find((r) => r.eventID === one.EventId)).toEqual(JSON.parse(one.CloudTrailEvent!));
    expect(delivered.every((r) => r.recipientAccountId === "123456789012" && r.awsRegion === "us-east-1")).toBe(true);
  });

  it("puts back-dated traffic in the date folders of its own time and pages through a date prefix", async () => {
    const day = Date.UTC(2025, 10, 1); // 1 Nov 2025, ~400 days before the test's present
    const events = Array.from({ length: 30 }, (_, i) => ({
      eventVersion: "1.11",
      eventTime: new Date(day + 3_600_000 + i * 120_000).toISOString().replace(/\.\d{3}Z$/, "Z"), // 01:00–01:58, 12 windows
      eventSource: "bedrock.amazonaws.com",
      eventName: "InvokeModel",
      awsRegion: "us-east-1",
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      eventCategory: "Data",
      managementEvent: false,
      recipientAccountId: "123456789012",
    }));
    await control(sb.url, "POST", "events", events);
    const { keys, pages } = await listAll(`${TRAIL_PREFIX}2025/11/01/`, 5);
    expect(keys).toHaveLength(12); // one file per 5-minute window (events every 2 minutes for 58 minutes)
    expect(pages).toBe(3);
    expect([...keys].sort()).toEqual(keys); // S3 order
    expect(keys.every((k) => /_20251101T01\d{2}Z_/.test(k))).toBe(true);
    const ids = (await Promise.all(keys.map(records))).flat().map((r) => r.eventID);
    expect(ids.sort()).toEqual(events.map((e) => e.eventID).sort());
    // StartAfter continues after a key, as an incremental reader with a cursor does.
    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TRAIL_PREFIX}2025/11/01/`, StartAfter: keys[9] }));
    expect(after.Contents!.map((o) => o.Key)).toEqual(keys.slice(10));
    // Delimiter: the date folders of the region.
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TRAIL_PREFIX}2025/`, Delimiter: "/" }));
    expect(folders.CommonPrefixes!.map((p) => p.Prefix)).toEqual([`${TRAIL_PREFIX}2025/11/`]);
  });

  it("writes digest files under CloudTrail-Digest, listing the log files with their SHA-256", async () => {
    const { keys } = await listAll(`AWSLogs/${ORG}/123456789012/CloudTrail-Digest/us-east-1/2025/11/01/`, 1000);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatch(/\/123456789012_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20251101T\d{6}Z\.json\.gz$/);
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0]! }));
    const digest = JSON.parse(gunzipSync(Buffer.from(await out.Body!.transformToByteArray())).toString("utf8")) as { logFiles: Array<{ s3Object: string; hashValue: string }> };
    expect(digest.logFiles.length).toBeGreaterThan(0);
    expect(digest.logFiles[0]!.s3Object).toContain("/CloudTrail/us-east-1/2025/11/01/");
  });

  it("answers HeadObject, ranges and ListBuckets", async () => {
    const { keys } = await listAll(`${TRAIL_PREFIX}2025/11/01/`, 1000);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: keys[0]! }));
    expect(head.ContentLength).toBeGreaterThan(20);
    expect(head.ContentType).toBe("application/json");
    const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0]!, Range: "bytes=0-1" }));
    expect(Buffer.from(await part.Body!.transformToByteArray())).toEqual(Buffer.from([0x1f, 0x8b])); // gzip magic
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
  });
});

describe("S3 errors", () => {
  it("NoSuchBucket and NoSuchKey (404) for the admin", async () => {
    const e = await awsError(s3.send(new ListObjectsV2Command({ Bucket: "no-such-bucket-here" })));
    expect(e).toMatchObject({ name: "NoSuchBucket", status: 404 });
    const k = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "AWSLogs/nothing.json.gz" })));
    expect(k).toMatchObject({ name: "NoSuchKey", status: 404 });
  });

  it("AccessDenied (403) from a bucket policy that denies, from identity policies, and across accounts", async () => {
    await control(sb.url, "POST", "s3/buckets", { name: "locked-bucket" });
    await control(sb.url, "POST", "s3/buckets/locked-bucket/deny", { deny: true });
    const denied = await awsError(s3.send(new ListObjectsV2Command({ Bucket: "locked-bucket" })));
    expect(denied).toMatchObject({ name: "AccessDenied", status: 403 });

    // An IAM user allowed s3:GetObject only: it may read a file but neither list nor learn a key is missing.
    await sb.iam.send(new CreateUserCommand({ UserName: "reader" }));
    await sb.iam.send(new PutUserPolicyCommand({
      UserName: "reader",
      PolicyName: "read",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/*` }] }),
    }));
    const key = (await sb.iam.send(new CreateAccessKeyCommand({ UserName: "reader" }))).AccessKey!;
    const reader = s3For({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const { keys } = await listAll(`${TRAIL_PREFIX}2025/11/01/`, 1000);
    const got = await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0]! }));
    expect(got.ContentLength).toBeGreaterThan(0);
    const list = await awsError(reader.send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect(list).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(list.message).toContain("is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::org-trail-logs because no identity-based policy allows the s3:ListBucket action");
    const missing = await awsError(reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: "AWSLogs/missing.json.gz" })));
    expect(missing).toMatchObject({ name: "AccessDenied", status: 403 });

    // Another account's administrator cannot read the management account's bucket (no bucket policy).
    const member = (await control(sb.url, "POST", "accounts", { id: "222233334444", name: "Member" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
    const other = s3For({ accessKeyId: member.adminAccessKeyId, secretAccessKey: member.adminSecretAccessKey });
    expect(await awsError(other.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("refuses unknown keys and bad signatures", async () => {
    const unknown = s3For({ accessKeyId: "AKIAUNKNOWNUNKNOWN12", secretAccessKey: "x".repeat(40) });
    expect(await awsError(unknown.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ name: "InvalidAccessKeyId", status: 403 });
    const wrong = s3For({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: "y".repeat(40) });
    const e = await awsError(wrong.send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect(e).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
  });

  it("injects faults from the control API (service s3)", async () => {
    await control(sb.url, "POST", "faults", { service: "s3", operation: "GetObject", count: 1, error: { code: "SlowDown", status: 503, message: "Please reduce your request rate." } });
    const { keys } = await listAll(`${TRAIL_PREFIX}2025/11/01/`, 1000);
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0]! })))).toMatchObject({ name: "SlowDown", status: 503 });
    expect((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0]! }))).ContentLength).toBeGreaterThan(0);
  });

  it("serves objects put through the control API byte for byte (bad-input fixtures)", async () => {
    const junk = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]); // a truncated gzip header
    await fetch(`${sb.url}/_sandbox/s3/buckets/${BUCKET}/objects/${TRAIL_PREFIX}2025/11/02/truncated.json.gz`, { method: "PUT", body: junk });
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${TRAIL_PREFIX}2025/11/02/truncated.json.gz` }));
    expect(Buffer.from(await out.Body!.transformToByteArray())).toEqual(junk);
  });
});
