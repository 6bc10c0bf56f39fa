import { getToken } from "@aws/bedrock-token-generator";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, startHarness } from "../bedrock/testing.js";
import { generateEvents } from "./events.js";
import { ALL_DOORS } from "./profiles.js";
import { generateTraffic } from "./generate.js";
import { shortTermTokenAt } from "./short-term.js";

const creds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "IQoJb3JpZ2luX2VjE+/x=" };

describe("backdated short-term keys", () => {
  it("are byte-for-byte what @aws/bedrock-token-generator makes at that instant", async () => {
    const at = new Date("2025-07-30T05:24:11Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at);
    try {
      const real = await getToken({ credentials: creds, region: "us-east-1", expiresInSeconds: 3600 });
      expect(await shortTermTokenAt(creds, "us-east-1", at, 3600)).toBe(real);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("generateEvents", () => {
  const from = Date.parse("2025-07-01T00:00:00Z");
  const to = Date.parse("2025-07-31T00:00:00Z");

  it("makes N records in the window, oldest first, reproducibly for a seed", () => {
    const a = generateEvents(500, { from, to, seed: 7 });
    const b = generateEvents(500, { from, to, seed: 7 });
    expect(a).toHaveLength(500);
    expect(a).toEqual(b);
    const times = a.map((r) => Date.parse(r.eventTime));
    expect(times.every((t, i) => t >= from && t < to && (i === 0 || t >= times[i - 1]!))).toBe(true);
    expect(new Set(a.map((r) => r.eventID)).size).toBe(500);
    expect(generateEvents(5, { from, to, seed: 8 })[0]!.eventID).not.toBe(a[0]!.eventID);
  });

  it("are shaped like recorded calls, with both identity types, several regions and some errors", () => {
    const recs = generateEvents(2000, { from, to, seed: 3 });
    for (const r of recs) {
      expect(r).toMatchObject({ eventVersion: "1.11", eventSource: "bedrock.amazonaws.com", readOnly: true, eventType: "AwsApiCall", managementEvent: true, recipientAccountId: "123456789012", eventCategory: "Management", responseElements: null });
      expect(r.additionalEventData?.callWithBearerToken).toBe(true);
      expect(typeof (r.requestParameters as { modelId: string }).modelId).toBe("string");
      expect(r.errorCode === undefined).toBe(r.additionalEventData?.inferenceRegion !== undefined);
    }
    const types = new Set(recs.map((r) => r.userIdentity.type));
    expect(types).toEqual(new Set(["IAMUser", "AssumedRole"]));
    expect(new Set(recs.map((r) => r.awsRegion)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(recs.map((r) => r.eventName))).toEqual(new Set(["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"]));
    const errors = recs.filter((r) => r.errorCode).length / recs.length;
    expect(errors).toBeGreaterThan(0.02);
    expect(errors).toBeLessThan(0.12);
    const role = recs.find((r) => r.userIdentity.type === "AssumedRole")!;
    expect(role.userIdentity).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), sessionContext: { sessionIssuer: { type: "Role" } } });
  });
});

describe("generateEvents through every door", () => {
  it("builds runtime OpenAI and mantle records by share, shaped as the live doors record them", () => {
    const recs = generateEvents(3000, { from: Date.parse("2025-07-01T00:00:00Z"), to: Date.parse("2025-07-31T00:00:00Z"), seed: 5, apis: ALL_DOORS });
    const by = (src: string, name: string) => recs.filter((r) => r.eventSource === src && r.eventName === name);
    const mantle = by("bedrock-mantle.amazonaws.com", "CreateInference");
    expect(by("bedrock.amazonaws.com", "CreateChatCompletion").length).toBeGreaterThan(150);
    expect(by("bedrock.amazonaws.com", "CreateResponse").length).toBeGreaterThan(80);
    expect(mantle.length).toBeGreaterThan(400);
    for (const r of mantle) {
      expect(r).toMatchObject({ managementEvent: false, eventCategory: "Data", readOnly: false, requestParameters: { callWithBearerToken: true } });
      expect((r.resources as { type: string }[])[0]!.type).toBe("AWS::BedrockMantle::Project");
      expect(["ABSK", "bedrock-api-key"]).toContain((r.requestParameters as { bearerTokenType: string }).bearerTokenType);
    }
    expect(new Set(mantle.map((r) => ("max_tokens" in r.requestParameters! ? "messages" : "previousResponse" in r.requestParameters! ? "responses" : "chat")))).toEqual(new Set(["messages", "responses", "chat"]));
    expect(mantle.some((r) => r.errorCode === "AccessDeniedException")).toBe(true);
  });
});

describe("generateTraffic against a running sandbox", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("makes backdated live calls and bulk records, then restores the clock", async () => {
    const summary = await generateTraffic({ endpoint: h.sandbox.url, days: 10, calls: 60, bulk: 300, seed: 42 });
    expect(summary.calls).toBe(60);
    expect(summary.succeeded).toBeGreaterThan(30);
    expect(summary.bulkInserted).toBe(300);
    expect(summary.callers.filter((c) => c.startsWith("BedrockAPIKey-"))).toHaveLength(5);
    expect(summary.callers.filter((c) => c.startsWith("BedrockShortTermKeySigner/"))).toHaveLength(3);
    expect(h.sandbox.state.clockOffsetMs).toBe(0);

    const from = new Date(summary.from);
    const to = new Date(summary.to);
    const names = ["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"];
    const seen: Record<string, unknown>[] = [];
    for (const region of ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"]) {
      for (const name of names) {
        let token: string | undefined;
        do {
          const page = await h.cloudtrail(region).send(
            new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }], StartTime: from, EndTime: to, MaxResults: 50, NextToken: token }),
          );
          for (const e of page.Events ?? []) seen.push(JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
          token = page.NextToken;
        } while (token);
      }
    }
    // Every live call had a genuine key, so each is recorded; plus the bulk records.
    expect(seen.length).toBe(360);
    const times = seen.map((r) => Date.parse(r.eventTime as string));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(from.getTime());
    // Spread over the window, not bunched at "now".
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5 * 86_400_000);
    const live = seen.filter((r) => (r.userIdentity as { userName?: string }).userName?.startsWith("BedrockAPIKey-"));
    expect(live.length).toBeGreaterThan(0);
    expect(seen.some((r) => (r.userIdentity as { type: string }).type === "AssumedRole")).toBe(true);
  });

  it("sends calls through every door, each recorded once as AWS records that door", async () => {
    const apis = [["runtime-chat", 1], ["runtime-responses", 1], ["mantle-chat", 1], ["mantle-responses", 1], ["mantle-messages", 1]] as const;
    const before = new Set<string>();
    for (const { event } of h.sandbox.state.events.all()) before.add(JSON.parse(h.sandbox.state.events.json(event)).eventID as string);
    const summary = await generateTraffic({ endpoint: h.sandbox.url, days: 5, calls: 80, createUsers: 3, seed: 7, apis });
    expect(summary.calls).toBe(80);
    expect(summary.succeeded).toBeGreaterThan(40);
    for (const [api] of apis) expect(summary.byApi[api], api).toBeGreaterThan(5);

    // Which door a record came from, by the rule sandbox/README.md gives the console.
    const doorOf = (r: { eventSource: string; eventName: string; requestParameters: Record<string, unknown> }) => {
      if (r.eventSource === "bedrock.amazonaws.com") return r.eventName === "CreateChatCompletion" ? "runtime-chat" : r.eventName === "CreateResponse" ? "runtime-responses" : r.eventName;
      if (r.eventName !== "CreateInference") return r.eventName;
      if ("max_tokens" in r.requestParameters) return "mantle-messages";
      return "previousResponse" in r.requestParameters ? "mantle-responses" : "mantle-chat";
    };
    const counted: Record<string, number> = {};
    for (const { event } of h.sandbox.state.events.all()) {
      const r = JSON.parse(h.sandbox.state.events.json(event)) as { eventID: string; eventSource: string; eventName: string; requestParameters: Record<string, unknown>; userIdentity: { type: string } };
      if (before.has(r.eventID) || r.eventSource === "iam.amazonaws.com" || r.eventSource === "sts.amazonaws.com") continue;
      counted[doorOf(r)] = (counted[doorOf(r)] ?? 0) + 1;
      if (r.eventSource === "bedrock-mantle.amazonaws.com") expect(r.requestParameters.callWithBearerToken).toBe(true);
    }
    expect(counted).toEqual(summary.byApi);
    // Runtime OpenAI calls are management events: LookupEvents finds them; mantle inference it does not.
    const page = await h.cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateInference" }], MaxResults: 50 }));
    expect(page.Events ?? []).toEqual([]);
  });
});
