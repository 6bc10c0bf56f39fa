import { describe, expect, it } from "vitest";
import { buildRestrictionPolicy, describeRestrictions, NO_RESTRICTIONS, readRestrictions } from "./restriction-policy";

const HAIKU_PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

describe("restriction policy", () => {
  it("builds nothing when there is nothing to restrict", () => {
    expect(buildRestrictionPolicy(NO_RESTRICTIONS)).toBeNull();
  });

  it("denies other models via NotResource, outside networks, and after the not-after day", () => {
    const doc = JSON.parse(buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8"], notAfter: "2027-01-31" })!);
    expect(doc.Version).toBe("2012-10-17");
    const [models, , ips, date] = doc.Statement;
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
    expect(ips.Condition).toEqual({ NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } });
    expect(ips.Effect).toBe("Deny");
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
    expect(both.Statement).toHaveLength(1);
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

  it("reads its own policy back", () => {
    const doc = buildRestrictionPolicy({ models: [HAIKU_PROFILE, NOVA], cidrs: ["10.0.0.0/8", "2001:db8::/32"], notAfter: "2027-01-31" })!;
    const r = readRestrictions([doc]);
    expect(r.models).toEqual([
      { id: HAIKU_PROFILE, label: "Claude 3.5 Haiku (US cross-region)" },
      { id: NOVA, label: "Nova Lite" },
    ]);
    expect(r.cidrs).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(r.notAfter).toBe("2027-01-31");
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
