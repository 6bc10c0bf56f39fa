import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import {
  DeleteServiceSpecificCredentialCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "../clock.js";
import { GREETING_REPLY } from "./generate.js";
import { conversePath, createKeyUser, type Harness, HAIKU, HELLO, post, runtimeClient, startHarness, US_HAIKU } from "./testing.js";

const INVALID = "Authentication failed: Please make sure your API Key is valid.";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Converse through the real SDK; returns the output or the AWS error's name and message. */
async function converse(token: string, modelId = US_HAIKU, region = "us-east-1") {
  const client = runtimeClient(h.sandbox.url, token, region);
  try {
    const out = await client.send(new ConverseCommand({ modelId, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    return { ok: true as const, out };
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { ok: false as const, name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  } finally {
    client.destroy();
  }
}

describe("long-term keys (ABSK…)", () => {
  it("an active key gets a Converse answer shaped like Bedrock's", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt01");
    const r = await converse(apiKey);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.out.$metadata.httpStatusCode).toBe(200);
    expect(r.out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.out.output?.message?.role).toBe("assistant");
    expect(r.out.output?.message?.content?.[0]?.text).toBe(GREETING_REPLY);
    expect(r.out.stopReason).toBe("end_turn");
    expect(r.out.usage).toEqual({ inputTokens: 8, outputTokens: 21, totalTokens: 29, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(r.out.metrics?.latencyMs).toBeGreaterThan(0);
  });

  it("works over plain HTTP with the Bearer header, on the foundation model id too", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt02");
    const r = await post(h.sandbox.url, conversePath(HAIKU), apiKey);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect((r.json.output as { message: { content: { text: string }[] } }).message.content[0]!.text).toBe(GREETING_REPLY);
  });

  it("an inactive key fails with AWS's message, and works again when re-activated", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-lt03");
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Inactive" }));
    expect(await converse(apiKey)).toEqual({ ok: false, name: "AccessDeniedException", message: INVALID, status: 403 });
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Active" }));
    expect((await converse(apiKey)).ok).toBe(true);
  });

  it("a reset makes the old secret fail at once and the new one work", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-lt04");
    const reset = await h.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId }));
    const fresh = reset.ServiceSpecificCredential!.ServiceCredentialSecret!;
    expect(fresh).not.toBe(apiKey);
    expect(await converse(apiKey)).toMatchObject({ ok: false, message: INVALID });
    expect((await converse(fresh)).ok).toBe(true);
  });

  it("a deleted key fails", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-lt05");
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Inactive" }));
    await h.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId }));
    expect(await converse(apiKey)).toMatchObject({ ok: false, name: "AccessDeniedException", message: INVALID });
  });

  it("an unknown or malformed key fails with the same message", async () => {
    const forged = "ABSK" + Buffer.from("BedrockAPIKey-zzzz-at-123456789012:" + "x".repeat(32)).toString("base64");
    expect(await converse(forged)).toMatchObject({ ok: false, message: INVALID, status: 403 });
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), "not-a-key");
    expect(r.status).toBe(403);
    expect(r.headers.get("x-amzn-errortype")).toBe("AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    expect(r.json).toEqual({ message: INVALID });
  });

  it("a key past its expiration date fails once the clock moves past it", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt06", { credentialAgeDays: 1 });
    expect((await converse(apiKey)).ok).toBe(true);
    setClock(h.sandbox.state, { advanceSeconds: 2 * 86_400 });
    try {
      expect(await converse(apiKey)).toMatchObject({ ok: false, name: "AccessDeniedException", message: INVALID });
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("without Authorization the call is refused before anything else", async () => {
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), undefined);
    expect(r.status).toBe(403);
    expect(r.headers.get("x-amzn-errortype")).toMatch(/^MissingAuthenticationTokenException:/);
  });

  it("a model outside an inline allow-list gets the explicit deny message", async () => {
    const deny = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "bedrock:InvokeModel*",
          NotResource: ["arn:aws:bedrock:*::foundation-model/amazon.nova-*", "arn:aws:bedrock:*:123456789012:inference-profile/us.amazon.nova-*"],
        },
      ],
    };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt07", { inlinePolicy: deny });
    expect(await converse(apiKey)).toEqual({
      ok: false,
      name: "AccessDeniedException",
      status: 403,
      message:
        "User: arn:aws:iam::123456789012:user/BedrockAPIKey-lt07 is not authorized to perform: bedrock:InvokeModel on resource: " +
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0 with an explicit deny in an identity-based policy",
    });
    expect((await converse(apiKey, "us.amazon.nova-lite-v1:0")).ok).toBe(true);
    expect((await converse(apiKey, "amazon.nova-micro-v1:0")).ok).toBe(true);
  });

  it("a user without Bedrock permissions gets the implicit deny message", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt08", { managed: false });
    const r = await post(h.sandbox.url, conversePath(US_HAIKU), apiKey, HELLO);
    expect(r.status).toBe(403);
    expect(r.json.message).toBe(
      "User: arn:aws:iam::123456789012:user/BedrockAPIKey-lt08 is not authorized to perform: bedrock:CallWithBearerToken on resource: * because no identity-based policy allows the bedrock:CallWithBearerToken action",
    );
  });

  it("a deny on bedrock:BearerTokenType LONG_TERM stops long-term keys only", async () => {
    const deny = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "bedrock:CallWithBearerToken", Resource: "*", Condition: { StringEquals: { "bedrock:BearerTokenType": "LONG_TERM" } } }] };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt09", { inlinePolicy: deny });
    expect(await converse(apiKey)).toMatchObject({ ok: false, message: expect.stringContaining("bedrock:CallWithBearerToken on resource: * with an explicit deny") });
  });

  it("aws:SourceIp conditions see the first X-Forwarded-For address", async () => {
    const onlyOffice = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }] };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt10", { inlinePolicy: onlyOffice });
    const inside = await post(h.sandbox.url, conversePath(US_HAIKU), apiKey, HELLO, { "x-forwarded-for": "203.0.113.25, 10.0.0.1" });
    expect(inside.status).toBe(200);
    const outside = await post(h.sandbox.url, conversePath(US_HAIKU), apiKey, HELLO, { "x-forwarded-for": "198.51.100.7" });
    expect(outside.status).toBe(403);
    expect(outside.json.message).toContain("with an explicit deny in an identity-based policy");
    // No X-Forwarded-For: the socket address (loopback) is outside the range too.
    expect((await post(h.sandbox.url, conversePath(US_HAIKU), apiKey)).status).toBe(403);
  });

  it("bedrock:InferenceProfileArn is present through a profile and absent on a direct model call", async () => {
    // AWS's documented profile-only pattern: the foundation model is refused unless the call
    // comes through an inference profile.
    const profileOnly = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock:InvokeModel*", Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { Null: { "bedrock:InferenceProfileArn": "true" } } }],
    };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-lt11", { inlinePolicy: profileOnly });
    expect(await converse(apiKey, US_HAIKU)).toMatchObject({ ok: true });
    expect(await converse(apiKey, HAIKU)).toMatchObject({ ok: false, name: "AccessDeniedException", status: 403, message: expect.stringContaining("with an explicit deny") });
    // The key carries the profile's ARN: a condition naming another profile does not match.
    const onlyEu = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock:InvokeModel*", Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { ArnNotLike: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/eu.*" } } }],
    };
    const other = await createKeyUser(h.iam, "BedrockAPIKey-lt12", { inlinePolicy: onlyEu });
    expect(await converse(other.apiKey, US_HAIKU)).toMatchObject({ ok: false, status: 403 });
  });
});
