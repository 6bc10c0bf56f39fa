import { describe, expect, it } from "vitest";
import {
  decodePolicyDocument,
  effectiveStatus,
  managedPolicyArn,
  policyNameFromArn,
  tagsToRecord,
  toBedrockCredential,
  toTagValue,
} from "./iam-mapping";

const now = new Date("2026-01-10T00:00:00Z");

describe("IAM → domain mapping", () => {
  it("maps a Bedrock credential and derives Expired from the expiry date", () => {
    const meta = {
      UserName: "BedrockAPIKey-x",
      Status: "Active" as const,
      CreateDate: new Date("2026-01-01T00:00:00Z"),
      ExpirationDate: new Date("2026-01-05T00:00:00Z"),
      ServiceSpecificCredentialId: "ACCAEXAMPLEEXAMPLE01",
      ServiceName: "bedrock.amazonaws.com",
    };
    expect(toBedrockCredential(meta, now)).toEqual({
      credentialId: "ACCAEXAMPLEEXAMPLE01",
      userName: "BedrockAPIKey-x",
      status: "Expired",
      createdAt: new Date("2026-01-01T00:00:00Z"),
      expiresAt: new Date("2026-01-05T00:00:00Z"),
    });
    expect(toBedrockCredential({ ...meta, ExpirationDate: undefined, Status: "Inactive" }, now)?.status).toBe("Inactive");
  });

  it("ignores other services and incomplete entries", () => {
    const base = { UserName: "u", Status: "Active" as const, CreateDate: now, ServiceSpecificCredentialId: "ACCA1" };
    expect(toBedrockCredential({ ...base, ServiceName: "codecommit.amazonaws.com" }, now)).toBeNull();
    expect(toBedrockCredential({ ...base, ServiceName: "bedrock.amazonaws.com", UserName: undefined }, now)).toBeNull();
  });

  it("effectiveStatus", () => {
    expect(effectiveStatus("Active", null, now)).toBe("Active");
    expect(effectiveStatus("Inactive", new Date("2030-01-01"), now)).toBe("Inactive");
    expect(effectiveStatus("Active", now, now)).toBe("Expired");
    expect(effectiveStatus("weird", null, now)).toBe("Active");
  });

  it("decodes IAM's URL-encoded policy documents", () => {
    expect(decodePolicyDocument("%7B%22Version%22%3A%222012-10-17%22%7D")).toBe('{"Version":"2012-10-17"}');
    expect(decodePolicyDocument(' {"a":1}')).toBe('{"a":1}');
    expect(decodePolicyDocument("%E0%A4%A")).toBeNull();
    expect(decodePolicyDocument(undefined)).toBeNull();
  });

  it("policy ARNs and names", () => {
    expect(managedPolicyArn("AmazonBedrockLimitedAccess")).toBe("arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess");
    expect(policyNameFromArn("arn:aws:iam::aws:policy/service-role/X")).toBe("X");
    expect(policyNameFromArn("arn:aws:iam::123456789012:policy/Mine")).toBe("arn:aws:iam::123456789012:policy/Mine");
  });

  it("tags", () => {
    expect(tagsToRecord([{ Key: "owner", Value: "a@b.c" }, { Key: "empty" }])).toEqual({ owner: "a@b.c", empty: "" });
    expect(toTagValue("R&D <team> 日本")).toBe("R_D _team_ 日本");
    expect(toTagValue("x".repeat(300))).toHaveLength(256);
  });
});
