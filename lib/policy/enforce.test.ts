import { describe, expect, it } from "vitest";
import { longTermProblems, shortTermProblems } from "./enforce";
import { defaultPolicy, policyFormSchema } from "./schema";

const HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const base = defaultPolicy(["AmazonBedrockMarketplaceAccess"]);

describe("long-term keys against the policy", () => {
  it("the defaults refuse nothing the console allowed before a policy existed", () => {
    expect(longTermProblems(base, { ageDays: null, models: [], extraPolicies: ["AmazonBedrockMarketplaceAccess"] })).toEqual({});
    expect(longTermProblems(base, { ageDays: 36600, models: [HAIKU], extraPolicies: [] })).toEqual({});
  });

  it("names each field that asks for more, with the limit", () => {
    const policy = { ...base, maxKeyAgeDays: 90, allowedModels: [HAIKU], allowedExtraPolicies: [] };
    expect(longTermProblems(policy, { ageDays: 91, models: [HAIKU, NOVA], extraPolicies: ["AmazonBedrockMarketplaceAccess"] })).toEqual({
      expiry: { code: "policy.tooLong", params: { max: 90 } },
      models: { code: "policy.modelsNotAllowed", params: { models: "Nova Lite" } },
      extraPolicies: { code: "policy.extraPolicyNotAllowed", params: { policies: "AmazonBedrockMarketplaceAccess" } },
    });
    expect(longTermProblems(policy, { ageDays: null, models: [], extraPolicies: [] })).toEqual({
      expiry: { code: "policy.neverExpires", params: { max: 90 } },
      models: { code: "policy.modelsRequired" },
    });
    expect(longTermProblems(policy, { ageDays: 90, models: [HAIKU], extraPolicies: [] })).toEqual({});
  });
});

describe("short-term keys against the policy", () => {
  it("without self-service, developers need an approved request; leads and admins do not", () => {
    const policy = { ...base, shortTermSelfService: false };
    expect(shortTermProblems(policy, { role: "developer", minutes: 30, viaApprovedRequest: false }).form).toEqual({ code: "policy.shortTermNeedsApproval" });
    expect(shortTermProblems(policy, { role: "developer", minutes: 30, viaApprovedRequest: true })).toEqual({ fields: {} });
    expect(shortTermProblems(policy, { role: "lead", minutes: 30, viaApprovedRequest: false })).toEqual({ fields: {} });
    expect(shortTermProblems(policy, { role: "admin", minutes: 30, viaApprovedRequest: false })).toEqual({ fields: {} });
  });

  it("caps the lifetime for everyone, approved requests included", () => {
    const policy = { ...base, shortTermMaxMinutes: 60 };
    for (const role of ["admin", "lead", "developer"] as const) {
      expect(shortTermProblems(policy, { role, minutes: 61, viaApprovedRequest: true }).fields).toEqual({
        expiresInMinutes: { code: "policy.shortTermTooLong", params: { max: 60 } },
      });
    }
  });
});

describe("the policy form", () => {
  const form = {
    version: "3",
    maxKeyAgeDays: "",
    defaultExpiryDays: "30",
    allowedModels: [""],
    allowedExtraPolicies: ["", "AmazonBedrockMarketplaceAccess"],
    longTermRequiresApproval: "on",
    shortTermMaxMinutes: "120",
    pickupWindowHours: "48",
  };

  it("reads checkboxes, empty fields and lists as the form sends them", () => {
    expect(policyFormSchema.parse(form)).toEqual({
      version: 3,
      maxKeyAgeDays: null,
      defaultExpiryDays: 30,
      allowedModels: [],
      allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"],
      longTermRequiresApproval: true,
      shortTermSelfService: false,
      shortTermMaxMinutes: 120,
      pickupWindowHours: 48,
    });
  });

  it("refuses a default above the maximum, a restriction without models, unknown models and out-of-range numbers", () => {
    const issues = (v: Record<string, unknown>) => {
      const r = policyFormSchema.safeParse({ ...form, ...v });
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(issues({ maxKeyAgeDays: "7" })).toMatchObject({ defaultExpiryDays: "field.defaultAboveMax" });
    expect(issues({ restrictModels: "on" })).toMatchObject({ allowedModels: "field.chooseModels" });
    expect(issues({ restrictModels: "on", allowedModels: ["gpt-4"] })).toMatchObject({ allowedModels: "field.unknownModel" });
    expect(Object.keys(issues({ shortTermMaxMinutes: "721", pickupWindowHours: "0" }))).toEqual(["shortTermMaxMinutes", "pickupWindowHours"]);
    // Models only count while "restrict" is ticked.
    expect(policyFormSchema.parse({ ...form, allowedModels: [HAIKU] }).allowedModels).toEqual([]);
    expect(policyFormSchema.parse({ ...form, restrictModels: "on", allowedModels: [HAIKU] }).allowedModels).toEqual([HAIKU]);
  });
});
