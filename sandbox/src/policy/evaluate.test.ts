import { describe, expect, it } from "vitest";
import { awsManagedPolicy } from "../iam/policies.js";
import { evaluate } from "./evaluate.js";
import type { PolicyDocument, PolicyStatement, RequestContext } from "./types.js";

const HAIKU = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0";
const PROFILE = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const run = (policies: PolicyDocument[], action: string, resource: string, context: RequestContext = {}) =>
  evaluate(policies, { action, resource, context }).decision;

describe("evaluate: effect precedence", () => {
  it("is an implicit deny with no policies or no matching statement", () => {
    expect(run([], "bedrock:InvokeModel", HAIKU)).toBe("ImplicitDeny");
    expect(run([doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })], "bedrock:InvokeModel", HAIKU)).toBe("ImplicitDeny");
  });

  it("allows when one statement allows", () => {
    const r = evaluate([doc({ Sid: "A", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" })], {
      action: "bedrock:InvokeModel",
      resource: HAIKU,
      context: {},
    });
    expect(r).toEqual({ decision: "Allow", matchedStatement: { policyIndex: 0, statementIndex: 0, sid: "A", effect: "Allow" } });
  });

  it("lets an explicit deny in any policy win over allows before and after it", () => {
    const allow = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    const deny = doc({ Sid: "NoHaiku", Effect: "Deny", Action: "bedrock:InvokeModel", Resource: HAIKU });
    const r = evaluate([allow, deny, allow], { action: "bedrock:InvokeModel", resource: HAIKU, context: {} });
    expect(r.decision).toBe("ExplicitDeny");
    expect(r.matchedStatement).toMatchObject({ policyIndex: 1, sid: "NoHaiku", effect: "Deny" });
    expect(run([allow, deny], "bedrock:InvokeModel", PROFILE)).toBe("Allow");
  });

  it("accepts a single statement object instead of an array and ignores malformed statements", () => {
    const single: PolicyDocument = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "bedrock:*", Resource: "*" } };
    expect(run([single], "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    const broken = doc({ Effect: "allow", Action: "*", Resource: "*" }, { Effect: "Allow", Action: "*" });
    expect(run([broken], "bedrock:InvokeModel", HAIKU)).toBe("ImplicitDeny");
  });
});

describe("evaluate: actions and resources", () => {
  it("matches actions case-insensitively with * and ?", () => {
    const p = [doc({ Effect: "Allow", Action: ["bedrock:invokemodel*"], Resource: "*" })];
    expect(run(p, "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    expect(run(p, "bedrock:InvokeModelWithResponseStream", HAIKU)).toBe("Allow");
    expect(run(p, "bedrock:CallWithBearerToken", "*")).toBe("ImplicitDeny");
    const q = [doc({ Effect: "Allow", Action: "bedrock:Get?oundationModel", Resource: "*" })];
    expect(run(q, "bedrock:GetFoundationModel", "*")).toBe("Allow");
    expect(run(q, "bedrock:GetXXFoundationModel", "*")).toBe("ImplicitDeny");
  });

  it("NotAction allows everything except the listed actions", () => {
    const p = [doc({ Effect: "Allow", NotAction: ["bedrock:InvokeModelWithResponseStream", "iam:*"], Resource: "*" })];
    expect(run(p, "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    expect(run(p, "bedrock:InvokeModelWithResponseStream", HAIKU)).toBe("ImplicitDeny");
    expect(run(p, "iam:CreateUser", "*")).toBe("ImplicitDeny");
  });

  it("a Deny with NotAction denies everything else", () => {
    const p = [doc({ Effect: "Allow", Action: "*", Resource: "*" }), doc({ Effect: "Deny", NotAction: "bedrock:CallWithBearerToken", Resource: "*" })];
    expect(run(p, "bedrock:CallWithBearerToken", "*")).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", HAIKU)).toBe("ExplicitDeny");
  });

  it("matches resources case-sensitively, with wildcards spanning colons", () => {
    const allow = (Resource: string | string[]) => [doc({ Effect: "Allow", Action: "bedrock:InvokeModel", Resource })];
    expect(run(allow("arn:aws:bedrock:*::foundation-model/anthropic.*"), "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    expect(run(allow("arn:aws:bedrock:*"), "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    expect(run(allow("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v?:0"), "bedrock:InvokeModel", HAIKU)).toBe("Allow");
    expect(run(allow("arn:aws:bedrock:*::foundation-model/ANTHROPIC.*"), "bedrock:InvokeModel", HAIKU)).toBe("ImplicitDeny");
    expect(run(allow(["arn:aws:bedrock:*:*:inference-profile/us.*"]), "bedrock:InvokeModel", HAIKU)).toBe("ImplicitDeny");
    expect(run(allow(["arn:aws:bedrock:*:*:inference-profile/us.*"]), "bedrock:InvokeModel", PROFILE)).toBe("Allow");
  });

  it("NotResource applies to every resource except the listed ones", () => {
    const p = [doc({ Effect: "Allow", Action: "bedrock:*", Resource: "*" }), doc({ Effect: "Deny", Action: "bedrock:InvokeModel", NotResource: "arn:aws:bedrock:*:*:inference-profile/*" })];
    expect(run(p, "bedrock:InvokeModel", PROFILE)).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", HAIKU)).toBe("ExplicitDeny");
  });

  it("substitutes policy variables in 2012-10-17 documents only", () => {
    const st: PolicyStatement = { Effect: "Allow", Action: "iam:GetUser", Resource: "arn:aws:iam::123456789012:user/${aws:username}" };
    const ctx = { "aws:username": "alice" };
    expect(run([doc(st)], "iam:GetUser", "arn:aws:iam::123456789012:user/alice", ctx)).toBe("Allow");
    expect(run([doc(st)], "iam:GetUser", "arn:aws:iam::123456789012:user/bob", ctx)).toBe("ImplicitDeny");
    // Missing variable: matches nothing.
    expect(run([doc(st)], "iam:GetUser", "arn:aws:iam::123456789012:user/alice", {})).toBe("ImplicitDeny");
    const old: PolicyDocument = { Version: "2008-10-17", Statement: [st] };
    expect(run([old], "iam:GetUser", "arn:aws:iam::123456789012:user/${aws:username}", ctx)).toBe("Allow");
    expect(run([old], "iam:GetUser", "arn:aws:iam::123456789012:user/alice", ctx)).toBe("ImplicitDeny");
  });

  it("treats ${*} as a literal star and honours variable defaults", () => {
    const lit = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${*}" });
    expect(run([lit], "s3:GetObject", "arn:aws:s3:::b/*")).toBe("Allow");
    expect(run([lit], "s3:GetObject", "arn:aws:s3:::b/x")).toBe("ImplicitDeny");
    const def = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${aws:username, 'shared'}/*" });
    expect(run([def], "s3:GetObject", "arn:aws:s3:::b/shared/x")).toBe("Allow");
  });
});

describe("evaluate: conditions inside statements", () => {
  it("requires every operator and every key to hold (AND), any value per key (OR)", () => {
    const p = [
      doc({
        Effect: "Allow",
        Action: "bedrock:InvokeModel",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalType": ["User", "AssumedRole"], "bedrock:BearerTokenType": "LONG_TERM" }, Bool: { "aws:SecureTransport": true } },
      }),
    ];
    const base = { "aws:PrincipalType": "User", "bedrock:BearerTokenType": "LONG_TERM", "aws:SecureTransport": "true" };
    expect(run(p, "bedrock:InvokeModel", HAIKU, base)).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", HAIKU, { ...base, "aws:PrincipalType": "AssumedRole" })).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", HAIKU, { ...base, "bedrock:BearerTokenType": "SHORT_TERM" })).toBe("ImplicitDeny");
    expect(run(p, "bedrock:InvokeModel", HAIKU, { ...base, "aws:SecureTransport": "false" })).toBe("ImplicitDeny");
  });

  it("matches condition key names case-insensitively", () => {
    const p = [doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "AWS:SOURCEIDENTITY": "alice" } } })];
    expect(run(p, "bedrock:InvokeModel", HAIKU, { "aws:SourceIdentity": "alice" })).toBe("Allow");
  });

  it("revokes older sessions of one person: DateLessThan aws:TokenIssueTime + aws:SourceIdentity", () => {
    const p = [
      doc({ Effect: "Allow", Action: "bedrock:*", Resource: "*" }),
      doc({
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { DateLessThan: { "aws:TokenIssueTime": "2025-07-30T06:00:00Z" }, StringEquals: { "aws:SourceIdentity": "alice" } },
      }),
    ];
    expect(run(p, "bedrock:InvokeModel", HAIKU, { "aws:TokenIssueTime": "2025-07-30T05:59:59Z", "aws:SourceIdentity": "alice" })).toBe("ExplicitDeny");
    expect(run(p, "bedrock:InvokeModel", HAIKU, { "aws:TokenIssueTime": "2025-07-30T06:00:01Z", "aws:SourceIdentity": "alice" })).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", HAIKU, { "aws:TokenIssueTime": "2025-07-30T05:00:00Z", "aws:SourceIdentity": "bob" })).toBe("Allow");
    // Long-term keys carry no aws:TokenIssueTime: the deny's condition is false, so it does not apply.
    expect(run(p, "bedrock:InvokeModel", HAIKU, { "aws:SourceIdentity": "alice" })).toBe("Allow");
  });

  it("evaluates AmazonBedrockLimitedAccess as published", () => {
    // The core's copy of shared/aws-reference/AmazonBedrockLimitedAccess.json.
    const managed = awsManagedPolicy("arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess");
    expect(managed).toBeDefined();
    const p = [managed!.document];
    expect(run(p, "bedrock:CallWithBearerToken", "*")).toBe("Allow");
    expect(run(p, "bedrock:InvokeModel", PROFILE)).toBe("Allow");
    expect(run(p, "bedrock:InvokeModelWithResponseStream", HAIKU)).toBe("Allow");
    expect(run(p, "bedrock:ListFoundationModels", "*")).toBe("Allow");
    expect(run(p, "bedrock:DeleteModelInvocationLoggingConfiguration", "*")).toBe("ImplicitDeny");
    expect(run(p, "iam:CreateUser", "*")).toBe("ImplicitDeny");
    // aws:CalledViaLast is absent on a direct call, so the marketplace statement does not apply.
    expect(run(p, "aws-marketplace:Subscribe", "*")).toBe("ImplicitDeny");
    expect(run(p, "aws-marketplace:Subscribe", "*", { "aws:CalledViaLast": "bedrock.amazonaws.com" })).toBe("Allow");
  });
});
