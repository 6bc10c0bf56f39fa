import { describe, expect, it } from "vitest";
import { normalizeRecord, subjectKind, subjectName } from "./normalize";

// Records shaped as in bedrock-reference.md (seed 002) and as the sandbox writes them.
const longTerm = {
  eventVersion: "1.11",
  userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLE", arn: "arn:aws:iam::012345678912:user/BedrockAPIKey-n158", accountId: "012345678912", userName: "BedrockAPIKey-n158" },
  eventTime: "2025-07-30T06:18:22Z",
  eventSource: "bedrock.amazonaws.com",
  eventName: "Converse",
  awsRegion: "us-east-1",
  sourceIPAddress: "198.51.100.7",
  userAgent: "Boto3/1.39.16 md/Botocore#1.39.16",
  requestParameters: { modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0" },
  responseElements: null,
  additionalEventData: { callWithBearerToken: true, inferenceRegion: "us-west-2" },
  requestID: "req-1",
  eventID: "5b6a2e4c-0000-4000-8000-000000000001",
  readOnly: true,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "012345678912",
  eventCategory: "Management",
};

const shortTerm = {
  ...longTerm,
  eventID: "5b6a2e4c-0000-4000-8000-000000000002",
  eventName: "InvokeModelWithResponseStream",
  userIdentity: {
    type: "AssumedRole",
    principalId: "AROAEXAMPLE:dana@example.com",
    arn: "arn:aws:sts::012345678912:assumed-role/BedrockKeyConsoleShortTerm/dana@example.com",
    accountId: "012345678912",
    accessKeyId: "ASIAEXAMPLE12345",
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: "AROAEXAMPLE", arn: "arn:aws:iam::012345678912:role/BedrockKeyConsoleShortTerm", accountId: "012345678912", userName: "BedrockKeyConsoleShortTerm" },
      sourceIdentity: "dana@example.com",
      attributes: { creationDate: "2025-07-30T06:00:00Z", mfaAuthenticated: "false" },
    },
  },
};

function without<T extends object>(o: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...o };
  delete copy[key];
  return copy;
}

describe("normalizeRecord", () => {
  it("maps a long-term key's call to its IAM user", () => {
    expect(normalizeRecord(longTerm, "us-east-1")).toEqual({
      eventId: longTerm.eventID,
      eventTime: new Date("2025-07-30T06:18:22Z"),
      day: "2025-07-30",
      region: "us-east-1",
      inferenceRegion: "us-west-2",
      eventName: "Converse",
      modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      identityType: "long-term",
      principalArn: "arn:aws:iam::012345678912:user/BedrockAPIKey-n158",
      principalName: "BedrockAPIKey-n158",
      sourceIdentity: null,
      accessKeyId: null,
      subject: "key:BedrockAPIKey-n158",
      sourceIp: "198.51.100.7",
      userAgent: "Boto3/1.39.16 md/Botocore#1.39.16",
      errorCode: null,
      errorMessage: null,
      result: "success",
      keyRefused: false,
      api: "converse",
      endpoint: "runtime",
      project: "",
    });
  });

  it("maps a short-term key's call to the person (source identity) behind the role session", () => {
    expect(normalizeRecord(shortTerm, "us-east-1")).toMatchObject({
      identityType: "short-term",
      principalName: "dana@example.com",
      sourceIdentity: "dana@example.com",
      accessKeyId: "ASIAEXAMPLE12345",
      subject: "identity:dana@example.com",
      eventName: "InvokeModelWithResponseStream",
    });
  });

  it("names sessions without a source identity, user-signed tokens and others apart", () => {
    const ctx = shortTerm.userIdentity.sessionContext;
    const noSource = { ...shortTerm, userIdentity: { ...shortTerm.userIdentity, sessionContext: { ...ctx, sourceIdentity: undefined } } };
    expect(normalizeRecord(noSource, "us-east-1")?.subject).toBe("session:BedrockKeyConsoleShortTerm/dana@example.com");
    const userSigned = { ...longTerm, userIdentity: { ...longTerm.userIdentity, accessKeyId: "AKIAEXAMPLE", sessionContext: { attributes: { creationDate: "2025-07-30T06:00:00Z" } } } };
    expect(normalizeRecord(userSigned, "us-east-1")).toMatchObject({ identityType: "short-term", subject: "user:BedrockAPIKey-n158" });
    const root = { ...longTerm, userIdentity: { type: "Root", arn: "arn:aws:iam::012345678912:root", accessKeyId: "AKIAROOT" } };
    expect(normalizeRecord(root, "us-east-1")?.subject).toBe("principal:arn:aws:iam::012345678912:root");
  });

  it("keeps failed calls, and marks a disabled or expired key's refusals", () => {
    const refused = { ...longTerm, errorCode: "AccessDeniedException", errorMessage: "Authentication failed: Please make sure your API Key is valid.", additionalEventData: { callWithBearerToken: true } };
    expect(normalizeRecord(refused, "us-east-1")).toMatchObject({ result: "error", errorCode: "AccessDeniedException", keyRefused: true, inferenceRegion: "" });
    const policy = { ...refused, errorMessage: "User: arn:aws:iam::012345678912:user/x is not authorized to perform: bedrock:InvokeModel" };
    expect(normalizeRecord(policy, "us-east-1")).toMatchObject({ result: "error", keyRefused: false });
    const expiredShortTerm = { ...shortTerm, errorCode: "AccessDeniedException", errorMessage: "Bearer Token has expired" };
    expect(normalizeRecord(expiredShortTerm, "us-east-1")).toMatchObject({ result: "error", keyRefused: false });
  });

  it("drops everything that is not a Bedrock runtime call made with an API key", () => {
    const sigv4 = without(longTerm, "additionalEventData");
    expect(normalizeRecord(sigv4, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, additionalEventData: { callWithBearerToken: "true" } }, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventName: "ListFoundationModels" }, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventSource: "iam.amazonaws.com", eventName: "CreateUser" }, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventTime: "yesterday" }, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventID: undefined }, "us-east-1")).toBeNull();
    expect(normalizeRecord(null, "us-east-1")).toBeNull();
  });

  it("falls back to the listed region and bounds long values", () => {
    const noRegion = without(longTerm, "awsRegion");
    expect(normalizeRecord({ ...noRegion, userAgent: "x".repeat(5000) }, "eu-central-1")).toMatchObject({ region: "eu-central-1", userAgent: "x".repeat(1000) });
  });
});

describe("subjects", () => {
  it("split into kind and name", () => {
    expect(subjectKind("key:BedrockAPIKey-1")).toBe("key");
    expect(subjectName("identity:a@b.c")).toBe("a@b.c");
    expect(subjectName("principal:arn:aws:iam::1:root")).toBe("arn:aws:iam::1:root");
    expect(subjectKind("weird")).toBe("principal");
  });
});

// issue 19: the OpenAI-compatible routes of bedrock-runtime and the bedrock-mantle endpoint, shaped
// as AWS's "Monitor bedrock-mantle API calls using CloudTrail" describes (and the sandbox writes).
describe("every door a key opens", () => {
  const mantle = (eventName: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...longTerm,
    eventID: `mantle-${eventName}-${Object.keys(params).join("-")}`,
    eventSource: "bedrock-mantle.amazonaws.com",
    eventName,
    additionalEventData: undefined,
    requestParameters: { callWithBearerToken: true, bearerTokenType: "ABSK", ...params },
    managementEvent: eventName !== "CreateInference",
    eventCategory: eventName === "CreateInference" ? "Data" : "Management",
    ...extra,
  });

  it("reads bedrock-runtime's Chat Completions and Responses as their own APIs", () => {
    for (const [eventName, api] of [["CreateChatCompletion", "chat_completions"], ["CreateResponse", "responses"], ["Converse", "converse"], ["InvokeModel", "invoke_model"]] as const) {
      const n = normalizeRecord({ ...longTerm, eventName, eventID: eventName }, "us-east-1");
      expect(n).toMatchObject({ api, endpoint: "runtime", project: "", modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", subject: "key:BedrockAPIKey-n158" });
    }
  });

  it("tells bedrock-mantle's Chat Completions, Responses and Messages apart by the parameters each records", () => {
    const chat = normalizeRecord(mantle("CreateInference", { model: "openai.gpt-oss-120b", stream: false, service_tier: null, metadata: null }), "us-east-1");
    const responses = normalizeRecord(mantle("CreateInference", { model: "openai.gpt-oss-120b", previousResponse: null, stream: true, service_tier: null, metadata: null }), "us-east-1");
    const messages = normalizeRecord(mantle("CreateInference", { model: "anthropic.claude-sonnet-4-5", stream: false, max_tokens: 256 }), "us-east-1");
    expect([chat?.api, responses?.api, messages?.api]).toEqual(["chat_completions", "responses", "messages"]);
    expect(messages).toMatchObject({ endpoint: "mantle", modelId: "anthropic.claude-sonnet-4-5", identityType: "long-term", subject: "key:BedrockAPIKey-n158" });
  });

  it("keeps model listings and unknown mantle events (as other), names the project, and ignores SigV4 calls", () => {
    expect(normalizeRecord(mantle("ListModels", {}), "us-east-1")).toMatchObject({ api: "models", modelId: "" });
    expect(normalizeRecord(mantle("GetModel", { model: "openai.gpt-oss-20b" }), "us-east-1")).toMatchObject({ api: "models", modelId: "openai.gpt-oss-20b" });
    expect(normalizeRecord(mantle("CreateEmbedding2027", { model: "x" }), "us-east-1")).toMatchObject({ api: "other", eventName: "CreateEmbedding2027" });
    const inProject = mantle("CreateInference", { model: "m" }, { resources: [{ type: "AWS::BedrockMantle::Project", ARN: "arn:aws:bedrock-mantle:us-east-1:012345678912:project/proj_abc123" }] });
    expect(normalizeRecord(inProject, "us-east-1")?.project).toBe("proj_abc123");
    const defaultProject = mantle("CreateInference", { model: "m" }, { resources: [{ type: "AWS::BedrockMantle::Project", ARN: "arn:aws:bedrock-mantle:us-east-1:012345678912:project/default" }] });
    expect(normalizeRecord(defaultProject, "us-east-1")?.project).toBe("");
    expect(normalizeRecord(mantle("CreateInference", { model: "m", callWithBearerToken: false }), "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventName: "CreateChatCompletion", additionalEventData: {} }, "us-east-1")).toBeNull();
    expect(normalizeRecord({ ...longTerm, eventSource: "s3.amazonaws.com" }, "us-east-1")).toBeNull();
  });

  it("attributes a short-term key at mantle to the person, like at the runtime", () => {
    const n = normalizeRecord(mantle("CreateInference", { model: "m", max_tokens: 5, bearerTokenType: "bedrock-api-key" }, { userIdentity: shortTerm.userIdentity }), "us-east-1");
    expect(n).toMatchObject({ identityType: "short-term", subject: "identity:dana@example.com", api: "messages" });
  });
});
