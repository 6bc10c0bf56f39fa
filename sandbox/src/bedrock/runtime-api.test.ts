import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMessages } from "./event-stream.js";
import { GREETING_REPLY } from "./generate.js";
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

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = (await createKeyUser(h.iam, "BedrockAPIKey-api1")).apiKey;
});
afterAll(async () => {
  await h.close();
});

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return null;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
};

describe("streaming through the real SDK", () => {
  it("ConverseStream events are decoded by @aws-sdk/client-bedrock-runtime", async () => {
    const client = runtimeClient(h.sandbox.url, key);
    const out = await client.send(new ConverseStreamCommand({ modelId: US_HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    const kinds: string[] = [];
    let text = "";
    let usage: unknown;
    for await (const ev of out.stream!) {
      kinds.push(Object.entries(ev).find(([, v]) => v !== undefined)![0]);
      if (ev.contentBlockDelta?.delta?.text) text += ev.contentBlockDelta.delta.text;
      if (ev.metadata) usage = ev.metadata.usage;
    }
    client.destroy();
    expect(kinds[0]).toBe("messageStart");
    expect(kinds.slice(-3)).toEqual(["contentBlockStop", "messageStop", "metadata"]);
    expect(kinds.filter((k) => k === "contentBlockDelta").length).toBeGreaterThan(3);
    expect(text).toBe(GREETING_REPLY);
    expect(usage).toMatchObject({ inputTokens: 8, outputTokens: 21, totalTokens: 29 });
  });

  it("InvokeModel takes and returns Anthropic Messages bodies", async () => {
    const client = runtimeClient(h.sandbox.url, key);
    const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: 256, messages: [{ role: "user", content: "Hello" }] };
    const out = await client.send(new InvokeModelCommand({ modelId: US_HAIKU, contentType: "application/json", body: JSON.stringify(body) }));
    client.destroy();
    const parsed = JSON.parse(new TextDecoder().decode(out.body)) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-3-5-haiku-20241022",
      content: [{ type: "text", text: GREETING_REPLY }],
      stop_reason: "end_turn",
      usage: { input_tokens: 8, output_tokens: 21 },
    });
    expect(parsed.id).toMatch(/^msg_bdrk_01/);
  });

  it("InvokeModelWithResponseStream chunks are Anthropic stream events", async () => {
    const client = runtimeClient(h.sandbox.url, key);
    const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: 256, messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }] };
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: JSON.stringify(body) }));
    type Chunk = { type: string; delta?: { text?: string }; [key: string]: unknown };
    const events: Chunk[] = [];
    for await (const ev of out.body!) events.push(JSON.parse(new TextDecoder().decode(ev.chunk!.bytes)) as Chunk);
    client.destroy();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["message_start", "content_block_start", "content_block_delta", "message_delta", "message_stop"]));
    expect(events.filter((e) => e.type === "content_block_delta").map((e) => e.delta?.text).join("")).toBe(GREETING_REPLY);
    expect(events.at(-1)!["amazon-bedrock-invocationMetrics"]).toMatchObject({ inputTokenCount: 8, outputTokenCount: 21 });
  });

  it("the raw stream is valid AWS event-stream framing with Bedrock's headers", async () => {
    const res = await fetch(`${h.sandbox.url}/model/${encodeURIComponent(US_HAIKU)}/converse-stream`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(HELLO),
    });
    expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const messages = decodeMessages(Buffer.from(await res.arrayBuffer()));
    expect(messages[0]!.headers).toEqual({ ":event-type": "messageStart", ":content-type": "application/json", ":message-type": "event" });
    expect(JSON.parse(messages[0]!.payload.toString())).toMatchObject({ role: "assistant", p: expect.any(String) });
  });
});

describe("other model families", () => {
  /** Reads `a.0.b` style paths out of parsed JSON. */
  const dig = (v: unknown, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);
  const cases: [string, unknown, string][] = [
    ["meta.llama3-1-8b-instruct-v1:0", { prompt: "<|begin_of_text|>Hello<|eot_id|>", max_gen_len: 128 }, "generation"],
    ["amazon.titan-text-express-v1", { inputText: "Hello" }, "results.0.outputText"],
    ["us.amazon.nova-micro-v1:0", { messages: [{ role: "user", content: [{ text: "Hello" }] }] }, "output.message.content.0.text"],
    ["mistral.mistral-7b-instruct-v0:2", { prompt: "<s>[INST] Hello [/INST]" }, "outputs.0.text"],
  ];
  it.each(cases)("InvokeModel %s answers in its native shape", async (modelId, body, textPath) => {
    const r = await post(h.sandbox.url, `/model/${encodeURIComponent(modelId)}/invoke`, key, body);
    expect(r.status).toBe(200);
    expect(dig(r.json, textPath)).toBe(GREETING_REPLY);
    expect(Number(r.headers.get("x-amzn-bedrock-output-token-count"))).toBe(21);
  });

  it("Converse works for every family and stops at maxTokens", async () => {
    const r = await post(h.sandbox.url, conversePath("amazon.nova-pro-v1:0"), key, {
      messages: [{ role: "user", content: [{ text: "Explain how IAM policy evaluation works for bearer tokens" }] }],
      inferenceConfig: { maxTokens: 5 },
    });
    expect(r.status).toBe(200);
    expect(r.json.stopReason).toBe("max_tokens");
    expect(r.json.usage).toEqual({ inputTokens: expect.any(Number), outputTokens: 5, totalTokens: expect.any(Number) });
  });
});

describe("errors in Bedrock's words", () => {
  const validation = async (path: string, body: unknown, message: string | RegExp, code = "ValidationException", status = 400) => {
    const r = await post(h.sandbox.url, path, key, body);
    expect(r.status).toBe(status);
    expect(r.headers.get("x-amzn-errortype")).toBe(`${code}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
    expect(r.json.message).toMatch(message);
  };

  it("unknown model ids, foreign profiles and retired models", async () => {
    await validation(conversePath("anthropic.claude-9-v1:0"), HELLO, "The provided model identifier is invalid.");
    await validation(conversePath("eu.anthropic.claude-3-7-sonnet-20250219-v1:0"), HELLO, "The provided model identifier is invalid.");
    await validation(
      conversePath("anthropic.claude-sonnet-4-20250514-v1:0"),
      HELLO,
      "Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    );
    await validation(conversePath("anthropic.claude-v2"), HELLO, /reached the end of its life/, "ResourceNotFoundException", 404);
  });

  it("ARNs are accepted for this region only", async () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    expect((await post(h.sandbox.url, conversePath(arn), key)).status).toBe(200);
    expect((await post(h.sandbox.url, conversePath("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"), key)).status).toBe(200);
    await validation(conversePath("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0"), HELLO, "The provided model identifier is invalid.");
  });

  it("malformed Converse and InvokeModel bodies", async () => {
    await validation(conversePath(US_HAIKU), "{not json", "Malformed input request, please reformat your input and try again.");
    await validation(conversePath(US_HAIKU), {}, "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null");
    await validation(conversePath(US_HAIKU), { messages: [{ role: "assistant", content: [{ text: "hi" }] }] }, /must start with a user message/);
    await validation(conversePath(US_HAIKU), { messages: [{ role: "user", content: [{ text: "a" }] }, { role: "user", content: [{ text: "b" }] }] }, /must alternate between user and assistant/);
    await validation(conversePath(US_HAIKU), { messages: HELLO.messages, inferenceConfig: { maxTokens: 0 } }, /inferenceConfig.maxTokens/);
    await validation(`/model/${encodeURIComponent(US_HAIKU)}/invoke`, { messages: HELLO.messages }, "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.");
  });

  it("the SDK maps errors to its exception classes", async () => {
    const client = runtimeClient(h.sandbox.url, key);
    const err = await errorOf(client.send(new ConverseStreamCommand({ modelId: "anthropic.claude-9-v1:0", messages: HELLO.messages as never })));
    client.destroy();
    expect(err).toEqual({ name: "ValidationException", message: "The provided model identifier is invalid.", status: 400 });
  });

  it("faults injected through the control API", async () => {
    const res = await fetch(`${h.sandbox.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ service: "bedrock", operation: "Converse", count: 1, error: { code: "ThrottlingException", status: 429, message: "Too many requests, please wait before trying again." } }),
    });
    expect(res.status).toBe(200);
    await validation(conversePath(US_HAIKU), HELLO, "Too many requests, please wait before trying again.", "ThrottlingException", 429);
    expect((await post(h.sandbox.url, conversePath(US_HAIKU), key)).status).toBe(200);
  });

  it("unknown operations under /model/", async () => {
    const r = await post(h.sandbox.url, `/model/${encodeURIComponent(US_HAIKU)}/frobnicate`, key);
    expect(r.status).toBe(404);
    expect(r.headers.get("x-amzn-errortype")).toMatch(/^UnknownOperationException:/);
  });
});

describe("SigV4-signed calls (IAM credentials, no API key)", () => {
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }, region = "us-west-2") =>
    new BedrockRuntimeClient({ region, endpoint: `${h.sandbox.url}/bedrock-runtime/${region}`, credentials, maxAttempts: 1 });

  it("work without bedrock:CallWithBearerToken and are recorded without callWithBearerToken", async () => {
    // Only the model actions: enough for SigV4, not for API keys.
    const creds = await createSigningUser(h.iam, "sigv4-user", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock:CallWithBearerToken", Resource: "*" }],
    });
    const c = client(creds);
    const out = await c.send(new ConverseCommand({ modelId: "us.amazon.nova-lite-v1:0", messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    c.destroy();
    expect(out.output?.message?.content?.[0]?.text).toBe(GREETING_REPLY);
    const rec = (await trailRecords(h, "Converse", "us-west-2")).find((r) => r.requestID === out.$metadata.requestId);
    expect(rec?.userIdentity).toMatchObject({ type: "IAMUser", userName: "sigv4-user", accessKeyId: creds.accessKeyId });
    expect(rec?.additionalEventData).toEqual({ inferenceRegion: expect.stringMatching(/^us-/) });
  });

  it("a wrong secret is an InvalidSignatureException", async () => {
    const creds = await createSigningUser(h.iam, "sigv4-user-2");
    const c = client({ ...creds, secretAccessKey: creds.secretAccessKey.slice(1) + "x" });
    const err = await errorOf(c.send(new ConverseCommand({ modelId: US_HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] })));
    c.destroy();
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
  });
});

describe("region addressing", () => {
  /** node:http lets the test set Host, as a client resolving bedrock-runtime.<region>.localhost would. */
  const viaHost = (host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${h.sandbox.url}/model/${encodeURIComponent(HAIKU)}/converse`,
        { method: "POST", headers: { host, authorization: `Bearer ${key}`, "content-type": "application/json" } },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(HELLO));
    });

  it("takes the region from a bedrock-runtime.<region> Host header", async () => {
    expect((await viaHost(`bedrock-runtime.eu-central-1.localhost:${h.sandbox.port}`)).status).toBe(200);
    const rec = (await trailRecords(h, "Converse", "eu-central-1")).find((r) => r.userIdentity.userName === "BedrockAPIKey-api1");
    expect(rec?.awsRegion).toBe("eu-central-1");
    expect(rec?.tlsDetails).toMatchObject({ clientProvidedHostHeader: "bedrock-runtime.eu-central-1.amazonaws.com" });
  });
});
