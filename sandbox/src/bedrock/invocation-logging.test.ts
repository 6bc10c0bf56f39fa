import {
  BedrockClient,
  DeleteModelInvocationLoggingConfigurationCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  PutModelInvocationLoggingConfigurationCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, control } from "../testing/clients.js";
import { INVOCATION_LOG_STREAM, setInvocationLogDelay } from "./invocation-log.js";
import { ADMIN, assumeAs, createKeyUser, createSignerRole, createSigningUser, type Harness, HELLO, runtimeClient, startHarness, trailRecords } from "./testing.js";

let h: Harness;
let bedrock: BedrockClient;
let logs: CloudWatchLogsClient;
const clients: { destroy(): void }[] = [];

const bedrockFor = (creds = ADMIN, region = "us-east-1") => {
  const c = new BedrockClient({ region, endpoint: h.sandbox.url, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const logsFor = (creds = ADMIN, region = "us-east-1") => {
  const c = new CloudWatchLogsClient({ region, endpoint: h.sandbox.url, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};

const TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole" }] };
let roleArn: string;

beforeAll(async () => {
  h = await startHarness();
  // FilterLogEvents' 5/s quota is tested in sandbox/src/logs/logs.test.ts; off here.
  await control(h.sandbox.url, "POST", "logs/throttle", { enabled: false });
  bedrock = bedrockFor();
  logs = logsFor();
  const role = await h.iam.send(new CreateRoleCommand({ RoleName: "BedrockLogging", AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
  roleArn = role.Role!.Arn!;
  await logs.send(new CreateLogGroupCommand({ logGroupName: "/bedrock/invocations" }));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await h.close();
});

describe("Bedrock control plane: models and inference profiles", () => {
  it("lists the region's foundation models in AWS's shape, with filters", async () => {
    const all = await bedrock.send(new ListFoundationModelsCommand({}));
    const sonnet45 = all.modelSummaries!.find((m) => m.modelId === "anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(sonnet45).toEqual({
      modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
      modelName: "Claude Sonnet 4.5",
      providerName: "Anthropic",
      inputModalities: ["TEXT", "IMAGE"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ["INFERENCE_PROFILE"],
      modelLifecycle: { status: "ACTIVE" },
    });
    expect(all.modelSummaries!.find((m) => m.modelId === "anthropic.claude-3-5-sonnet-20240620-v1:0")?.modelLifecycle?.status).toBe("LEGACY");
    expect(all.modelSummaries!.some((m) => m.modelId === "anthropic.claude-v2")).toBe(false); // end of life

    const anthropic = await bedrock.send(new ListFoundationModelsCommand({ byProvider: "anthropic" }));
    expect(anthropic.modelSummaries!.length).toBeGreaterThan(5);
    expect(anthropic.modelSummaries!.every((m) => m.providerName === "Anthropic")).toBe(true);
    const embeddings = await bedrock.send(new ListFoundationModelsCommand({ byOutputModality: "EMBEDDING" }));
    expect(embeddings.modelSummaries!.map((m) => m.modelId)).toContain("amazon.titan-embed-text-v2:0");
    expect(embeddings.modelSummaries!.every((m) => m.outputModalities!.includes("EMBEDDING"))).toBe(true);
    const onDemand = await bedrock.send(new ListFoundationModelsCommand({ byInferenceType: "ON_DEMAND" }));
    expect(onDemand.modelSummaries!.some((m) => m.modelId === "anthropic.claude-sonnet-4-5-20250929-v1:0")).toBe(false);
    expect(onDemand.modelSummaries!.some((m) => m.modelId === "amazon.nova-micro-v1:0")).toBe(true);
    const tunable = await bedrock.send(new ListFoundationModelsCommand({ byCustomizationType: "FINE_TUNING" }));
    expect(tunable.modelSummaries!.map((m) => m.modelId)).toContain("amazon.nova-micro-v1:0");

    const one = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: "amazon.nova-pro-v1:0" }));
    expect(one.modelDetails).toMatchObject({ modelId: "amazon.nova-pro-v1:0", providerName: "Amazon", modelLifecycle: { status: "ACTIVE" } });
    expect((await awsError(bedrock.send(new GetFoundationModelCommand({ modelIdentifier: "openai.gpt-9" })))).name).toBe("ResourceNotFoundException");
  });

  it("lists system-defined profiles per region, global ones included, with paging", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await bedrock.send(new ListInferenceProfilesCommand({ maxResults: 7, typeEquals: "SYSTEM_DEFINED", ...(nextToken ? { nextToken } : {}) }));
      expect(page.inferenceProfileSummaries!.length).toBeLessThanOrEqual(7);
      seen.push(...page.inferenceProfileSummaries!.map((p) => p.inferenceProfileId!));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    const all = await bedrock.send(new ListInferenceProfilesCommand({}));
    expect(seen).toEqual(all.inferenceProfileSummaries!.map((p) => p.inferenceProfileId));
    expect(pages).toBe(Math.ceil(seen.length / 7));
    expect(seen).toContain("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(seen).toContain("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(seen.some((id) => id.startsWith("eu."))).toBe(false);

    const global = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "global.anthropic.claude-haiku-4-5-20251001-v1:0" }));
    expect(global).toMatchObject({
      inferenceProfileArn: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0",
      inferenceProfileId: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
      status: "ACTIVE",
      type: "SYSTEM_DEFINED",
    });
    expect(global.models!.map((m) => m.modelArn)).toContain("arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0");
    expect((await bedrock.send(new ListInferenceProfilesCommand({ typeEquals: "APPLICATION" }))).inferenceProfileSummaries).toEqual([]);

    // Addressed with a /bedrock/<region> path prefix, as an endpoint URL can carry it.
    const prefixed = new BedrockClient({ region: "eu-west-1", endpoint: `${h.sandbox.url}/bedrock/eu-west-1`, credentials: ADMIN, maxAttempts: 1 });
    clients.push(prefixed);
    const eu = await prefixed.send(new ListInferenceProfilesCommand({}));
    expect(eu.inferenceProfileSummaries!.some((p) => p.inferenceProfileId === "eu.amazon.nova-pro-v1:0")).toBe(true);
    expect(eu.inferenceProfileSummaries!.some((p) => p.inferenceProfileId!.startsWith("us."))).toBe(false);
  });

  it("a global profile is callable at the runtime and routes anywhere", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-glob");
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    const out = await rt.send(new ConverseCommand({ modelId: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    expect(out.usage!.inputTokens).toBeGreaterThan(0);
  });

  it("authorizes each action through IAM", async () => {
    const creds = await createSigningUser(h.iam, "cp-reader", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: ["bedrock:ListInferenceProfiles", "bedrock:GetModelInvocationLoggingConfiguration"], Resource: "*" }],
    });
    // AmazonBedrockLimitedAccess (attached by the helper) allows the listings; the deny wins.
    const reader = bedrockFor(creds);
    expect((await reader.send(new ListFoundationModelsCommand({}))).modelSummaries!.length).toBeGreaterThan(5);
    const denied = await awsError(reader.send(new ListInferenceProfilesCommand({})));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("bedrock:ListInferenceProfiles");
    expect(denied.message).toContain("explicit deny");
    const denied2 = await awsError(reader.send(new GetModelInvocationLoggingConfigurationCommand({})));
    expect(denied2.name).toBe("AccessDeniedException");
  });
});

describe("model invocation logging configuration", () => {
  it("round-trips and validates the destination", async () => {
    expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();
    const missingGroup = await awsError(bedrock.send(new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: "/nope", roleArn }, textDataDeliveryEnabled: false },
    })));
    expect(missingGroup).toMatchObject({ name: "ValidationException", message: expect.stringContaining("/nope") });
    const untrusted = await h.iam.send(new CreateRoleCommand({
      RoleName: "NotBedrock",
      AssumeRolePolicyDocument: JSON.stringify({ ...TRUST, Statement: [{ ...TRUST.Statement[0], Principal: { Service: "ec2.amazonaws.com" } }] }),
    }));
    const badRole = await awsError(bedrock.send(new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn: untrusted.Role!.Arn! } },
    })));
    expect(badRole.name).toBe("ValidationException");
    const noRole = await awsError(bedrock.send(new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn: "arn:aws:iam::123456789012:role/Ghost" } },
    })));
    expect(noRole.name).toBe("ValidationException");
    expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();

    await bedrock.send(new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn }, textDataDeliveryEnabled: false, imageDataDeliveryEnabled: false, embeddingDataDeliveryEnabled: false },
    }));
    expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toEqual({
      cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn },
      textDataDeliveryEnabled: false,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
    });
    // Another region has its own (empty) configuration.
    expect((await bedrockFor(ADMIN, "us-west-2").send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();
    const put = (await trailRecords(h, "PutModelInvocationLoggingConfiguration")).filter((r) => !r.errorCode);
    expect(put.length).toBe(1);
    expect(put[0]).toMatchObject({ eventSource: "bedrock.amazonaws.com", readOnly: false, requestParameters: { loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn } } } });
  });
});

interface LogRecord {
  schemaType: string;
  schemaVersion: string;
  timestamp: string;
  accountId: string;
  identity: { arn: string };
  region: string;
  requestId: string;
  operation: string;
  modelId: string;
  inferenceRegion?: string;
  input: { inputTokenCount: number; cacheReadInputTokenCount?: number; cacheWriteInputTokenCount?: number; inputBodyJson?: unknown };
  output: { outputTokenCount: number; outputBodyJson?: unknown };
}

async function records(): Promise<LogRecord[]> {
  const out = await logs.send(new FilterLogEventsCommand({ logGroupName: "/bedrock/invocations", logStreamNames: [INVOCATION_LOG_STREAM] }));
  return out.events!.map((e) => JSON.parse(e.message!) as LogRecord);
}

describe("invocation-log records", () => {
  it("a Converse call writes exactly one metadata-only record matching the response and CloudTrail", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-log1");
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    const before = (await records()).length;
    const res = await rt.send(new ConverseCommand({ modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", messages: [{ role: "user", content: [{ text: "Write a haiku about quotas and logs." }] }] }));
    const after = await records();
    expect(after.length).toBe(before + 1);
    const rec = after.at(-1)!;
    const requestId = res.$metadata.requestId!;
    const trail = (await trailRecords(h, "Converse")).find((r) => r.requestID === requestId)!;
    expect(trail).toBeDefined();
    expect(rec).toEqual({
      schemaType: "ModelInvocationLog",
      schemaVersion: "1.0",
      timestamp: trail.eventTime, // the same instant as CloudTrail's eventTime
      accountId: "123456789012",
      identity: { arn: trail.userIdentity.arn },
      region: "us-east-1",
      requestId: trail.requestID,
      operation: "Converse",
      modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      input: { inputContentType: "application/json", inputTokenCount: res.usage!.inputTokens, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
      output: { outputContentType: "application/json", outputTokenCount: res.usage!.outputTokens },
      inferenceRegion: (trail as unknown as { additionalEventData: { inferenceRegion: string } }).additionalEventData.inferenceRegion,
    });
    expect(rec.identity.arn).toBe("arn:aws:iam::123456789012:user/BedrockAPIKey-log1");
    expect(JSON.stringify(rec)).not.toContain("haiku about quotas");
  });

  it("with a delivery delay, the record reaches the group that long after the call, with the call's timestamp", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-late1");
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    setInvocationLogDelay(h.sandbox.state, 0.6);
    try {
      const before = (await records()).length;
      const called = Date.now();
      const res = await rt.send(new ConverseCommand({ modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", messages: [{ role: "user", content: [{ text: "Late, as logs are." }] }] }));
      // Answered at once; the record is not in the group yet.
      expect((await records()).length).toBe(before);
      await new Promise((r) => setTimeout(r, 900));
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: "/bedrock/invocations" }));
      const event = out.events!.find((e) => (JSON.parse(e.message!) as { requestId: string }).requestId === res.$metadata.requestId)!;
      expect(event).toBeDefined();
      expect((await records()).length).toBe(before + 1);
      // The event keeps the call's time; it was ingested about the delay later.
      expect(Math.abs(event.timestamp! - called)).toBeLessThan(500);
      expect(event.ingestionTime! - event.timestamp!).toBeGreaterThanOrEqual(550);
    } finally {
      setInvocationLogDelay(h.sandbox.state, 0);
    }
  });

  it("with text delivery on, the bodies are included; failed calls write nothing", async () => {
    await bedrock.send(new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn }, textDataDeliveryEnabled: true },
    }));
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-log2");
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    const before = (await records()).length;
    const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: "Tell me about token buckets" }] };
    const res = await rt.send(new InvokeModelCommand({ modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", body: JSON.stringify(body), contentType: "application/json" }));
    const reply = JSON.parse(new TextDecoder().decode(res.body)) as { usage: { input_tokens: number; output_tokens: number } };
    await awsError(rt.send(new ConverseCommand({ modelId: "openai.gpt-9", messages: [{ role: "user", content: [{ text: "x" }] }] })));
    const after = await records();
    expect(after.length).toBe(before + 1);
    const rec = after.at(-1)!;
    expect(rec.operation).toBe("InvokeModel");
    expect(rec.input.inputBodyJson).toEqual(body);
    expect(rec.output.outputBodyJson).toEqual(reply);
    expect(rec.input.inputTokenCount).toBe(reply.usage.input_tokens);
    expect(rec.output.outputTokenCount).toBe(reply.usage.output_tokens);
    expect(rec.requestId).toBe(res.$metadata.requestId);
  });

  it("logging off, or a vanished log group, writes nothing", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-log3");
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    await bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    const before = (await records()).length;
    await rt.send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: HELLO.messages as never }));
    expect((await records()).length).toBe(before);
    expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();
    // The control route turns logging on the way an administrator would, then the group disappears.
    await control(h.sandbox.url, "POST", "bedrock/logging", { logGroupName: "/bedrock/gone" });
    await rt.send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: HELLO.messages as never }));
    const gone = await logs.send(new FilterLogEventsCommand({ logGroupName: "/bedrock/gone" }));
    expect(gone.events!.length).toBe(1);
    await control(h.sandbox.url, "DELETE", "logs/groups?name=/bedrock/gone");
    await rt.send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: HELLO.messages as never }));
    expect((await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: "/bedrock/gone" })))).name).toBe("ResourceNotFoundException");
  });

  it("the OpenAI-compatible runtime route is logged with the same ids", async () => {
    await control(h.sandbox.url, "POST", "bedrock/logging", { logGroupName: "/bedrock/invocations" });
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-log4");
    const r = await fetch(`${h.sandbox.url}/bedrock-runtime/us-east-1/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: "Hello" }] }),
    });
    const reply = (await r.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    expect(r.status).toBe(200);
    const rec = (await records()).at(-1)!;
    expect(rec).toMatchObject({ operation: "CreateChatCompletion", modelId: "amazon.nova-lite-v1:0", requestId: r.headers.get("x-amzn-requestid") });
    expect(rec.input.inputTokenCount).toBe(reply.usage.prompt_tokens);
    expect(rec.output.outputTokenCount).toBe(reply.usage.completion_tokens);
  });
});

describe("invocation-log records: other callers and doors", () => {
  it("a ConverseStream by a role session (SigV4) carries the session ARN and the streamed usage", async () => {
    await control(h.sandbox.url, "POST", "bedrock/logging", { logGroupName: "/bedrock/invocations" });
    const roleArn2 = await createSignerRole(h.iam, "LogSigner");
    const creds = await assumeAs(h.sts, roleArn2, "erin");
    const rt = new BedrockRuntimeClient({ region: "us-east-1", endpoint: h.sandbox.url, credentials: creds, maxAttempts: 1 });
    clients.push(rt);
    const res = await rt.send(new ConverseStreamCommand({ modelId: "us.amazon.nova-pro-v1:0", messages: [{ role: "user", content: [{ text: "Stream me a short story" }] }] }));
    let usage: { inputTokens?: number; outputTokens?: number } | undefined;
    for await (const ev of res.stream!) if (ev.metadata) usage = ev.metadata.usage;
    const rec = (await records()).at(-1)!;
    const trail = (await trailRecords(h, "ConverseStream")).find((r) => r.requestID === res.$metadata.requestId)!;
    expect(rec).toMatchObject({ operation: "ConverseStream", requestId: trail.requestID, identity: { arn: trail.userIdentity.arn }, modelId: "us.amazon.nova-pro-v1:0" });
    expect(rec.identity.arn).toBe("arn:aws:sts::123456789012:assumed-role/LogSigner/erin");
    expect(rec.input.inputTokenCount).toBe(usage!.inputTokens);
    expect(rec.output.outputTokenCount).toBe(usage!.outputTokens);
    expect(rec.input).not.toHaveProperty("cacheReadInputTokenCount"); // Nova reports no cache counters here
  });

  it("bedrock-mantle calls are not logged (AWS: bedrock-runtime endpoint only)", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-log5");
    const before = (await records()).length;
    const r = await fetch(`${h.sandbox.url}/bedrock-mantle/us-east-1/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: "Hello" }] }),
    });
    expect(r.status).toBe(200);
    expect((await records()).length).toBe(before);
  });
});

describe("per account", () => {
  it("a member account has its own logs, profiles and logging configuration", async () => {
    const made = (await control(h.sandbox.url, "POST", "accounts", { id: "222233334444", name: "Staging" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
    const admin = { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey };
    const memberBedrock = bedrockFor(admin);
    const memberLogs = logsFor(admin);
    const profile = await memberBedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "us.amazon.nova-pro-v1:0" }));
    expect(profile.inferenceProfileArn).toBe("arn:aws:bedrock:us-east-1:222233334444:inference-profile/us.amazon.nova-pro-v1:0");
    // The management account's group and configuration are not the member's.
    expect((await awsError(memberLogs.send(new FilterLogEventsCommand({ logGroupName: "/bedrock/invocations" })))).name).toBe("ResourceNotFoundException");
    expect((await memberBedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toBeUndefined();
    await control(h.sandbox.url, "POST", "bedrock/logging?account=222233334444", { logGroupName: "/staging/invocations" });
    const memberIam = new IAMClient({ region: "us-east-1", endpoint: h.sandbox.url, credentials: admin, maxAttempts: 1 });
    clients.push(memberIam);
    const { apiKey } = await createKeyUser(memberIam, "BedrockAPIKey-stg1");
    const mgmtBefore = (await records()).length;
    const rt = runtimeClient(h.sandbox.url, apiKey);
    clients.push(rt);
    const res = await rt.send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: HELLO.messages as never }));
    const out = await memberLogs.send(new FilterLogEventsCommand({ logGroupName: "/staging/invocations" }));
    expect(out.events!.length).toBe(1);
    const rec = JSON.parse(out.events![0]!.message!) as LogRecord;
    expect(rec).toMatchObject({ accountId: "222233334444", identity: { arn: "arn:aws:iam::222233334444:user/BedrockAPIKey-stg1" }, requestId: res.$metadata.requestId });
    expect((await records()).length).toBe(mgmtBefore);
  });
});

describe("IAM for the control plane's logging calls", () => {
  it("Put needs iam:PassRole on the role", async () => {
    const creds = await createSigningUser(h.iam, "cp-logger", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "bedrock:PutModelInvocationLoggingConfiguration", Resource: "*" }],
    });
    const c = bedrockFor(creds);
    const put = () => c.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: { cloudWatchConfig: { logGroupName: "/bedrock/invocations", roleArn } } }));
    expect((await awsError(put())).message).toContain("iam:PassRole");
    await h.iam.send(new PutUserPolicyCommand({
      UserName: "cp-logger",
      PolicyName: "pass",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: roleArn }] }),
    }));
    await expect(put()).resolves.toBeDefined();
  });
});
