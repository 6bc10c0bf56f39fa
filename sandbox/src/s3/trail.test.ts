/**
 * Trail delivery rules, read back only through the real @aws-sdk/client-s3: the delivery delay on
 * the sandbox clock, an organisation trail covering member accounts (and only the accounts and
 * regions it names), 400 days of generator traffic in the date folders of its own time, and the
 * bulk synthesiser the benchmarks use.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { generateTraffic } from "../traffic/generate.js";
import { ADMIN, control, startSandbox } from "../testing/clients.js";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let sb: Started | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const ORG = "o-zz9988776655";
const s3Of = (url: string) => new S3Client({ endpoint: url, region: "us-east-1", credentials: ADMIN, forcePathStyle: true, maxAttempts: 1 });

async function allKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function fileRecords(s3: S3Client, bucket: string, key: string): Promise<Array<{ eventID: string; eventTime: string; eventName?: string; recipientAccountId?: string }>> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (JSON.parse(gunzipSync(Buffer.from(await out.Body!.transformToByteArray())).toString("utf8")) as { Records: Array<{ eventID: string; eventTime: string }> }).Records;
}

describe("trail delivery", () => {
  it("holds files back for the delivery delay on the sandbox clock, then names them by delivery time", async () => {
    sb = await startSandbox({ trailDelaySeconds: 300 });
    const s3 = s3Of(sb.url);
    await control(sb.url, "POST", "trails", { bucket: "delayed-trail", orgId: ORG });
    await sb.iam.send(new CreateUserCommand({ UserName: "delayed" }));
    const prefix = `AWSLogs/${ORG}/123456789012/CloudTrail/`;
    expect(await allKeys(s3, "delayed-trail", prefix)).toEqual([]);
    await control(sb.url, "POST", "clock", { advanceSeconds: 290 });
    expect(await allKeys(s3, "delayed-trail", prefix)).toEqual([]);
    await control(sb.url, "POST", "clock", { advanceSeconds: 20 });
    const keys = await allKeys(s3, "delayed-trail", prefix);
    expect(keys).toHaveLength(1);
    const [record] = await fileRecords(s3, "delayed-trail", keys[0]!);
    const due = new Date(Date.parse(record!.eventTime) + 300_000).toISOString();
    const stampOf = (iso: string) => iso.slice(0, 16).replace(/[-:]/g, "") + "Z";
    expect(keys[0]).toContain(`_CloudTrail_us-east-1_${stampOf(due)}_`);
  });

  it("covers member accounts of the organisation, and only the accounts and regions the trail names", async () => {
    sb = await startSandbox({ trailDelaySeconds: 0 });
    const s3 = s3Of(sb.url);
    const member = (await control(sb.url, "POST", "accounts", { id: "333344445555", name: "Team" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
    await control(sb.url, "POST", "accounts", { id: "666677778888", name: "Ignored" });
    await control(sb.url, "POST", "trails", { name: "scoped", bucket: "scoped-trail", orgId: ORG, accounts: ["123456789012", "333344445555"], regions: ["us-east-1", "us-west-2"] });
    const iam = new IAMClient({ endpoint: sb.url, region: "us-east-1", credentials: { accessKeyId: member.adminAccessKeyId, secretAccessKey: member.adminSecretAccessKey }, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: "in-member" }));
    const at = "2026-01-15T10:00:00Z";
    const ev = (region: string, id: string) => ({ eventTime: at, eventSource: "bedrock.amazonaws.com", eventName: "Converse", awsRegion: region, eventID: id });
    await control(sb.url, "POST", "events?account=333344445555", [ev("us-west-2", "in-west"), ev("eu-west-1", "not-in-eu")]);
    await control(sb.url, "POST", "events?account=666677778888", [ev("us-east-1", "not-in-ignored")]);

    const memberKeys = await allKeys(s3, "scoped-trail", `AWSLogs/${ORG}/333344445555/CloudTrail/`);
    const regions = new Set(memberKeys.map((k) => k.split("/")[4]));
    expect(regions).toEqual(new Set(["us-east-1", "us-west-2"]));
    const ids = (await Promise.all(memberKeys.map((k) => fileRecords(s3, "scoped-trail", k)))).flat();
    expect(ids.map((r) => r.eventID)).toContain("in-west");
    expect(ids.find((r) => r.eventID !== "in-west")?.recipientAccountId).toBe("333344445555");
    expect(ids.map((r) => r.eventID)).not.toContain("not-in-eu");
    expect(await allKeys(s3, "scoped-trail", `AWSLogs/${ORG}/666677778888/`)).toEqual([]);
    expect(memberKeys.filter((k) => k.includes("/us-west-2/2026/01/15/333344445555_CloudTrail_us-west-2_20260115T1000Z_"))).toHaveLength(1);
    // An account that leaves the organisation is no longer covered by its trail.
    await control(sb.url, "POST", "accounts/333344445555/leave");
    await control(sb.url, "POST", "events?account=333344445555", [ev("us-west-2", "after-leaving")]);
    const after = await allKeys(s3, "scoped-trail", `AWSLogs/${ORG}/333344445555/CloudTrail/`);
    expect(after).toEqual(memberKeys);
  });

  it("puts 400 days of generator traffic (live calls and bulk) in the date folders of its own time, each record once, LookupEvents' included", async () => {
    sb = await startSandbox({ trailDelaySeconds: 0, lookupEventsRatePerSecond: 0 });
    const s3 = s3Of(sb.url);
    await control(sb.url, "POST", "trails", { bucket: "history-trail", orgId: ORG });
    await generateTraffic({ endpoint: sb.url, days: 400, calls: 30, bulk: 400, seed: 7 });
    const written = new Map<string, string>();
    for (const { event } of sb.state.events.all()) {
      const r = JSON.parse(sb.state.events.json(event)) as { eventID: string; eventTime: string };
      written.set(r.eventID, r.eventTime);
    }
    const keys = await allKeys(s3, "history-trail", `AWSLogs/${ORG}/123456789012/CloudTrail/`);
    const seen = new Map<string, number>();
    const folders = new Set<string>();
    for (const key of keys) {
      const folder = /\/CloudTrail\/[a-z0-9-]+\/(\d{4}\/\d{2}\/\d{2})\//.exec(key)![1]!;
      folders.add(folder);
      for (const r of await fileRecords(s3, "history-trail", key)) {
        seen.set(r.eventID, (seen.get(r.eventID) ?? 0) + 1);
        expect(r.eventTime.slice(0, 10).replace(/-/g, "/")).toBe(folder);
      }
    }
    expect(seen.size).toBe(written.size);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // What LookupEvents returns (management events of the last 90 days, per region) is in the files, once.
    const regions = new Set(keys.map((k) => k.split("/")[4]!));
    let looked = 0;
    for (const region of regions) {
      const ct = new CloudTrailClient({ endpoint: sb.url, region, credentials: ADMIN, maxAttempts: 1 });
      let token: string | undefined;
      do {
        const page = await ct.send(new LookupEventsCommand({ MaxResults: 50, NextToken: token }));
        for (const e of page.Events ?? []) {
          expect(seen.get(e.EventId!)).toBe(1);
          looked++;
        }
        token = page.NextToken;
      } while (token);
    }
    expect(looked).toBeGreaterThan(30);
    const oldest = [...folders].sort()[0]!;
    expect(Date.now() - Date.parse(oldest.replace(/\//g, "-"))).toBeGreaterThan(390 * 86_400_000);
  }, 120_000);

  it("synthesises a big trail straight into files: N events over M accounts and D days, with digests", async () => {
    sb = await startSandbox({ trailDelaySeconds: 0 });
    const s3 = s3Of(sb.url);
    await control(sb.url, "POST", "trails", { name: "bench", bucket: "bench-trail", orgId: ORG });
    // Without waiting (big trails outlast HTTP header timeouts): 202, then progress until done.
    const started = (await control(sb.url, "POST", "trails/bench/synthesize", { events: 3000, accounts: 3, days: 2, end: "2026-03-01T00:00:00Z", seed: 3, wait: false })) as { state: string };
    expect(started.state).toBe("running");
    let job: { state: string; result?: { events: number; files: number; accounts: string[] } };
    do {
      await new Promise((r) => setTimeout(r, 50));
      job = (await control(sb.url, "GET", "trails/bench/synthesize")) as typeof job;
    } while (job.state === "running");
    expect(job.state).toBe("done");
    const out = job.result!;
    expect(out.events).toBe(3000);
    expect(out.accounts).toHaveLength(3);
    let total = 0;
    for (const account of out.accounts) {
      const keys = await allKeys(s3, "bench-trail", `AWSLogs/${ORG}/${account}/CloudTrail/`);
      for (const key of keys) {
        const recs = await fileRecords(s3, "bench-trail", key);
        total += recs.length;
        expect(recs.every((r) => r.recipientAccountId === account)).toBe(true);
        const day = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key)!;
        expect(`${day[1]}-${day[2]}-${day[3]}` >= "2026-02-27").toBe(true);
      }
      expect((await allKeys(s3, "bench-trail", `AWSLogs/${ORG}/${account}/CloudTrail-Digest/`)).length).toBeGreaterThan(0);
    }
    expect(total).toBe(3000);
  });

  it("keeps trails, buckets, objects and queues across a restart with a state file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-s3-"));
    try {
      const statePath = join(dir, "sandbox.json");
      sb = await startSandbox({ trailDelaySeconds: 0, statePath });
      await control(sb.url, "POST", "trails", { bucket: "kept-trail", orgId: ORG });
      await sb.iam.send(new CreateUserCommand({ UserName: "before-restart" }));
      const prefix = `AWSLogs/${ORG}/123456789012/CloudTrail/`;
      const before = await allKeys(s3Of(sb.url), "kept-trail", prefix);
      expect(before).toHaveLength(1);
      await sb.close();
      sb = await startSandbox({ trailDelaySeconds: 0, statePath });
      const s3 = s3Of(sb.url);
      expect(await allKeys(s3, "kept-trail", prefix)).toEqual(before);
      expect((await fileRecords(s3, "kept-trail", before[0]!))[0]).toMatchObject({ eventName: "CreateUser" });
      // The trail still delivers.
      await sb.iam.send(new CreateUserCommand({ UserName: "after-restart" }));
      expect(await allKeys(s3, "kept-trail", prefix)).toHaveLength(2);
    } finally {
      await sb?.close();
      sb = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
