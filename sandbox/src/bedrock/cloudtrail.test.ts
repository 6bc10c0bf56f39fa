import { getToken } from "@aws/bedrock-token-generator";
import { ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { UpdateServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GEOGRAPHY_REGIONS } from "./models.js";
import {
  conversePath,
  createKeyUser,
  createSigningUser,
  type Harness,
  HAIKU,
  HELLO,
  post,
  runtimeClient,
  startHarness,
  trailRecords,
  US_HAIKU,
} from "./testing.js";

const BOTO = "Boto3/1.39.16 md/Botocore#1.39.16 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.39.16";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const byRequest = async (requestId: string | null, eventName = "Converse", region = "us-east-1") =>
  (await trailRecords(h, eventName, region)).find((r) => r.requestID === requestId);

describe("CloudTrail records of Bedrock runtime calls", () => {
  it("a long-term key call through a us. profile looks like the seed's record", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-ct01");
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), apiKey, HELLO, { "user-agent": BOTO, "x-forwarded-for": "198.51.100.23" });
    expect(r.status).toBe(200);
    const rec = await byRequest(r.headers.get("x-amzn-requestid"));
    expect(rec).toBeDefined();
    const user = h.sandbox.state.users.get("bedrockapikey-ct01")!;
    expect(rec).toMatchObject({
      eventVersion: "1.11",
      userIdentity: { type: "IAMUser", principalId: user.userId, arn: "arn:aws:iam::123456789012:user/BedrockAPIKey-ct01", accountId: "123456789012", userName: "BedrockAPIKey-ct01" },
      eventSource: "bedrock.amazonaws.com",
      eventName: "Converse",
      awsRegion: "us-east-1",
      sourceIPAddress: "198.51.100.23",
      userAgent: BOTO,
      requestParameters: { modelId: US_HAIKU },
      responseElements: null,
      additionalEventData: { callWithBearerToken: true, inferenceRegion: expect.any(String) },
      readOnly: true,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "123456789012",
      eventCategory: "Management",
      tlsDetails: { clientProvidedHostHeader: "bedrock-runtime.us-east-1.amazonaws.com" },
    });
    expect(rec!.userIdentity).not.toHaveProperty("accessKeyId");
    expect(GEOGRAPHY_REGIONS.us).toContain(rec!.additionalEventData?.inferenceRegion);
    expect(rec!.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec!.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rec).not.toHaveProperty("errorCode");
  });

  it("a foundation-model call runs in the endpoint's region; regions are kept apart", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-ct02");
    const r = await post(h.sandbox.url, conversePath(HAIKU, "us-west-2"), apiKey);
    const rec = await byRequest(r.headers.get("x-amzn-requestid"), "Converse", "us-west-2");
    expect(rec).toMatchObject({ awsRegion: "us-west-2", additionalEventData: { callWithBearerToken: true, inferenceRegion: "us-west-2" } });
    expect(await byRequest(r.headers.get("x-amzn-requestid"), "Converse", "us-east-1")).toBeUndefined();
  });

  it("failures carry errorCode and errorMessage and no inferenceRegion", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-ct03");
    const bad = await post(h.sandbox.url, conversePath("anthropic.claude-9-v1:0"), apiKey);
    const rec = await byRequest(bad.headers.get("x-amzn-requestid"));
    expect(rec).toMatchObject({ errorCode: "ValidationException", errorMessage: "The provided model identifier is invalid.", additionalEventData: { callWithBearerToken: true } });
    expect(rec!.additionalEventData).not.toHaveProperty("inferenceRegion");
    // A disabled key is genuine: the attempt is attributed to its user.
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Inactive" }));
    const off = await post(h.sandbox.url, conversePath(US_HAIKU), apiKey);
    expect(await byRequest(off.headers.get("x-amzn-requestid"))).toMatchObject({
      userIdentity: { type: "IAMUser", userName },
      errorCode: "AccessDeniedException",
      errorMessage: "Authentication failed: Please make sure your API Key is valid.",
    });
  });

  it("calls with unknown keys are not recorded", async () => {
    const before = h.sandbox.state.events.counts();
    const forged = "ABSK" + Buffer.from("BedrockAPIKey-none-at-123456789012:" + "y".repeat(32)).toString("base64");
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), forged);
    expect(r.status).toBe(403);
    expect(await byRequest(r.headers.get("x-amzn-requestid"))).toBeUndefined();
    expect(h.sandbox.state.events.counts()).toEqual(before);
  });

  it("a user-signed short-term key shows the user with the token's session attributes", async () => {
    const creds = await createSigningUser(h.iam, "cold-airflow");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), token);
    const rec = await byRequest(r.headers.get("x-amzn-requestid"));
    expect(rec?.userIdentity).toMatchObject({
      type: "IAMUser",
      arn: "arn:aws:iam::123456789012:user/cold-airflow",
      userName: "cold-airflow",
      accessKeyId: creds.accessKeyId,
      sessionContext: { attributes: { creationDate: expect.stringMatching(/Z$/), mfaAuthenticated: "false" } },
    });
  });

  it("streaming calls are recorded under their own event names and found by LookupEvents filters", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-ct04");
    const client = runtimeClient(h.sandbox.url, apiKey);
    const out = await client.send(new ConverseStreamCommand({ modelId: US_HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    for await (const _ of out.stream!) void _;
    client.destroy();
    const recs = await trailRecords(h, "ConverseStream");
    expect(recs.find((r) => r.requestID === out.$metadata.requestId)).toMatchObject({ eventName: "ConverseStream", userIdentity: { userName: "BedrockAPIKey-ct04" } });
    const byUser = await h.cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "BedrockAPIKey-ct04" }] }));
    expect(byUser.Events?.map((e) => e.EventName)).toContain("ConverseStream");
    expect(byUser.Events?.[0]?.EventSource).toBe("bedrock.amazonaws.com");
  });
});
