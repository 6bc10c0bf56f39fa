import { describe, expect, it } from "vitest";
import { PRICE_LIST, PriceBook, priceModelId, priceOverrideSchema } from "./prices";

describe("priceModelId", () => {
  it("maps profile ids and ARNs to the base model; global profiles keep their own price where the list has one", () => {
    expect(priceModelId("us.anthropic.claude-3-5-haiku-20241022-v1:0")).toEqual({ priceModelId: "anthropic.claude-3-5-haiku-20241022-v1:0" });
    expect(priceModelId("apac.amazon.nova-pro-v1:0")).toEqual({ priceModelId: "amazon.nova-pro-v1:0" });
    expect(priceModelId("global.anthropic.claude-sonnet-4-20250514-v1:0")).toEqual({ priceModelId: "anthropic.claude-sonnet-4-20250514-v1:0" });
    expect(priceModelId("global.anthropic.claude-haiku-4-5-20251001-v1:0")).toEqual({ priceModelId: "global.anthropic.claude-haiku-4-5-20251001-v1:0" });
    expect(priceModelId("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0")).toEqual({ priceModelId: "meta.llama3-1-8b-instruct-v1:0" });
    expect(priceModelId("arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0")).toEqual({ priceModelId: "amazon.nova-lite-v1:0" });
  });

  it("says what is not priced per token instead of guessing", () => {
    expect(priceModelId("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc")).toMatchObject({ unpriced: "provisioned" });
    expect(priceModelId("arn:aws:bedrock:us-east-1:123456789012:custom-model/x/y")).toMatchObject({ unpriced: "provisioned" });
    expect(priceModelId("arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-marketplace-model")).toMatchObject({ unpriced: "marketplace" });
    expect(priceModelId("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc")).toMatchObject({ unpriced: "unknown_model" });
  });
});

describe("PriceBook", () => {
  const row = (id: string, source: string, modelId: string, region: string, input: number) => ({ id, source, modelId, region, inputPerMTok: input, outputPerMTok: 0, cacheReadPerMTok: null, cacheWritePerMTok: null });
  const book = new PriceBook([row("a", "aws", "m", "*", 1), row("b", "aws", "m", "eu-west-1", 2), row("c", "admin", "m", "us-east-1", 3)]);
  it("prefers the admin's row, then the region's own, then every region", () => {
    const t = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    expect(book.cost("m", "us-east-1", "Converse", t)).toMatchObject({ costUsd: 3, priceId: "c" });
    expect(book.cost("m", "eu-west-1", "Converse", t)).toMatchObject({ costUsd: 2, priceId: "b" });
    expect(book.cost("m", "ap-south-1", "Converse", t)).toMatchObject({ costUsd: 1, priceId: "a" });
    expect(book.cost("m", "ap-south-1", "CreateModelInvocationJob", t)).toMatchObject({ costUsd: null, unpricedReason: "batch" });
    expect(book.cost("n", "us-east-1", "Converse", t)).toMatchObject({ costUsd: null, unpricedReason: "unknown_model" });
  });
});

describe("the shipped price list", () => {
  it("has a date, sane prices and one row per model × region", () => {
    expect(PRICE_LIST.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const keys = PRICE_LIST.prices.map((p) => `${p.modelId}|${p.region}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of PRICE_LIST.prices) {
      expect(priceOverrideSchema.safeParse({ modelId: p.modelId, region: p.region, inputPerMTok: p.input, outputPerMTok: p.output, cacheReadPerMTok: p.cacheRead, cacheWritePerMTok: p.cacheWrite }).success).toBe(true);
    }
  });

  it("refuses negative, absurd and malformed prices with clear messages", () => {
    const bad = (input: Record<string, unknown>) => priceOverrideSchema.safeParse({ modelId: "amazon.nova-pro-v1:0", region: "*", inputPerMTok: 1, outputPerMTok: 1, ...input }).error?.issues.map((i) => i.message);
    const range = priceOverrideSchema.safeParse({ modelId: "m.x", region: "*", inputPerMTok: -1, outputPerMTok: 1 }).error?.issues[0];
    expect(range).toMatchObject({ path: ["inputPerMTok"], message: "field.pricePerMTok", params: { max: 1000 } });
    expect(bad({ inputPerMTok: -0.01 })).toEqual(["field.pricePerMTok"]);
    expect(bad({ outputPerMTok: 5000 })).toEqual(["field.pricePerMTok"]);
    expect(bad({ cacheReadPerMTok: "abc" })).toEqual(["field.pricePerMTok"]);
    expect(bad({ inputPerMTok: "" })).toEqual(["field.required"]);
    expect(bad({ region: "moon-1" })).toEqual(["field.choice"]);
    expect(priceOverrideSchema.parse({ modelId: "m.x", region: "eu-west-1", inputPerMTok: "0.5", outputPerMTok: "2", cacheReadPerMTok: "" })).toMatchObject({ inputPerMTok: 0.5, cacheReadPerMTok: null, cacheWritePerMTok: null });
  });
});
