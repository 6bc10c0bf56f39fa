import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVOCATION_LOG_STREAM } from "../bedrock/invocation-log.js";
import { type Harness, startHarness } from "../bedrock/testing.js";
import { control } from "../testing/clients.js";
import { DEFAULT_LOG_GROUP } from "../control/logs.js";
import { getGroup } from "../logs/store.js";
import { generateTraffic } from "./generate.js";
import { ALL_DOORS } from "./profiles.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface Rec {
  requestId: string;
  identity: { arn: string };
  modelId: string;
  operation: string;
  region: string;
  inferenceRegion?: string;
  input: { inputTokenCount: number; cacheReadInputTokenCount?: number; inputBodyJson?: unknown };
  output: { outputTokenCount: number };
}

function logRecords(region: string): Rec[] {
  const group = getGroup(h.sandbox.state, region, DEFAULT_LOG_GROUP);
  return (group?.streams[INVOCATION_LOG_STREAM]?.events ?? []).map((e) => JSON.parse(e.message) as Rec);
}

function trail(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const { event } of h.sandbox.state.events.all()) {
    const r = JSON.parse(h.sandbox.state.events.json(event)) as Record<string, unknown>;
    out.set(r.requestID as string, r);
  }
  return out;
}

describe("traffic with invocation logging", () => {
  it("live and bulk calls leave one matching record each, with production-sized token counts", async () => {
    const summary = await generateTraffic({ endpoint: h.sandbox.url, days: 3, calls: 40, bulk: 400, createUsers: 3, seed: 11, apis: ALL_DOORS, invocationLogging: true });
    expect(summary.succeeded).toBeGreaterThan(20);
    const records = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"].flatMap(logRecords);
    const ct = trail();
    // Every successful bedrock-runtime call (live or bulk) has exactly one record; mantle none.
    const logged = [...ct.values()].filter((r) => r.eventSource === "bedrock.amazonaws.com" && !r.errorCode && ["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream", "CreateChatCompletion", "CreateResponse"].includes(r.eventName as string));
    const regionsWithLogging = new Set(["us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1", "ap-southeast-1"].filter((r) => getGroup(h.sandbox.state, r, DEFAULT_LOG_GROUP)));
    const expected = logged.filter((r) => regionsWithLogging.has(r.awsRegion as string));
    const allRecords = [...regionsWithLogging].flatMap(logRecords);
    expect(allRecords.length).toBe(expected.length);
    expect(new Set(allRecords.map((r) => r.requestId)).size).toBe(allRecords.length);
    for (const rec of allRecords) {
      const t = ct.get(rec.requestId)!;
      expect(t).toBeDefined();
      expect(rec.identity.arn).toBe((t.userIdentity as { arn: string }).arn);
      expect(rec.modelId).toBe((t.requestParameters as { modelId: string }).modelId);
      expect(rec.operation).toBe(t.eventName);
      expect(rec.inferenceRegion).toBe((t.additionalEventData as { inferenceRegion?: string } | undefined)?.inferenceRegion);
      expect(rec.input.inputBodyJson).toBeUndefined(); // metadata only by default
    }
    expect(records.length).toBeGreaterThan(100);
    // Cost-realistic: Claude calls average in the thousands of input tokens, some read a cache.
    const claude = allRecords.filter((r) => r.modelId.includes("anthropic"));
    const mean = claude.reduce((n, r) => n + r.input.inputTokenCount, 0) / claude.length;
    expect(mean).toBeGreaterThan(1000);
    expect(claude.some((r) => (r.input.cacheReadInputTokenCount ?? 0) > 0)).toBe(true);
    expect(new Set(allRecords.map((r) => r.output.outputTokenCount)).size).toBeGreaterThan(50);
  }, 120_000);

  it("the bulk route writes nothing where logging is off", async () => {
    const out = (await control(h.sandbox.url, "POST", "bedrock/invocation-logs", [
      { eventSource: "bedrock.amazonaws.com", eventName: "Converse", eventTime: "2026-12-01T10:00:00Z", awsRegion: "sa-east-1", requestID: "r-1", userIdentity: { arn: "arn:aws:iam::123456789012:user/x" }, requestParameters: { modelId: "amazon.nova-micro-v1:0" } },
      { eventSource: "bedrock-mantle.amazonaws.com", eventName: "CreateInference", eventTime: "2026-12-01T10:00:00Z", awsRegion: "us-east-1", requestID: "r-2", userIdentity: { arn: "arn:aws:iam::123456789012:user/x" }, requestParameters: { model: "x" } },
    ])) as { written: number; eligible: number; received: number };
    expect(out).toEqual({ written: 0, eligible: 1, received: 2 });
  });
});
