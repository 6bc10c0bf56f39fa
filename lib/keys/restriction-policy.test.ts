import { describe, expect, it } from "vitest";
import {
  buildRestrictionPolicy,
  describeRestrictions,
  mantleModelIds,
  NO_RESTRICTIONS,
  policySize,
  readRestrictions,
  restrictionPolicyFits,
  USER_INLINE_POLICY_LIMIT,
} from "./restriction-policy";

const HAIKU_PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

describe("restriction policy", () => {
  it("builds nothing when there is nothing to restrict", () => {
    expect(buildRestrictionPolicy(NO_RESTRICTIONS)).toBeNull();
  });

  it("denies other models via NotResource, outside networks, and after the not-after day", () => {
    const doc = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8"], notAfter: "2027-01-31" })!);
    expect(doc.Version).toBe("2012-10-17");
    const [models, , mantle, ips, date] = doc.Statement;
    expect(models).toEqual({
      Sid: "DenyOtherModels",
      Effect: "Deny",
      Action: "bedrock:InvokeModel*",
      NotResource: [
        `arn:aws:bedrock:*:*:inference-profile/${HAIKU_PROFILE}`,
        "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
        `arn:aws:bedrock:*::foundation-model/${NOVA}`,
      ],
    });
    expect(mantle.Sid).toBe("DenyOtherModelsOnMantle");
    expect(ips.Condition).toEqual({ NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } });
    expect(ips.Effect).toBe("Deny");
    // Source ranges and the not-after day deny every action: bedrock-mantle's included.
    expect([ips.Action, ips.Resource, date.Action, date.Resource]).toEqual(["*", "*", "*", "*"]);
    expect(date.Condition).toEqual({ DateGreaterThan: { "aws:CurrentTime": "2027-01-31T23:59:59Z" } });
    expect(JSON.stringify(doc)).not.toMatch(/"Allow"/);
  });

  it("a model allowed only through a profile is denied when called directly (no bedrock:InferenceProfileArn)", () => {
    const doc = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: [], notAfter: null })!);
    expect(doc.Statement[1]).toEqual({
      Sid: "DenyDirectCallsToProfileOnlyModels",
      Effect: "Deny",
      Action: "bedrock:InvokeModel*",
      Resource: ["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"],
      Condition: { Null: { "bedrock:InferenceProfileArn": "true" } },
    });
    // Listing the foundation model itself too allows it directly: no such statement.
    const both = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE, "anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: [], notAfter: null })!);
    expect(both.Statement.map((st: { Sid: string }) => st.Sid)).toEqual(["DenyOtherModels", "DenyOtherModelsOnMantle"]);
    expect(readRestrictions([JSON.stringify(both)]).models?.map((m) => m.id)).toEqual([HAIKU_PROFILE, "anthropic.claude-3-5-haiku-20241022-v1:0"]);
  });

  it("the summary says exactly what a policy allows: a profile without the profile-only deny also allows its model directly", () => {
    const written = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE], cidrs: [], notAfter: null })!);
    const withoutDeny = JSON.stringify({ Version: "2012-10-17", Statement: [written.Statement[0]] });
    expect(readRestrictions([withoutDeny]).models?.map((m) => m.id)).toEqual([HAIKU_PROFILE, "anthropic.claude-3-5-haiku-20241022-v1:0"]);
    expect(readRestrictions([JSON.stringify(written)])).toMatchObject({ models: [{ id: HAIKU_PROFILE }], other: [] });
    // A hand-written profile-only deny on every foundation model reads the same way.
    const wildcard = { Effect: "Deny", Action: "bedrock:InvokeModel*", Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { Null: { "bedrock:InferenceProfileArn": "true" } } };
    expect(readRestrictions([withoutDeny, JSON.stringify({ Statement: [wildcard] })]).models?.map((m) => m.id)).toEqual([HAIKU_PROFILE]);
  });

  it("binds bedrock-mantle too: CreateInference is denied unless bedrock-mantle:Model is an allowed model", () => {
    const doc = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: [], notAfter: null })!);
    expect(doc.Statement).toContainEqual({
      Sid: "DenyOtherModelsOnMantle",
      Effect: "Deny",
      Action: "bedrock-mantle:CreateInference",
      Resource: "*",
      // mantle names models by their in-Region id: a profile's model is allowed there.
      Condition: { StringNotEquals: { "bedrock-mantle:Model": ["anthropic.claude-3-5-haiku-20241022-v1:0", NOVA] } },
    });
    // Never a negated model condition on actions that carry no model (CallWithBearerToken,
    // ListModels): that would refuse every mantle call.
    const mantleStatements = doc.Statement.filter((st: { Action: string }) => String(st.Action).startsWith("bedrock-mantle:"));
    expect(mantleStatements).toHaveLength(1);
    expect(mantleModelIds(["us.amazon.nova-lite-v1:0", NOVA, "eu.amazon.nova-lite-v1:0"])).toEqual([NOVA]);
    // No model restriction, no mantle statement.
    const ipsOnly = JSON.parse(buildRestrictionPolicy({ models: [], cidrs: ["10.0.0.0/8"], notAfter: null })!);
    expect(JSON.stringify(ipsOnly)).not.toContain("bedrock-mantle");
  });

  it("the key page says when bedrock-mantle is not bound like the runtime (a policy written before mantle was covered)", () => {
    const t = (key: string, p?: Record<string, string>) =>
      ({ mayCall: `may call: ${p?.models}`, anyModel: "any model", mantleMayCall: `at mantle: ${p?.models}`, mantleAnyModel: "any model at mantle", noModel: "none" })[key]!;
    const written = JSON.parse(buildRestrictionPolicy({ models: [NOVA], cidrs: [], notAfter: null })!);
    expect(describeRestrictions(readRestrictions([JSON.stringify(written)]), t)).toBe("may call: Nova Lite");
    const old = JSON.stringify({ Version: "2012-10-17", Statement: written.Statement.filter((st: { Sid: string }) => st.Sid !== "DenyOtherModelsOnMantle") });
    expect(readRestrictions([old])).toMatchObject({ mantleModels: null, other: [] });
    expect(describeRestrictions(readRestrictions([old]), t)).toBe("may call: Nova Lite, any model at mantle");
    const mantleOnly = JSON.stringify({ Statement: [written.Statement[1]] });
    expect(describeRestrictions(readRestrictions([mantleOnly]), t)).toBe("any model, at mantle: Nova Lite");
    // Two mantle denies: only models both allow remain.
    const narrower = JSON.stringify({ Statement: [{ ...written.Statement[1], Condition: { StringNotEquals: { "bedrock-mantle:Model": [NOVA, "amazon.nova-pro-v1:0"] } } }] });
    expect(readRestrictions([mantleOnly, narrower]).mantleModels?.map((m) => m.id)).toEqual([NOVA]);
    // A preview (no reading of mantle) says nothing extra.
    expect(describeRestrictions({ models: [{ id: NOVA, label: "Nova Lite" }], cidrs: null, notAfter: null, other: [] }, t)).toBe("may call: Nova Lite");
  });

  it("knows IAM's 2,048-character budget for a user's inline policies", () => {
    const doc = buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8"], notAfter: "2027-01-31" })!;
    expect(policySize(doc)).toBe(doc.length); // JSON.stringify writes no whitespace
    expect(policySize(' { "a" : 1 }\n')).toBe(7);
    expect(restrictionPolicyFits({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8"], notAfter: "2027-01-31" })).toBe(true);
    const ranges = Array.from({ length: 100 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    expect(restrictionPolicyFits({ models: [], cidrs: ranges, notAfter: null })).toBe(false);
    expect(policySize(buildRestrictionPolicy({ models: [], cidrs: ranges, notAfter: null })!)).toBeGreaterThan(USER_INLINE_POLICY_LIMIT);
  });

  it("reads its own policy back", () => {
    const doc = buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8", "2001:db8::/32"], notAfter: "2027-01-31" })!;
    const r = readRestrictions([doc]);
    expect(r.models).toEqual([
      { id: HAIKU_PROFILE, label: "Claude 3.5 Haiku (US cross-region)" },
      { id: NOVA, label: "Nova Lite" },
    ]);
    expect(r.cidrs).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(r.notAfter).toBe("2027-01-31");
    expect(r.mantleModels?.map((m) => m.id)).toEqual(["anthropic.claude-3-5-haiku-20241022-v1:0", NOVA]);
    expect(r.other).toEqual([]);
  });

  it("reads hand-written policies by shape and keeps what it does not understand", () => {
    const handMade = JSON.stringify({
      Statement: [
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } } },
        { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      ],
    });
    const r = readRestrictions([handMade, "not json"]);
    expect(r.cidrs).toEqual(["192.0.2.0/24"]);
    expect(r.models).toBeNull();
    expect(r.other).toHaveLength(2);
  });

  it("describes restrictions through a translator", () => {
    const t = (key: string, p?: Record<string, string>) =>
      ({ mayCall: `may call: ${p?.models}`, anyModel: "any model", fromRanges: `from ${p?.ranges}`, until: `until ${p?.date}`, noModel: "none" })[key]!;
    const doc = buildRestrictionPolicy({ models: ["anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: ["10.0.0.0/8"], notAfter: "2027-01-31" })!;
    expect(describeRestrictions(readRestrictions([doc]), t)).toBe("may call: Claude 3.5 Haiku, from 10.0.0.0/8, until 2027-01-31");
    expect(describeRestrictions(readRestrictions([]), t)).toBe("any model");
  });
});
