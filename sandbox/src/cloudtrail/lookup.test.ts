import { randomUUID } from "node:crypto";
import { LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { CreateUserCommand, GetUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createState } from "../state.js";
import { awsError, clientsFor, control, startSandbox } from "../testing/clients.js";
import { takeLookupToken } from "./throttle.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox({ lookupEventsRatePerSecond: 0 });
});
afterAll(() => s.close());
beforeEach(async () => {
  await control(s.url, "POST", "reset");
  await control(s.url, "POST", "throttle", { lookupEventsPerSecond: 0 });
});

const err = awsError;

const lookup = (input: LookupEventsCommandInput = {}, region = "us-east-1") =>
  clientsFor(s.url, undefined, region).cloudtrail.send(new LookupEventsCommand(input));

function record(i: number, time: Date, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: "1.11",
    userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLE", arn: "arn:aws:iam::123456789012:user/gen", accountId: "123456789012", userName: "gen" },
    eventTime: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "bedrock.amazonaws.com",
    eventName: i % 2 ? "Converse" : "InvokeModel",
    awsRegion: "us-east-1",
    sourceIPAddress: "10.0.0.1",
    userAgent: "test",
    requestParameters: { modelId: "m" },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "123456789012",
    eventCategory: "Management",
    ...extra,
  };
}

describe("CloudTrail recording of IAM and STS calls", () => {
  it("records successes and failures with the caller, request parameters and error fields", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await err(s.iam.send(new GetUserCommand({ UserName: "ghost" })));
    await s.iam.send(new ListUsersCommand({}));
    const out = await lookup({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "iam.amazonaws.com" }] });
    expect(out.Events?.map((e) => e.EventName)).toEqual(["ListUsers", "GetUser", "CreateUser"]);
    const [list, get, create] = out.Events!;
    expect(list!.ReadOnly).toBe("true");
    expect(create!.ReadOnly).toBe("false");
    expect(create!.Username).toBe("root");
    expect(create!.AccessKeyId).toBe("AKIAIOSFODNN7EXAMPLE");
    expect(create!.Resources).toEqual([{ ResourceType: "AWS::IAM::User", ResourceName: "alice" }]);
    expect(create!.EventTime).toBeInstanceOf(Date);
    const full = JSON.parse(create!.CloudTrailEvent!) as Record<string, unknown>;
    expect(full).toMatchObject({
      eventSource: "iam.amazonaws.com",
      awsRegion: "us-east-1",
      requestParameters: { userName: "alice" },
      userIdentity: { type: "Root", arn: "arn:aws:iam::123456789012:root", accountId: "123456789012" },
      eventType: "AwsApiCall",
      recipientAccountId: "123456789012",
    });
    expect(full.eventID).toBe(create!.EventId);
    const failed = JSON.parse(get!.CloudTrailEvent!) as Record<string, unknown>;
    expect(failed).toMatchObject({ errorCode: "NoSuchEntity", errorMessage: "The user with name ghost cannot be found." });
  });

  it("records STS calls in the region of the request", async () => {
    await clientsFor(s.url, undefined, "eu-west-1").sts.send(new GetCallerIdentityCommand({}));
    const eu = await lookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetCallerIdentity" }] }, "eu-west-1");
    expect(eu.Events).toHaveLength(1);
    expect(eu.Events![0]!.EventSource).toBe("sts.amazonaws.com");
    const us = await lookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetCallerIdentity" }] });
    expect(us.Events).toHaveLength(0);
  });
});

describe("LookupEvents", () => {
  it("filters by each lookup attribute and refuses more than one", async () => {
    const base = Date.now() - 3600_000;
    const events = Array.from({ length: 6 }, (_, i) =>
      record(i, new Date(base + i * 1000), i === 5 ? { resources: [{ ARN: "arn:aws:bedrock:us-east-1::foundation-model/x", type: "AWS::Bedrock::Model" }] } : {}),
    );
    await control(s.url, "POST", "events", events);
    const by = async (AttributeKey: string, AttributeValue: string) =>
      (await lookup({ LookupAttributes: [{ AttributeKey: AttributeKey as never, AttributeValue }] })).Events ?? [];
    expect(await by("EventName", "Converse")).toHaveLength(3);
    expect(await by("EventId", events[2]!.eventID)).toHaveLength(1);
    expect(await by("Username", "gen")).toHaveLength(6);
    expect(await by("ReadOnly", "false")).toHaveLength(0);
    expect(await by("EventSource", "bedrock.amazonaws.com")).toHaveLength(6);
    expect(await by("ResourceType", "AWS::Bedrock::Model")).toHaveLength(1);
    expect(await by("ResourceName", "arn:aws:bedrock:us-east-1::foundation-model/x")).toHaveLength(1);
    expect(await by("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")).toHaveLength(0);
    const two = await err(
      lookup({
        LookupAttributes: [
          { AttributeKey: "EventName", AttributeValue: "Converse" },
          { AttributeKey: "Username", AttributeValue: "gen" },
        ],
      }),
    );
    expect(two).toMatchObject({ name: "InvalidLookupAttributesException", status: 400 });
    expect((await err(lookup({ MaxResults: 51 }))).name).toBe("InvalidMaxResultsException");
    expect((await err(lookup({ StartTime: new Date(), EndTime: new Date(Date.now() - 1000) }))).name).toBe("InvalidTimeRangeException");
    expect((await err(lookup({ NextToken: "garbage" }))).name).toBe("InvalidNextTokenException");
  });

  it("pages newest first with a NextToken that is stable while newer events arrive", async () => {
    const base = Date.now() - 7200_000;
    await control(s.url, "POST", "events", Array.from({ length: 120 }, (_, i) => record(i, new Date(base + i * 1000))));
    const first = await lookup({ MaxResults: 50 });
    expect(first.Events).toHaveLength(50);
    const times = first.Events!.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Newer events recorded between pages must not shift what page 2 returns.
    await control(s.url, "POST", "events", Array.from({ length: 10 }, (_, i) => record(i, new Date(Date.now() - 1000 - i))));
    const seen = new Set(first.Events!.map((e) => e.EventId));
    let token = first.NextToken;
    let total = first.Events!.length;
    while (token) {
      const page = await lookup({ MaxResults: 50, NextToken: token });
      for (const e of page.Events ?? []) {
        expect(seen.has(e.EventId)).toBe(false);
        seen.add(e.EventId);
        expect(e.EventTime!.getTime()).toBeLessThanOrEqual(times[times.length - 1]!);
      }
      total += page.Events?.length ?? 0;
      token = page.NextToken;
    }
    expect(total).toBe(120);
    const other = await err(lookup({ MaxResults: 50, NextToken: first.NextToken!, LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "Converse" }] }));
    expect(other.name).toBe("InvalidNextTokenException");
  });

  it("keeps only the last 90 days and honours StartTime/EndTime", async () => {
    const day = 86_400_000;
    await control(s.url, "POST", "events", [
      record(0, new Date(Date.now() - 100 * day)),
      record(1, new Date(Date.now() - 10 * day)),
      record(2, new Date(Date.now() - 1 * day)),
    ]);
    expect((await lookup()).Events).toHaveLength(2);
    const window = await lookup({ StartTime: new Date(Date.now() - 11 * day), EndTime: new Date(Date.now() - 9 * day) });
    expect(window.Events).toHaveLength(1);
    // Moving the sandbox clock ages events out of the window.
    await control(s.url, "POST", "clock", { advanceSeconds: 85 * 86_400 });
    expect((await lookup()).Events).toHaveLength(1);
  });

  it("throttles at the configured rate per region: 3 rapid calls at 2/s → one ThrottlingException", async () => {
    // Refill paused: the bucket holds exactly 2 tokens however long the three calls take here.
    await control(s.url, "POST", "throttle", { lookupEventsPerSecond: 2, refill: false });
    const results = await Promise.allSettled([lookup(), lookup(), lookup()]);
    const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    const e = rejected[0]!.reason as { name: string; $metadata: { httpStatusCode: number } };
    expect(e.name).toBe("ThrottlingException");
    expect(e.$metadata.httpStatusCode).toBe(400);
    // Another region has its own bucket.
    await expect(lookup({}, "us-west-2")).resolves.toBeTruthy();
    // Refill back on: after half a second at 2/s the region has a token again.
    await control(s.url, "POST", "throttle", { lookupEventsPerSecond: 2 });
    await Promise.allSettled([lookup(), lookup(), lookup()]);
    await new Promise((r) => setTimeout(r, 600));
    await expect(lookup()).resolves.toBeTruthy();
  });

  it("refills the bucket continuously at the configured rate (deterministic clock)", () => {
    const state = createState({ lookupEventsPerSecond: 2 });
    const t0 = 1_000_000;
    expect([takeLookupToken(state, "us-east-1", t0), takeLookupToken(state, "us-east-1", t0), takeLookupToken(state, "us-east-1", t0)]).toEqual([true, true, false]);
    expect(takeLookupToken(state, "us-east-1", t0 + 400)).toBe(false); // 0.8 of a token
    expect(takeLookupToken(state, "us-east-1", t0 + 500)).toBe(true); // 1 token after 0.5 s
    expect(takeLookupToken(state, "eu-west-1", t0)).toBe(true); // its own bucket
    expect(takeLookupToken(state, "us-east-1", t0 + 60_000)).toBe(true); // capped at 2, not 120
    expect(takeLookupToken(state, "us-east-1", t0 + 60_000)).toBe(true);
    expect(takeLookupToken(state, "us-east-1", t0 + 60_000)).toBe(false);
  });
});
