import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { backfillSchema, getTrailSettings, loadTrailSource, trailFormSchema, updateTrailSettings } from "./trail-settings";

let testDb: Awaited<ReturnType<typeof createTestDb>>;
let db: PrismaClient;
const admin = { id: "admin-1", email: "admin@example.com" };

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterAll(async () => testDb?.cleanup());

beforeEach(async () => {
  await db.usageTrailConfig.deleteMany({});
  await db.awsAccount.deleteMany({});
  await db.awsAccount.create({ data: { id: "123456789012", name: "Main", source: "default" } });
  await db.awsAccount.create({ data: { id: "222233334444", name: "Staging", roleArn: "arn:aws:iam::222233334444:role/BedrockKeyConsole" } });
});

function sink() {
  const entries: { target?: unknown; details: Record<string, unknown> } = { details: {} };
  return { entries, audit: { target: (t: unknown) => (entries.target = t), detail: (d: Record<string, unknown>) => Object.assign(entries.details, d) } };
}

const form = (over: Record<string, unknown> = {}) =>
  trailFormSchema.parse({ version: "0", bucket: "org-cloudtrail-logs", bucketRegion: "us-east-1", orgId: "o-a1b2c3d4e5", prefix: "", readerAccountId: "", queueUrl: "", source_123456789012: "both", source_222233334444: "s3", ...over });

describe("where usage comes from (issue 19): the trail settings", () => {
  it("saves the trail and each account's source, audited with the values before and after", async () => {
    const { entries, audit } = sink();
    const saved = await updateTrailSettings(db, admin, form(), audit);
    expect(saved.version).toBe(1);
    expect(saved.trail).toEqual({ bucket: "org-cloudtrail-logs", prefix: "", orgId: "o-a1b2c3d4e5", bucketRegion: "us-east-1", readerAccountId: null, queueUrl: null });
    expect(Object.fromEntries(saved.accounts.map((a) => [a.id, a.source]))).toEqual({ "123456789012": "both", "222233334444": "s3" });
    expect(entries.details.before).toEqual({ trail: null, sources: { "123456789012": "lookup", "222233334444": "lookup" } });
    expect(entries.details.after).toMatchObject({ trail: { bucket: "org-cloudtrail-logs" }, sources: { "123456789012": "both", "222233334444": "s3" } });

    // The run's plan: both accounts from S3 in their regions; LookupEvents off for the s3-only one.
    const source = await loadTrailSource(db, { defaultRegions: ["us-east-1", "eu-west-1"], ownAccountId: "123456789012", s3For: () => ({}) as never });
    expect(source!.streams.map((s) => `${s.accountId}/${s.region}`)).toEqual(["123456789012/us-east-1", "123456789012/eu-west-1", "222233334444/us-east-1", "222233334444/eu-west-1"]);
    expect([...source!.lookupOff]).toEqual(["222233334444"]);

    // Turning the trail off (empty bucket) needs every account back on LookupEvents.
    await expect(updateTrailSettings(db, admin, form({ version: "1", bucket: "" }), sink().audit)).rejects.toMatchObject({ code: "usageTrail.bucketRequired" });
    const off = await updateTrailSettings(db, admin, form({ version: "1", bucket: "", source_123456789012: "lookup", source_222233334444: "lookup" }), sink().audit);
    expect(off.trail).toBeNull();
    expect(await loadTrailSource(db, { defaultRegions: ["us-east-1"], ownAccountId: "123456789012", s3For: () => ({}) as never })).toBeNull();
  });

  it("accepts a backfill from a real past day only", () => {
    expect(backfillSchema.safeParse({ from: "2025-02-01" }).success).toBe(true);
    for (const [from, code] of [
      ["2025-02-30", "field.date"],
      ["01/02/2025", "field.date"],
      ["2012-01-01", "field.date"],
      [new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), "field.dateInFuture"],
    ] as const) {
      const parsed = backfillSchema.safeParse({ from });
      expect(parsed.success, from).toBe(false);
      expect(parsed.error!.issues[0]!.message, from).toBe(code);
    }
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    for (const [field, value, code] of [
      ["bucket", "Not_A_Bucket", "field.trailBucket"],
      ["orgId", "org-1", "field.trailOrgId"],
      ["prefix", "/logs/", "field.trailPrefix"],
      ["bucketRegion", "mars-1", "field.region"],
      ["queueUrl", "ftp://queue", "field.queueUrl"],
      ["source_123456789012", "sometimes", undefined],
    ] as const) {
      const parsed = trailFormSchema.safeParse({ version: "0", bucket: "org-cloudtrail-logs", bucketRegion: "us-east-1", [field]: value });
      expect(parsed.success, field).toBe(false);
      if (code) expect(parsed.error!.issues[0]!.message).toBe(code);
    }
    await expect(updateTrailSettings(db, admin, form({ bucketRegion: "" }), sink().audit)).rejects.toMatchObject({ code: "usageTrail.regionRequired" });
    await expect(updateTrailSettings(db, admin, form({ readerAccountId: "999999999999" }), sink().audit)).rejects.toBeInstanceOf(ActionError);
    await expect(updateTrailSettings(db, admin, form({ source_999999999999: "s3" }), sink().audit)).rejects.toMatchObject({ code: "usageTrail.unknownAccount" });
    // A stale form (someone saved in between) is refused.
    await updateTrailSettings(db, admin, form(), sink().audit);
    await expect(updateTrailSettings(db, admin, form({ bucket: "other-bucket" }), sink().audit)).rejects.toMatchObject({ code: "conflict" });
    const now = await getTrailSettings(db);
    expect(now.version).toBe(1);
    expect(now.trail!.bucket).toBe("org-cloudtrail-logs");
  });
});
