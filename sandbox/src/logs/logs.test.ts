import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigningUser } from "../bedrock/testing.js";
import { ADMIN, awsError, control, type Creds, startSandbox } from "../testing/clients.js";
import type { Sandbox } from "../server.js";

let sandbox: Sandbox & Awaited<ReturnType<typeof startSandbox>>;
const clients: CloudWatchLogsClient[] = [];
const logsFor = (creds: Creds = ADMIN, region = "us-east-1") => {
  const c = new CloudWatchLogsClient({ region, endpoint: sandbox.url, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};
let logs: CloudWatchLogsClient;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

beforeAll(async () => {
  sandbox = await startSandbox({ startTime: new Date(T0 + 3600_000), lookupEventsRatePerSecond: 0 });
  await control(sandbox.url, "POST", "logs/throttle", { enabled: false });
  logs = logsFor();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  sandbox.iam.destroy();
  sandbox.sts.destroy();
  sandbox.cloudtrail.destroy();
  await sandbox.close();
});

async function allPages(input: ConstructorParameters<typeof FilterLogEventsCommand>[0]): Promise<FilterLogEventsCommandOutput[]> {
  const pages: FilterLogEventsCommandOutput[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ ...input, ...(nextToken ? { nextToken } : {}) }));
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

describe("CloudWatch Logs groups and streams", () => {
  it("creates, describes with prefix and paging, and deletes log groups", async () => {
    for (const n of ["/a/one", "/a/two", "/a/three", "/b/one"]) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    expect((await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: "/a/one" })))).name).toBe("ResourceAlreadyExistsException");
    expect((await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: "bad name!" })))).name).toBe("InvalidParameterException");
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/a/", limit: 2 }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(["/a/one", "/a/three"]);
    expect(first.logGroups![0]).toMatchObject({ arn: "arn:aws:logs:us-east-1:123456789012:log-group:/a/one:*", logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/a/one", creationTime: expect.any(Number) });
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/a/", limit: 2, nextToken: first.nextToken! }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(["/a/two"]);
    expect(second.nextToken).toBeUndefined();
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "/b/one" }));
    expect((await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: "/b/one" })))).name).toBe("ResourceNotFoundException");
    // Regions are separate.
    expect((await logsFor(ADMIN, "eu-west-1").send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it("puts events and describes streams", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/put" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/put", logStreamName: "s1" }));
    expect((await awsError(logs.send(new PutLogEventsCommand({ logGroupName: "/put", logStreamName: "nope", logEvents: [{ timestamp: T0, message: "x" }] })))).name).toBe("ResourceNotFoundException");
    const now = T0 + 3600_000; // the sandbox clock
    const old = await logs.send(new PutLogEventsCommand({
      logGroupName: "/put",
      logStreamName: "s1",
      logEvents: [{ timestamp: now - 14 * 86400_000 - 60_000, message: "too old" }, { timestamp: now - 14 * 86400_000 + 60_000, message: "kept 1" }],
    }));
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const ahead = await logs.send(new PutLogEventsCommand({
      logGroupName: "/put",
      logStreamName: "s1",
      logEvents: [{ timestamp: now + 3600_000, message: "kept 2" }, { timestamp: now + 2 * 3600_000 + 60_000, message: "too new" }],
    }));
    expect(ahead.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const span = await awsError(logs.send(new PutLogEventsCommand({ logGroupName: "/put", logStreamName: "s1", logEvents: [{ timestamp: now - 25 * 3600_000, message: "a" }, { timestamp: now, message: "b" }] })));
    expect(span.name).toBe("InvalidParameterException");
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/put" }));
    expect(streams.logStreams).toEqual([expect.objectContaining({ logStreamName: "s1", firstEventTimestamp: now - 14 * 86400_000 + 60_000, lastEventTimestamp: now + 3600_000 })]);
    const unordered = await awsError(logs.send(new PutLogEventsCommand({ logGroupName: "/put", logStreamName: "s1", logEvents: [{ timestamp: T0 + 5, message: "b" }, { timestamp: T0, message: "a" }] })));
    expect(unordered.name).toBe("InvalidParameterException");
  });
});

describe("FilterLogEvents", () => {
  const GROUP = "/filter";
  beforeAll(async () => {
    // 250 events over two streams, interleaved in time, each JSON with a model and an index.
    const mk = (stream: string, parity: number) =>
      Array.from({ length: 125 }, (_, i) => {
        const n = i * 2 + parity;
        return { timestamp: T0 + n * 1000, message: JSON.stringify({ n, modelId: n % 3 === 0 ? "amazon.nova-micro-v1:0" : "anthropic.claude", stream }) };
      });
    await control(sandbox.url, "POST", "logs/events", { logGroupName: GROUP, logStreamName: "even", events: mk("even", 0) });
    await control(sandbox.url, "POST", "logs/events", { logGroupName: GROUP, logStreamName: "odd", events: mk("odd", 1) });
  });

  it("pages through every event in time order, limit per page, no duplicates", async () => {
    const pages = await allPages({ logGroupName: GROUP, limit: 40 });
    expect(pages.length).toBe(7);
    expect(pages.slice(0, -1).every((p) => p.events!.length === 40)).toBe(true);
    const ns = pages.flatMap((p) => p.events!.map((e) => (JSON.parse(e.message!) as { n: number }).n));
    expect(ns).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const e = pages[0]!.events![0]!;
    expect(e).toMatchObject({ logStreamName: "even", timestamp: T0, ingestionTime: expect.any(Number), eventId: expect.any(String) });
  });

  it("honours the time window (inclusive), stream names and the group ARN", async () => {
    const win = await allPages({ logGroupIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}`, startTime: T0 + 10_000, endTime: T0 + 19_000 });
    expect(win.flatMap((p) => p.events!).map((e) => e.timestamp)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (10 + i) * 1000));
    const odd = await allPages({ logGroupName: GROUP, logStreamNames: ["odd"], endTime: T0 + 9_000 });
    expect(odd.flatMap((p) => p.events!).map((e) => e.logStreamName)).toEqual(["odd", "odd", "odd", "odd", "odd"]);
    const both = await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logGroupIdentifier: GROUP })));
    expect(both.name).toBe("InvalidParameterException");
  });

  it("applies simple JSON and term filter patterns; refuses what it does not understand", async () => {
    const nova = await allPages({ logGroupName: GROUP, filterPattern: '{ $.modelId = "amazon.nova-*" }' });
    expect(nova.flatMap((p) => p.events!).length).toBe(84); // n % 3 === 0 for n < 250
    const ranged = await allPages({ logGroupName: GROUP, filterPattern: "{ $.n >= 240 && $.stream = \"odd\" }" });
    expect(ranged.flatMap((p) => p.events!).length).toBe(5);
    const term = await allPages({ logGroupName: GROUP, filterPattern: '"anthropic.claude" odd' });
    expect(term.flatMap((p) => p.events!).length).toBe(83);
    const bad = await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: "[ip, user, ...]" })));
    expect(bad).toMatchObject({ name: "InvalidParameterException", message: "Invalid filter pattern" });
  });

  it("caps a page at 10,000 events and 1 MB, with a token for the rest", async () => {
    expect((await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 10001 })))).name).toBe("InvalidParameterException");
    const big = "x".repeat(100_000);
    await control(sandbox.url, "POST", "logs/events", { logGroupName: "/big", events: Array.from({ length: 25 }, (_, i) => ({ timestamp: T0 + i, message: `${i}:${big}` })) });
    const pages = await allPages({ logGroupName: "/big" });
    // 100,028 bytes each (message + 26): ten fit in 1,048,576 bytes.
    expect(pages.map((p) => p.events!.length)).toEqual([10, 10, 5]);
    const many = Array.from({ length: 10_050 }, (_, i) => ({ timestamp: T0 + i, message: `m${i}` }));
    await control(sandbox.url, "POST", "logs/events", { logGroupName: "/many", events: many });
    const manyPages = await allPages({ logGroupName: "/many" });
    expect(manyPages.map((p) => p.events!.length)).toEqual([10_000, 50]);
  });

  it("answers ResourceNotFound for a missing group and AccessDenied when IAM denies", async () => {
    expect(await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: "/missing" })))).toMatchObject({ name: "ResourceNotFoundException", message: "The specified log group does not exist." });
    const creds = await createSigningUser(sandbox.iam, "log-reader", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "logs:FilterLogEvents", Resource: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*` }],
    });
    const reader = logsFor(creds);
    expect((await reader.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 }))).events!.length).toBe(1);
    const denied = await awsError(reader.send(new FilterLogEventsCommand({ logGroupName: "/big", limit: 1 })));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("logs:FilterLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:/big:*");
    // An injected denial (control route), e.g. for a console test of "access denied on logs".
    await control(sandbox.url, "POST", "faults", { service: "logs", operation: "FilterLogEvents", count: 1, error: { code: "AccessDeniedException", status: 400, message: "User is not authorized to perform: logs:FilterLogEvents" } });
    expect((await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 })))).name).toBe("AccessDeniedException");
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 }))).events!.length).toBe(1);
  });

  it("throttles FilterLogEvents at AWS's 5 requests per second per account and region", async () => {
    await control(sandbox.url, "POST", "logs/throttle", { enabled: true, refill: false });
    try {
      const results = [];
      for (let i = 0; i < 6; i += 1) results.push(await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 })).then(() => "ok", (e: Error) => e.name));
      expect(results).toEqual(["ok", "ok", "ok", "ok", "ok", "ThrottlingException"]);
      // Another region has its own bucket.
      await expect(logsFor(ADMIN, "us-west-2").send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
      const other = await awsError(logsFor(ADMIN, "us-west-2").send(new FilterLogEventsCommand({ logGroupName: GROUP })));
      expect(other.name).toBe("ResourceNotFoundException");
    } finally {
      await control(sandbox.url, "POST", "logs/throttle", { enabled: false, refill: true });
    }
  });
});
