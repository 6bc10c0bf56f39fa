import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ja from "@/lib/i18n/messages/ja.json";
import ko from "@/lib/i18n/messages/ko.json";
import zh from "@/lib/i18n/messages/zh-CN.json";
import { buildBoundary, buildScp, DEFAULT_OPTIONS, type GuardrailInputs, isDeliverable, SCP_SIZE_LIMIT } from "./generate";
import { exportText } from "./service";
import { toTerraform } from "./terraform";
import { validatePolicy } from "./validate";

const INPUTS: GuardrailInputs = {
  maxKeyAgeDays: 90,
  allowedModels: [],
  regions: ["eu-west-1", "us-east-1"],
  consolePrincipalArns: ["arn:aws:iam::123456789012:role/BedrockKeyConsole"],
};

const sids = (p: { statements: { statement: { Sid?: string } }[] }) => p.statements.map((s) => s.statement.Sid);
const bySid = (p: ReturnType<typeof buildScp>, sid: string) => p.statements.find((s) => s.statement.Sid === sid)!.statement;

describe("the SCP", () => {
  it("refuses keys with no expiry (Null check) and beyond the maximum age, outside the console, and bearer calls outside the regions", () => {
    const scp = buildScp(INPUTS);
    expect(sids(scp)).toEqual(["DenyBedrockKeysWithoutExpiry", "DenyBedrockKeysOverMaxAge", "DenyBedrockKeysOutsideConsole", "DenyBearerTokenCallsOutsideRegions"]);
    expect(bySid(scp, "DenyBedrockKeysWithoutExpiry").Condition).toEqual({
      StringEquals: { "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com" },
      Null: { "iam:ServiceSpecificCredentialAgeDays": "true" },
    });
    expect(bySid(scp, "DenyBedrockKeysOverMaxAge").Condition?.NumericGreaterThan).toEqual({ "iam:ServiceSpecificCredentialAgeDays": "90" });
    expect(bySid(scp, "DenyBedrockKeysOutsideConsole").Condition?.ArnNotLike).toEqual({ "aws:PrincipalArn": ["arn:aws:iam::123456789012:role/BedrockKeyConsole"] });
    // Both endpoints (issue 19): the runtime's and bedrock-mantle's bearer-token action.
    expect(bySid(scp, "DenyBearerTokenCallsOutsideRegions")).toMatchObject({
      Action: ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"],
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } },
    });
    expect(scp.statements.every((s) => s.statement.Effect === "Deny")).toBe(true);
    expect(isDeliverable(scp)).toBe(true);
    expect(scp.size).toBe(scp.json.length);
    expect(JSON.parse(scp.pretty)).toEqual(JSON.parse(scp.json));
  });

  it("says what it leaves out: no maximum age, no known console principal", () => {
    const scp = buildScp({ ...INPUTS, maxKeyAgeDays: null, consolePrincipalArns: [] });
    expect(sids(scp)).toEqual(["DenyBearerTokenCallsOutsideRegions"]);
    expect(scp.notes.map((n) => n.key)).toEqual(["noMaxAge", "noConsolePrincipal"]);
  });

  it("short-term only: refuses creating long-term keys and using them on both endpoints", () => {
    const scp = buildScp(INPUTS, { ...DEFAULT_OPTIONS, denyLongTerm: true });
    expect(sids(scp)).toEqual(["DenyCreatingLongTermBedrockKeys", "DenyUsingLongTermBedrockKeys", "DenyUsingLongTermBedrockKeysOnMantle", "DenyBearerTokenCallsOutsideRegions"]);
    expect(bySid(scp, "DenyUsingLongTermBedrockKeys").Condition).toEqual({ StringEquals: { "bedrock:BearerTokenType": "LONG_TERM" } });
    expect(bySid(scp, "DenyUsingLongTermBedrockKeysOnMantle").Condition).toEqual({ StringEquals: { "bedrock-mantle:BearerTokenType": "LONG_TERM" } });
  });

  it("adds an admin's statements as written, and refuses broken ones with a clear issue", () => {
    const ok = buildScp(INPUTS, { ...DEFAULT_OPTIONS, customStatements: '{"Sid":"NoDeepSeek","Effect":"Deny","Action":"bedrock:*","Resource":"arn:aws:bedrock:*::foundation-model/deepseek.*"}' });
    expect(sids(ok).at(-1)).toBe("NoDeepSeek");
    expect(isDeliverable(ok)).toBe(true);

    const syntax = buildScp(INPUTS, { ...DEFAULT_OPTIONS, customStatements: '{"Effect":"Deny","Action":"s3:*",' });
    expect(syntax.issues.map((i) => i.code)).toEqual(["customJson"]);
    expect(isDeliverable(syntax)).toBe(false);

    const grammar = buildScp(INPUTS, {
      ...DEFAULT_OPTIONS,
      customStatements: JSON.stringify([
        { Sid: "bad-sid", Effect: "Permit", Action: "s3", Resource: "bucket", Principal: "*", Condition: { StringEqualz: { "aws:RequestedRegion": "x" } } },
        { Sid: "DenyBedrockKeysOverMaxAge", Effect: "Deny", Action: "s3:*", NotAction: "s3:Get*", Resource: "*" },
      ]),
    });
    expect(grammar.issues.map((i) => i.code).sort()).toEqual(["action", "actionElement", "duplicateSid", "effect", "operator", "principal", "resource", "sid"].sort());
  });

  it("refuses an SCP over AWS's 5,120 characters", () => {
    const many = JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ Sid: `Extra${i}`, Effect: "Deny", Action: `bedrock:Action${i}`, Resource: "*" })));
    const scp = buildScp(INPUTS, { ...DEFAULT_OPTIONS, customStatements: many });
    expect(scp.size).toBeGreaterThan(SCP_SIZE_LIMIT);
    expect(scp.issues).toContainEqual({ code: "tooLarge", values: { size: scp.size, limit: SCP_SIZE_LIMIT } });
  });
});

describe("hand-out", () => {
  it("downloads pretty JSON while it fits AWS's 5,120 characters, else the compact JSON that was measured", () => {
    const small = buildScp(INPUTS);
    expect(exportText(small, "json").text).toBe(`${small.pretty}\n`);
    const extra = JSON.stringify(Array.from({ length: 38 }, (_, i) => ({ Sid: `Extra${i}`, Effect: "Deny", Action: `bedrock:Action${i}`, Resource: "*" })));
    const big = buildScp(INPUTS, { ...DEFAULT_OPTIONS, customStatements: extra });
    expect(big.pretty.length).toBeGreaterThan(SCP_SIZE_LIMIT);
    expect(big.size).toBeLessThanOrEqual(SCP_SIZE_LIMIT);
    expect(exportText(big, "json").text).toBe(`${big.json}\n`);
  });
});

describe("the permissions boundary", () => {
  it("allows only key use and the allowed models, in the allowed regions, on both endpoints", () => {
    const b = buildBoundary({ ...INPUTS, allowedModels: ["anthropic.claude-3-5-haiku-20241022-v1:0"] });
    expect(sids(b)).toEqual(["UseBedrockApiKeys", "InvokeAllowedModels", "InvokeAllowedModelsOnMantle"]);
    expect(b.statements.every((s) => s.statement.Effect === "Allow")).toBe(true);
    const invoke = b.statements[1]!.statement;
    expect(invoke.Resource).toEqual(["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"]);
    expect(invoke.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } });
    expect(b.statements[2]!.statement.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"], "bedrock-mantle:Model": ["anthropic.claude-3-5-haiku-20241022-v1:0"] },
    });
    // No iam:, sts: or other service: a key user given an access key cannot reach further.
    const actions = b.statements.flatMap((s) => [s.statement.Action ?? []].flat());
    expect(actions.every((a) => a.startsWith("bedrock:") || a.startsWith("bedrock-mantle:"))).toBe(true);
    expect(isDeliverable(b)).toBe(true);
  });

  it("allows any model when the policy restricts none", () => {
    const b = buildBoundary(INPUTS);
    expect(b.statements[1]!.statement.Resource).toBe("*");
    expect(b.statements[1]!.explain).toBe("boundaryAnyModel");
  });
});

describe("validatePolicy", () => {
  const opts = { kind: "scp" as const, limit: 5120, size: 10 };
  it("accepts a well-formed policy and refuses what IAM's grammar refuses", () => {
    expect(validatePolicy({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["a*"] } } }] }, opts)).toEqual([]);
    expect(validatePolicy({ Version: "2008-10-17", Statement: [] }, opts).map((i) => i.code)).toEqual(["version", "noStatement"]);
    expect(validatePolicy({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:*" }] }, opts).map((i) => i.code)).toEqual(["resourceElement"]);
    expect(validatePolicy({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { Null: { "aws:x": "maybe" } } }] }, opts).map((i) => i.code)).toEqual(["nullValue"]);
    expect(validatePolicy({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:*", Resource: "*", Extra: 1 }] }, opts)).toEqual([{ code: "unknownElement", values: { n: 1, element: "Extra" } }]);
  });
});

describe("Terraform", () => {
  it("writes aws_organizations_policy with jsonencode, escaping HCL interpolation", () => {
    const scp = buildScp(INPUTS, { ...DEFAULT_OPTIONS, customStatements: '{"Sid":"OwnOnly","Effect":"Deny","Action":"iam:DeleteUser","NotResource":"arn:aws:iam::*:user/${aws:username}"}' });
    const tf = toTerraform(scp, "Guardrails");
    expect(tf).toContain('resource "aws_organizations_policy" "bedrock_key_guardrails" {');
    expect(tf).toContain('type        = "SERVICE_CONTROL_POLICY"');
    expect(tf).toContain("content = jsonencode({");
    expect(tf).toContain('"iam:ServiceSpecificCredentialAgeDays" = "true"');
    expect(tf).toContain('"arn:aws:iam::*:user/$${aws:username}"');
    expect(tf).not.toMatch(/[^$]\$\{aws/);
  });

  it("writes the boundary as aws_iam_policy", () => {
    const tf = toTerraform(buildBoundary(INPUTS), "Boundary");
    expect(tf).toContain('resource "aws_iam_policy" "bedrock_key_user_boundary" {');
    expect(tf).toContain("policy = jsonencode({");
  });
});

describe("explanations", () => {
  it("every statement, note and issue the generator can produce is explained in all four languages", () => {
    const scps = [buildScp(INPUTS), buildScp(INPUTS, { denyLongTerm: true, customStatements: "[1]" }), buildScp({ ...INPUTS, maxKeyAgeDays: null, consolePrincipalArns: [], regions: [] }, { denyLongTerm: false, customStatements: "x" })];
    const boundaries = [buildBoundary(INPUTS), buildBoundary({ ...INPUTS, allowedModels: ["anthropic.claude-3-5-haiku-20241022-v1:0"] }), buildBoundary({ ...INPUTS, allowedModels: ["no-such-model"] })];
    const all = [...scps, ...boundaries];
    const explains = new Set(all.flatMap((p) => p.statements.map((s) => s.explain)));
    const notes = new Set(all.flatMap((p) => p.notes.map((n) => n.key)));
    const issues = new Set(all.flatMap((p) => p.issues.map((i) => i.code)));
    expect(explains.size).toBeGreaterThan(8);
    expect(notes).toEqual(new Set(["noMaxAge", "noConsolePrincipal", "nothingToDeny", "boundaryAttach", "unknownModels"]));
    for (const catalog of [en, ja, ko, zh]) {
      const g = catalog.guardrails as unknown as Record<string, Record<string, string>>;
      for (const e of explains) expect(g.explain![e], e).toBeTruthy();
      for (const n of notes) expect(g.notes![n], n).toBeTruthy();
      for (const i of issues) expect(g.issues![i], i).toBeTruthy();
    }
  });
});
