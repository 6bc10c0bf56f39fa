import { describe, expect, it } from "vitest";
import { CATALOGUE, suggestedModelId, catalogueForRegion, modelLabel, isKnownModelId } from "./catalogue";
import { issueKeySchema, keyFilterSchema } from "./schemas";

const base = {
  idempotencyToken: "0f8c7d7e-2b1a-4c3d-9e8f-123456789abc",
  name: "Checkout service",
  purpose: "Payments bot",
  ownerId: "u1",
  teamId: "t1",
  expiry: "30",
};

const issues = (r: ReturnType<typeof issueKeySchema.safeParse>) =>
  r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));

describe("issue form schema", () => {
  it("turns the form into service input", () => {
    const r = issueKeySchema.parse({ ...base, "models": ["us.anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: "10.0.0.0/8, 2001:DB8::/32\n", notAfter: "2030-01-31", extraPolicies: ["AmazonBedrockMarketplaceAccess"] });
    expect(r.ageDays).toBe(30);
    expect(r.restrictions).toEqual({ models: ["us.anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: ["10.0.0.0/8", "2001:db8::/32"], notAfter: "2030-01-31" });
    expect(r.extraPolicies).toEqual(["AmazonBedrockMarketplaceAccess"]);
  });

  it("handles custom and never expiry", () => {
    expect(issueKeySchema.parse({ ...base, expiry: "custom", customDays: "400" }).ageDays).toBe(400);
    expect(issueKeySchema.parse({ ...base, expiry: "never", customDays: "" }).ageDays).toBeNull();
    expect(issues(issueKeySchema.safeParse({ ...base, expiry: "custom" }))).toEqual({ customDays: "field.required" });
    expect(Object.keys(issues(issueKeySchema.safeParse({ ...base, expiry: "custom", customDays: "36601" })))).toEqual(["customDays"]);
    expect(Object.keys(issues(issueKeySchema.safeParse({ ...base, expiry: "14" })))).toEqual(["expiry"]);
  });

  it("gives field errors for unknown models, bad CIDRs and bad names", () => {
    expect(issues(issueKeySchema.safeParse({ ...base, models: ["anthropic.claude-9"] }))).toEqual({ models: "field.unknownModel" });
    expect(issues(issueKeySchema.safeParse({ ...base, cidrs: ["10.0.0.0/33"] }))).toEqual({ cidrs: "field.cidr" });
    expect(issues(issueKeySchema.safeParse({ ...base, cidrs: ["10.0.0.1/8"] }))).toEqual({ cidrs: "field.cidrHostBits" });
    expect(issues(issueKeySchema.safeParse({ ...base, name: "bad<name>" }))).toEqual({ name: "field.keyName" });
    expect(issueKeySchema.safeParse({ ...base, name: "請求ボット" }).success).toBe(true);
    expect(Object.keys(issues(issueKeySchema.safeParse({ ...base, idempotencyToken: "short" })))).toEqual(["idempotencyToken"]);
    expect(issues(issueKeySchema.safeParse({ ...base, notAfter: "31/01/2030" }))).toEqual({ notAfter: "field.date" });
  });

  it("refuses restrictions longer than IAM's 2,048-character inline policy budget for one user, with the limit", () => {
    const profiles = CATALOGUE.filter((e) => e.kind === "inference-profile").map((e) => e.id);
    const r = issueKeySchema.safeParse({ ...base, models: profiles });
    expect(issues(r)).toEqual({ models: "field.restrictionsTooLarge" });
    expect(r.success ? null : r.error.issues[0]).toMatchObject({ params: { limit: 2048 } });
    const ranges = Array.from({ length: 100 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    expect(issues(issueKeySchema.safeParse({ ...base, cidrs: ranges }))).toEqual({ cidrs: "field.restrictionsTooLarge" });
    expect(issueKeySchema.safeParse({ ...base, models: profiles.slice(0, 5), cidrs: ranges.slice(0, 5) }).success).toBe(true);
  });

  it("filters from the URL with defaults", () => {
    expect(keyFilterSchema.parse({})).toMatchObject({ presence: "present", sort: "createdAt", dir: "desc", page: 1, pageSize: 50 });
    expect(keyFilterSchema.parse({ status: "Expired", expiringWithinDays: "7", pageSize: "25", q: " pay " })).toMatchObject({
      status: "Expired",
      expiringWithinDays: 7,
      pageSize: 25,
      q: "pay",
    });
    expect(keyFilterSchema.safeParse({ pageSize: "33" }).success).toBe(false);
    expect(keyFilterSchema.safeParse({ sort: "secret" }).success).toBe(false);
  });
});

describe("model catalogue", () => {
  it("knows foundation models and inference profiles", () => {
    expect(isKnownModelId("anthropic.claude-3-5-haiku-20241022-v1:0")).toBe(true);
    expect(isKnownModelId("us.anthropic.claude-sonnet-4-20250514-v1:0")).toBe(true);
    // profile-only models are offered only as profiles
    expect(isKnownModelId("anthropic.claude-sonnet-4-20250514-v1:0")).toBe(false);
    expect(modelLabel("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0")).toBe("Nova Pro");
  });

  it("suggests a model per region", () => {
    expect(suggestedModelId("us-east-1")).toBe("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(suggestedModelId("eu-central-1")).toBe("anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(suggestedModelId("us-east-1", ["amazon.nova-lite-v1:0"])).toBe("amazon.nova-lite-v1:0");
    expect(catalogueForRegion("eu-west-1").every((e) => e.kind === "foundation-model" || e.geography === "eu")).toBe(true);
  });
});
