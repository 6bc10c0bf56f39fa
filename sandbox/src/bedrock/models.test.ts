import { describe, expect, it } from "vitest";
import { GEOGRAPHY_REGIONS, invocableModelIds, MODELS, parseModelId, resolveModel } from "./models.js";

const first = (rs: readonly string[]) => rs[0]!;

describe("model ids", () => {
  it("maps ids to the resource ARNs IAM authorizes", () => {
    expect(parseModelId("anthropic.claude-3-5-haiku-20241022-v1:0", "us-east-1", "123456789012")).toMatchObject({
      kind: "foundation-model",
      resourceArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
    });
    expect(parseModelId("apac.amazon.nova-lite-v1:0", "ap-northeast-1", "123456789012")).toMatchObject({
      kind: "inference-profile",
      geography: "apac",
      baseId: "amazon.nova-lite-v1:0",
      resourceArn: "arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/apac.amazon.nova-lite-v1:0",
    });
  });

  it("accepts ARNs of this region and account only", () => {
    const arn = "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0";
    expect(parseModelId(arn, "eu-central-1", "123456789012")).toMatchObject({ kind: "inference-profile", resourceArn: arn, geography: "eu" });
    expect(parseModelId(arn, "eu-west-1", "123456789012").malformed).toBe(true);
    expect(parseModelId(arn.replace("123456789012", "210987654321"), "eu-central-1", "123456789012").malformed).toBe(true);
    expect(parseModelId("has spaces", "us-east-1", "123456789012").malformed).toBe(true);
  });

  it("routes profiles within their geography and models in place", () => {
    const profile = resolveModel(parseModelId("us.anthropic.claude-sonnet-4-20250514-v1:0", "us-east-1", "123456789012"), "us-east-1", (rs) => rs[2]!);
    expect(profile).toMatchObject({ ok: true, inferenceRegion: "us-west-2", foundationModelArn: "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0" });
    const direct = resolveModel(parseModelId("amazon.nova-micro-v1:0", "eu-west-1", "123456789012"), "eu-west-1", first);
    expect(direct).toMatchObject({ ok: true, inferenceRegion: "eu-west-1" });
  });

  it("refuses what Bedrock refuses", () => {
    const r = (id: string, region = "us-east-1") => resolveModel(parseModelId(id, region, "123456789012"), region, first);
    expect(r("us.anthropic.claude-3-5-haiku-20241022-v1:0", "eu-west-1")).toMatchObject({ ok: false, code: "ValidationException" });
    expect(r("eu.anthropic.claude-3-5-haiku-20241022-v1:0", "eu-west-1")).toMatchObject({ ok: false, code: "ValidationException" });
    expect(r("anthropic.claude-3-7-sonnet-20250219-v1:0")).toMatchObject({ ok: false, message: expect.stringContaining("on-demand throughput isn’t supported") });
    expect(r("anthropic.claude-v2")).toMatchObject({ ok: false, code: "ResourceNotFoundException", status: 404 });
    expect(r("openai.gpt-5")).toMatchObject({ ok: false, message: "The provided model identifier is invalid." });
  });

  it("lists invocable ids that all resolve, per region", () => {
    for (const region of ["us-east-1", "eu-central-1", "ap-northeast-1", "sa-east-1"]) {
      const ids = invocableModelIds(region);
      expect(ids.length).toBeGreaterThan(5);
      for (const id of ids) expect(resolveModel(parseModelId(id, region, "123456789012"), region, first).ok).toBe(true);
    }
    expect(invocableModelIds("sa-east-1").some((id) => /^(us|eu|apac)\./.test(id))).toBe(false);
    expect(MODELS.filter((m) => m.profiles.length > 0).every((m) => m.profiles.every((g) => GEOGRAPHY_REGIONS[g].length > 0))).toBe(true);
  });
});
