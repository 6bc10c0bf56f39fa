import { describe, expect, it } from "vitest";
import { conditionsHold, normalizeIp, parseDate, parseOperator } from "./conditions.js";
import { matchArn } from "./pattern.js";
import type { ConditionBlock, RequestContext } from "./types.js";

/** Evaluates a condition block against a context, with policy variables enabled. */
function holds(block: ConditionBlock, ctx: RequestContext = {}): boolean {
  const lower = new Map(Object.entries(ctx).map(([k, v]) => [k.toLowerCase(), v] as const));
  const lookup = (k: string) => lower.get(k.toLowerCase());
  return conditionsHold(block, lookup, (k) => {
    const v = lookup(k);
    return typeof v === "string" ? v : undefined;
  });
}

describe("string operators", () => {
  it("StringEquals is exact and case-sensitive; * is literal", () => {
    expect(holds({ StringEquals: { k: "abc" } }, { k: "abc" })).toBe(true);
    expect(holds({ StringEquals: { k: "abc" } }, { k: "ABC" })).toBe(false);
    expect(holds({ StringEquals: { k: "a*" } }, { k: "abc" })).toBe(false);
    expect(holds({ StringEquals: { k: "a*" } }, { k: "a*" })).toBe(true);
  });

  it("StringNotEquals NORs its values", () => {
    expect(holds({ StringNotEquals: { k: ["a", "b"] } }, { k: "c" })).toBe(true);
    expect(holds({ StringNotEquals: { k: ["a", "b"] } }, { k: "b" })).toBe(false);
  });

  it("IgnoreCase variants", () => {
    expect(holds({ StringEqualsIgnoreCase: { k: "Alice" } }, { k: "ALICE" })).toBe(true);
    expect(holds({ StringNotEqualsIgnoreCase: { k: "Alice" } }, { k: "alice" })).toBe(false);
    expect(holds({ StringNotEqualsIgnoreCase: { k: "Alice" } }, { k: "bob" })).toBe(true);
  });

  it("StringLike / StringNotLike use * and ?", () => {
    expect(holds({ StringLike: { k: "Boto3/*" } }, { k: "Boto3/1.39.16 md/Botocore#1.39.16" })).toBe(true);
    expect(holds({ StringLike: { k: "v?" } }, { k: "v1" })).toBe(true);
    expect(holds({ StringLike: { k: "v?" } }, { k: "v12" })).toBe(false);
    expect(holds({ StringNotLike: { k: ["curl/*", "python-requests/*"] } }, { k: "curl/8.5.0" })).toBe(false);
    expect(holds({ StringNotLike: { k: ["curl/*", "python-requests/*"] } }, { k: "aws-sdk-js/3.0" })).toBe(true);
  });

  it("substitutes policy variables in condition values", () => {
    expect(holds({ StringEquals: { "aws:SourceIdentity": "${aws:username}" } }, { "aws:SourceIdentity": "alice", "aws:username": "alice" })).toBe(true);
    expect(holds({ StringEquals: { "aws:SourceIdentity": "${aws:username}" } }, { "aws:SourceIdentity": "alice" })).toBe(false);
  });
});

describe("numeric, date and bool operators", () => {
  it("Numeric operators compare numbers, not strings", () => {
    expect(holds({ NumericLessThan: { n: "10" } }, { n: "9" })).toBe(true);
    expect(holds({ NumericLessThan: { n: 10 } }, { n: "10" })).toBe(false);
    expect(holds({ NumericLessThanEquals: { n: 10 } }, { n: "10.0" })).toBe(true);
    expect(holds({ NumericGreaterThan: { n: "2" } }, { n: "10" })).toBe(true);
    expect(holds({ NumericGreaterThanEquals: { n: "2" } }, { n: "1" })).toBe(false);
    expect(holds({ NumericEquals: { n: "3" } }, { n: "3" })).toBe(true);
    expect(holds({ NumericNotEquals: { n: ["3", "4"] } }, { n: "4" })).toBe(false);
    expect(holds({ NumericEquals: { n: "3" } }, { n: "three" })).toBe(false);
  });

  it("Date operators accept ISO 8601 and epoch seconds", () => {
    const now = { "aws:CurrentTime": "2025-07-30T06:18:22Z" };
    expect(holds({ DateLessThan: { "aws:CurrentTime": "2025-08-01T00:00:00Z" } }, now)).toBe(true);
    expect(holds({ DateGreaterThan: { "aws:CurrentTime": "2025-08-01T00:00:00Z" } }, now)).toBe(false);
    expect(holds({ DateGreaterThan: { "aws:CurrentTime": "2025-07-30" } }, now)).toBe(true);
    expect(holds({ DateLessThanEquals: { "aws:CurrentTime": "2025-07-30T06:18:22Z" } }, now)).toBe(true);
    expect(holds({ DateGreaterThanEquals: { "aws:CurrentTime": "1753856302" } }, now)).toBe(true);
    expect(holds({ DateEquals: { "aws:CurrentTime": "2025-07-30T06:18:22.000Z" } }, now)).toBe(true);
    expect(holds({ DateNotEquals: { "aws:CurrentTime": "2025-07-30T06:18:22Z" } }, now)).toBe(false);
    expect(holds({ DateLessThan: { "aws:CurrentTime": "not a date" } }, now)).toBe(false);
    expect(parseDate("1753856302")).toBe(Date.parse("2025-07-30T06:18:22Z"));
  });

  it("Bool compares true/false case-insensitively", () => {
    expect(holds({ Bool: { "aws:SecureTransport": "true" } }, { "aws:SecureTransport": "true" })).toBe(true);
    expect(holds({ Bool: { "aws:SecureTransport": false } }, { "aws:SecureTransport": "true" })).toBe(false);
    expect(holds({ Bool: { "aws:MultiFactorAuthPresent": "FALSE" } }, { "aws:MultiFactorAuthPresent": "false" })).toBe(true);
  });

  it("BinaryEquals compares base64 values", () => {
    expect(holds({ BinaryEquals: { b: "QmluYXJ5" } }, { b: "QmluYXJ5" })).toBe(true);
    expect(holds({ BinaryEquals: { b: "QmluYXJ5" } }, { b: "QmluYXJ6" })).toBe(false);
  });
});

describe("IP and ARN operators", () => {
  it("IpAddress / NotIpAddress with IPv4 and IPv6 CIDRs", () => {
    const block = { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"] } };
    expect(holds(block, { "aws:SourceIp": "203.0.113.7" })).toBe(true);
    expect(holds(block, { "aws:SourceIp": "198.51.100.7" })).toBe(false);
    expect(holds(block, { "aws:SourceIp": "2001:db8:1::5" })).toBe(true);
    // Sockets report IPv4 peers in the IPv4-mapped IPv6 form; IAM compares them as IPv4.
    expect(holds(block, { "aws:SourceIp": "::ffff:203.0.113.9" })).toBe(true);
    expect(normalizeIp("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(holds({ IpAddress: { "aws:SourceIp": "192.0.2.1" } }, { "aws:SourceIp": "192.0.2.1" })).toBe(true);
    expect(holds({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "10.1.2.3" })).toBe(false);
    expect(holds({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "11.1.2.3" })).toBe(true);
    expect(holds({ IpAddress: { "aws:SourceIp": "not-an-ip/8" } }, { "aws:SourceIp": "10.1.2.3" })).toBe(false);
  });

  it("ArnLike / ArnEquals match each of the six parts separately", () => {
    const role = "arn:aws:iam::123456789012:role/BedrockConsoleUser";
    expect(holds({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Bedrock*" } }, { "aws:PrincipalArn": role })).toBe(true);
    expect(holds({ ArnEquals: { "aws:PrincipalArn": role } }, { "aws:PrincipalArn": role })).toBe(true);
    expect(holds({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } }, { "aws:PrincipalArn": role })).toBe(true);
    expect(holds({ ArnNotEquals: { "aws:PrincipalArn": role } }, { "aws:PrincipalArn": role })).toBe(false);
    // A * in one part cannot reach across the colon into the next.
    expect(matchArn("arn:aws:iam:*:role/x", "arn:aws:iam::123456789012:role/x", undefined)).toBe(false);
    expect(matchArn("arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:us-east-1::foundation-model/m-v1:0", undefined)).toBe(true);
    expect(matchArn("arn:aws:iam::123456789012:user/${aws:username}", "arn:aws:iam::123456789012:user/al", (k) => (k === "aws:username" ? "al" : undefined))).toBe(true);
  });
});

describe("missing keys, IfExists, Null and set operators", () => {
  it("a missing key makes positive operators false and negated ones true", () => {
    expect(holds({ StringEquals: { "aws:SourceIdentity": "alice" } })).toBe(false);
    expect(holds({ StringNotEquals: { "aws:SourceIdentity": "alice" } })).toBe(true);
    expect(holds({ DateLessThan: { "aws:TokenIssueTime": "2030-01-01T00:00:00Z" } })).toBe(false);
    expect(holds({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } })).toBe(false);
    expect(holds({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe(true);
    expect(holds({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } })).toBe(true);
  });

  it("...IfExists is true when the key is missing and an ordinary test when present", () => {
    expect(holds({ StringEqualsIfExists: { "aws:SourceIdentity": "alice" } })).toBe(true);
    expect(holds({ StringEqualsIfExists: { "aws:SourceIdentity": "alice" } }, { "aws:SourceIdentity": "bob" })).toBe(false);
    expect(holds({ DateLessThanIfExists: { "aws:TokenIssueTime": "2025-01-01T00:00:00Z" } })).toBe(true);
    expect(holds({ IpAddressIfExists: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "11.0.0.1" })).toBe(false);
  });

  it("Null tests presence", () => {
    expect(holds({ Null: { "aws:TokenIssueTime": "true" } })).toBe(true);
    expect(holds({ Null: { "aws:TokenIssueTime": "true" } }, { "aws:TokenIssueTime": "2025-01-01T00:00:00Z" })).toBe(false);
    expect(holds({ Null: { "aws:TokenIssueTime": false } }, { "aws:TokenIssueTime": "2025-01-01T00:00:00Z" })).toBe(true);
    expect(holds({ Null: { "aws:TagKeys": "true" } }, { "aws:TagKeys": [] })).toBe(true);
  });

  it("ForAnyValue needs one matching value and is false for a missing key", () => {
    const block = { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team", "owner"] } };
    expect(holds(block, { "aws:TagKeys": ["cost", "team"] })).toBe(true);
    expect(holds(block, { "aws:TagKeys": ["cost"] })).toBe(false);
    expect(holds(block)).toBe(false);
    expect(holds({ "ForAnyValue:StringLike": { "aws:TagKeys": "own*" } }, { "aws:TagKeys": ["x", "owner"] })).toBe(true);
    expect(holds({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["a"] } }, { "aws:TagKeys": ["a", "b"] })).toBe(true);
    expect(holds({ "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": "a" } })).toBe(true);
  });

  it("ForAllValues needs every value to match and is vacuously true for a missing or empty key", () => {
    const block = { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "owner"] } };
    expect(holds(block, { "aws:TagKeys": ["team", "owner"] })).toBe(true);
    expect(holds(block, { "aws:TagKeys": ["team", "cost"] })).toBe(false);
    expect(holds(block)).toBe(true);
    expect(holds(block, { "aws:TagKeys": [] })).toBe(true);
    expect(holds({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["secret"] } }, { "aws:TagKeys": ["a", "b"] })).toBe(true);
    expect(holds({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["secret"] } }, { "aws:TagKeys": ["a", "secret"] })).toBe(false);
  });

  it("a single-valued key works with set operators too", () => {
    expect(holds({ "ForAnyValue:StringEquals": { "bedrock:BearerTokenType": ["SHORT_TERM"] } }, { "bedrock:BearerTokenType": "SHORT_TERM" })).toBe(true);
  });

  it("unknown operators and NullIfExists fail closed", () => {
    expect(parseOperator("StringEqualz")).toBeNull();
    expect(parseOperator("NullIfExists")).toBeNull();
    expect(holds({ StringEqualz: { k: "a" } }, { k: "a" })).toBe(false);
    expect(parseOperator("forAllValues:stringLikeIfExists")).toMatchObject({ set: "all", ifExists: true, name: "stringlike" });
  });
});
