/**
 * Every door a Bedrock API key opens, driven only by the official OpenAI and Anthropic SDKs:
 * bedrock-runtime's /openai/v1 (Chat Completions, Responses) and bedrock-mantle's /v1 (models,
 * Chat Completions, Responses) and /anthropic/v1/messages. Keys are issued as the console issues
 * them (IAM CreateServiceSpecificCredential; short-term tokens from @aws/bedrock-token-generator).
 */
import Anthropic from "@anthropic-ai/sdk";
import { getToken } from "@aws/bedrock-token-generator";
import { DeleteServiceSpecificCredentialCommand, UpdateServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "../clock.js";
import { control } from "../testing/clients.js";
import { GREETING_REPLY } from "./generate.js";
import { createKeyUser, createSigningUser, type Harness, HAIKU, startHarness, trailRecords, US_HAIKU } from "./testing.js";

const NOVA = "amazon.nova-micro-v1:0";
const LLAMA = "meta.llama3-1-8b-instruct-v1:0";
const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const INVALID = "Authentication failed: Please make sure your API Key is valid.";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const runtimeOpenAi = (apiKey: string, region = "us-east-1", opts: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey, baseURL: `${h.sandbox.url}/bedrock-runtime/${region}/openai/v1`, maxRetries: 0, ...opts });
const mantleOpenAi = (apiKey: string, region = "us-east-1", opts: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey, baseURL: `${h.sandbox.url}/bedrock-mantle/${region}/v1`, maxRetries: 0, ...opts });
/** The Anthropic SDK with the key as x-api-key (apiKey) or as a Bearer token (authToken). */
const mantleAnthropic = (key: string, region = "us-east-1", as: "apiKey" | "authToken" = "apiKey") =>
  new Anthropic({ [as]: key, baseURL: `${h.sandbox.url}/bedrock-mantle/${region}/anthropic`, maxRetries: 0 });

const HELLO_CHAT = [{ role: "user" as const, content: "Hello" }];

/** One call through each door; returns the reply text and token usage. */
const DOORS = {
  "runtime chat.completions": async (key: string, model = NOVA) => {
    const out = await runtimeOpenAi(key).chat.completions.create({ model, messages: HELLO_CHAT });
    return { text: out.choices[0]!.message.content, input: out.usage!.prompt_tokens, output: out.usage!.completion_tokens };
  },
  "runtime responses": async (key: string, model = NOVA) => {
    const out = await runtimeOpenAi(key).responses.create({ model, input: "Hello" });
    return { text: out.output_text, input: out.usage!.input_tokens, output: out.usage!.output_tokens };
  },
  "mantle chat.completions": async (key: string, model = NOVA) => {
    const out = await mantleOpenAi(key).chat.completions.create({ model, messages: HELLO_CHAT });
    return { text: out.choices[0]!.message.content, input: out.usage!.prompt_tokens, output: out.usage!.completion_tokens };
  },
  "mantle responses": async (key: string, model = NOVA) => {
    const out = await mantleOpenAi(key).responses.create({ model, input: "Hello" });
    return { text: out.output_text, input: out.usage!.input_tokens, output: out.usage!.output_tokens };
  },
  "mantle messages": async (key: string, model = HAIKU) => {
    const out = await mantleAnthropic(key).messages.create({ model, max_tokens: 256, messages: HELLO_CHAT });
    const block = out.content[0]!;
    return { text: block.type === "text" ? block.text : "", input: out.usage.input_tokens, output: out.usage.output_tokens };
  },
} as const;
type Door = keyof typeof DOORS;
const DOOR_NAMES = Object.keys(DOORS) as Door[];
/** Model X allowed and model Y refused by the restriction policy below, per door. */
const ALLOWED: Record<Door, string> = {
  "runtime chat.completions": NOVA,
  "runtime responses": NOVA,
  "mantle chat.completions": NOVA,
  "mantle responses": NOVA,
  "mantle messages": HAIKU,
};
const REFUSED: Record<Door, string> = {
  "runtime chat.completions": LLAMA,
  "runtime responses": LLAMA,
  "mantle chat.completions": LLAMA,
  "mantle responses": LLAMA,
  "mantle messages": SONNET,
};

/** A fetch that SigV4-signs each request for `service`, as an AWS SigV4 transport would. */
function signingFetch(service: string, creds: { accessKeyId: string; secretAccessKey: string }) {
  const signer = new SignatureV4({ service, region: "us-east-1", credentials: creds, sha256: Sha256 });
  return async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = { host: url.host };
    new Headers(init?.headers).forEach((v, k) => {
      if (k !== "authorization") headers[k] = v;
    });
    const signed = await signer.sign({
      method: init?.method ?? "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: init?.body as string | undefined,
    });
    return fetch(url, { ...init, headers: signed.headers });
  };
}

async function failure(p: Promise<unknown>): Promise<Error & { status?: number; error?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { status?: number };
  }
  throw new Error("expected the call to fail");
}

interface Record_ {
  eventSource: string;
  eventName: string;
  eventCategory: string;
  managementEvent: boolean;
  readOnly: boolean;
  requestID: string;
  userIdentity: { type: string; arn: string; userName?: string; accessKeyId?: string };
  requestParameters: Record<string, unknown>;
  additionalEventData?: Record<string, unknown>;
  resources?: { type: string; ARN: string; accountId: string }[];
  errorCode?: string;
  errorMessage?: string;
  tlsDetails?: { clientProvidedHostHeader: string };
}

/** Every stored record (management and data events), as a trail would deliver them. */
function stored(filter: (r: Record_) => boolean): Record_[] {
  const out: Record_[] = [];
  for (const { event } of h.sandbox.state.events.all()) {
    const r = JSON.parse(h.sandbox.state.events.json(event)) as Record_;
    if (filter(r)) out.push(r);
  }
  return out;
}
const byUser = (userName: string) => (r: Record_) => r.userIdentity?.arn === `arn:aws:iam::123456789012:user/${userName}`;

describe("a long-term key issued through IAM", () => {
  for (const door of DOOR_NAMES) {
    it(`works through ${door}, with the generator's text and usage`, async () => {
      const { apiKey } = await createKeyUser(h.iam, `BedrockAPIKey-d-${door.replace(/\W/g, "")}`.slice(0, 60));
      expect(await DOORS[door](apiKey)).toEqual({ text: GREETING_REPLY, input: 8, output: 21 });
    });
  }

  it("lists and retrieves models on mantle", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-models");
    const client = mantleOpenAi(apiKey);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain(NOVA);
    expect(ids).toContain(HAIKU);
    expect((await client.models.retrieve(NOVA)).id).toBe(NOVA);
    const missing = await failure(client.models.retrieve("amazon.no-such-model"));
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("refuses a model on the wrong mantle route, as AWS words it", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-route");
    const e = await failure(mantleOpenAi(apiKey).chat.completions.create({ model: HAIKU, messages: HELLO_CHAT }));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toContain(`model \`${HAIKU}\` isn't supported on this route`);
    const a = await failure(mantleAnthropic(apiKey).messages.create({ model: NOVA, max_tokens: 16, messages: HELLO_CHAT }));
    expect(a).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it("bad input gets the API's validation error", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-bad");
    const e = await failure(runtimeOpenAi(apiKey).chat.completions.create({ model: NOVA, messages: [] }));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    const m = await failure(mantleAnthropic(apiKey).messages.create({ model: HAIKU, max_tokens: 0, messages: HELLO_CHAT }));
    expect(m).toBeInstanceOf(Anthropic.BadRequestError);
    expect((m as unknown as { error: { type: string; error: { type: string } } }).error).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });
});

describe("streaming", () => {
  it("runtime and mantle chat completions stream OpenAI chunks ending in [DONE], with usage", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-s-chat");
    for (const client of [runtimeOpenAi(apiKey), mantleOpenAi(apiKey)]) {
      const stream = await client.chat.completions.create({ model: NOVA, messages: HELLO_CHAT, stream: true, stream_options: { include_usage: true } });
      let text = "";
      let usage: unknown;
      let finish: string | null = null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks += 1;
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(chunks).toBeGreaterThan(3);
      expect(text).toBe(GREETING_REPLY);
      expect(finish).toBe("stop");
      expect(usage).toEqual({ prompt_tokens: 8, completion_tokens: 21, total_tokens: 29 });
    }
  });

  it("runtime and mantle responses stream the Responses API events", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-s-resp");
    for (const client of [runtimeOpenAi(apiKey), mantleOpenAi(apiKey)]) {
      const stream = await client.responses.create({ model: NOVA, input: "Hello", stream: true });
      const types: string[] = [];
      let text = "";
      let usage: unknown;
      for await (const ev of stream) {
        types.push(ev.type);
        if (ev.type === "response.output_text.delta") text += ev.delta;
        if (ev.type === "response.completed") usage = ev.response.usage;
      }
      expect(types[0]).toBe("response.created");
      expect(types.at(-1)).toBe("response.completed");
      expect(types).toContain("response.output_text.done");
      expect(text).toBe(GREETING_REPLY);
      expect(usage).toMatchObject({ input_tokens: 8, output_tokens: 21, total_tokens: 29 });
    }
  });

  it("mantle messages stream Anthropic's events, and the SDK assembles the message", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-s-msg");
    const stream = mantleAnthropic(apiKey, "us-east-1", "authToken").messages.stream({ model: HAIKU, max_tokens: 256, messages: HELLO_CHAT });
    const types: string[] = [];
    stream.on("streamEvent", (e) => types.push(e.type));
    const message = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types).toContain("content_block_delta");
    expect(types.at(-1)).toBe("message_stop");
    expect(message.content[0]).toEqual({ type: "text", text: GREETING_REPLY });
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 21 });
    expect(message.stop_reason).toBe("end_turn");
  });
});

describe("a short-term key from @aws/bedrock-token-generator", () => {
  it("works at every door, and only in the region it was made for", async () => {
    const creds = await createSigningUser(h.iam, "st-doors");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    for (const door of DOOR_NAMES) expect(await DOORS[door](token)).toMatchObject({ text: GREETING_REPLY });
    const west = await failure(mantleOpenAi(token, "us-west-2").chat.completions.create({ model: NOVA, messages: HELLO_CHAT }));
    expect(west).toBeInstanceOf(OpenAI.AuthenticationError);
    const records = stored((r) => r.eventSource === "bedrock-mantle.amazonaws.com" && r.userIdentity?.accessKeyId === creds.accessKeyId && r.eventName === "CreateInference");
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(records[0]!.requestParameters).toMatchObject({ callWithBearerToken: true, bearerTokenType: "bedrock-api-key" });
    expect(records[0]!.userIdentity.arn).toBe("arn:aws:iam::123456789012:user/st-doors");
  });
});

describe("a key restricted to model X", () => {
  // What AWS needs to bind each door: the runtime actions on the model ARNs, and mantle's
  // CreateInference on the model named in bedrock-mantle:Model.
  const restriction = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Deny", Action: "bedrock:InvokeModel*", NotResource: [`arn:aws:bedrock:*::foundation-model/${NOVA}`] },
      { Effect: "Deny", Action: "bedrock-mantle:CreateInference", Resource: "*", Condition: { StringNotEquals: { "bedrock-mantle:Model": [NOVA, HAIKU] } } },
    ],
  };
  let apiKey: string;
  beforeAll(async () => {
    ({ apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-restricted", { inlinePolicy: restriction }));
  });

  for (const door of DOOR_NAMES) {
    it(`is refused model Y through ${door} with AWS's access-denied answer, and X works`, async () => {
      const e = await failure(DOORS[door](apiKey, REFUSED[door]));
      const anthropic = door === "mantle messages";
      expect(e).toBeInstanceOf(anthropic ? Anthropic.PermissionDeniedError : OpenAI.PermissionDeniedError);
      expect(e.status).toBe(403);
      const action = door.startsWith("runtime") ? "bedrock:InvokeModel" : "bedrock-mantle:CreateInference";
      expect(e.message).toContain(`User: arn:aws:iam::123456789012:user/BedrockAPIKey-restricted is not authorized to perform: ${action} on resource: `);
      expect(e.message).toContain("with an explicit deny in an identity-based policy");
      if (anthropic) {
        expect((e as unknown as { error: unknown }).error).toMatchObject({ type: "error", error: { type: "permission_error" } });
      } else {
        expect((e as unknown as { error: unknown }).error).toMatchObject({ type: "permission_error", code: "AccessDeniedException" });
      }
      expect(await DOORS[door](apiKey, ALLOWED[door])).toMatchObject({ text: GREETING_REPLY });
    });
  }

  it("the refusals are recorded with the error, attributed to the key's user", async () => {
    const denied = stored((r) => byUser("BedrockAPIKey-restricted")(r) && r.errorCode === "AccessDeniedException");
    expect(denied.map((r) => `${r.eventSource} ${r.eventName}`).sort()).toEqual([
      "bedrock-mantle.amazonaws.com CreateInference",
      "bedrock-mantle.amazonaws.com CreateInference",
      "bedrock-mantle.amazonaws.com CreateInference",
      "bedrock.amazonaws.com CreateChatCompletion",
      "bedrock.amazonaws.com CreateResponse",
    ]);
  });
});

describe("a disabled or deleted credential", () => {
  it("is refused at every door in each API's shape (runtime 403, mantle 401)", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-off");
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Inactive" }));
    const check = async () => {
      for (const door of DOOR_NAMES) {
        const e = await failure(DOORS[door](apiKey));
        if (door.startsWith("runtime")) {
          expect(e).toBeInstanceOf(OpenAI.PermissionDeniedError);
        } else if (door === "mantle messages") {
          expect(e).toBeInstanceOf(Anthropic.AuthenticationError);
          expect((e as unknown as { error: unknown }).error).toMatchObject({ type: "error", error: { type: "authentication_error", message: INVALID } });
        } else {
          expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
          expect((e as unknown as { error: unknown }).error).toMatchObject({ type: "authentication_error", message: INVALID });
        }
        expect(e.message).toContain(INVALID);
      }
    };
    await check();
    // A disabled key is still genuine: its refusals are attributed to its user.
    const refused = stored((r) => byUser(userName)(r) && r.errorMessage === INVALID);
    expect(refused.length).toBe(5);
    // Refused before its body was validated, each is still recorded with the model it asked for.
    expect(refused.map((r) => r.requestParameters.model ?? r.requestParameters.modelId).sort()).toEqual([NOVA, NOVA, NOVA, NOVA, HAIKU]);
    await h.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId }));
    await check();
  });
});

describe("CloudTrail records", () => {
  it("never hold the key: not in any record of a call through any door, refused or not", async () => {
    const { userName, apiKey, credentialId } = await createKeyUser(h.iam, "BedrockAPIKey-secret");
    const creds = await createSigningUser(h.iam, "st-secret");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    for (const door of DOOR_NAMES) {
      await DOORS[door](apiKey);
      await DOORS[door](token);
      await failure(DOORS[door](apiKey, REFUSED[door].replace(/-v\d.*$/, "")));
    }
    await h.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: "Inactive" }));
    for (const door of DOOR_NAMES) await failure(DOORS[door](apiKey));
    const secret = apiKey.slice(4);
    let seen = 0;
    for (const { event } of h.sandbox.state.events.all()) {
      const text = h.sandbox.state.events.json(event);
      if (!text.includes("BedrockAPIKey-secret") && !text.includes(creds.accessKeyId)) continue;
      seen += 1;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(token.slice(16, 80));
      expect(text).not.toContain(creds.secretAccessKey);
    }
    expect(seen).toBeGreaterThanOrEqual(20);
  });

  it("runtime OpenAI calls are management events of bedrock.amazonaws.com, found by LookupEvents", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-trail-rt");
    await DOORS["runtime chat.completions"](apiKey);
    await DOORS["runtime responses"](apiKey);
    for (const name of ["CreateChatCompletion", "CreateResponse"]) {
      const [r] = (await trailRecords(h, name)).filter((x) => x.userIdentity.userName === "BedrockAPIKey-trail-rt") as unknown as Record_[];
      expect(r).toMatchObject({
        eventSource: "bedrock.amazonaws.com",
        eventName: name,
        managementEvent: true,
        eventCategory: "Management",
        requestParameters: { modelId: NOVA, stream: false },
        additionalEventData: { callWithBearerToken: true, inferenceRegion: "us-east-1" },
        userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/BedrockAPIKey-trail-rt" },
      });
    }
  });

  it("mantle inference is a data event (stored for trails, not in LookupEvents); model listing a management event", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-trail-m");
    await DOORS["mantle chat.completions"](apiKey);
    await DOORS["mantle responses"](apiKey);
    await DOORS["mantle messages"](apiKey);
    await mantleOpenAi(apiKey).models.retrieve(NOVA);
    const data = stored((r) => byUser("BedrockAPIKey-trail-m")(r) && r.eventName === "CreateInference");
    expect(data).toHaveLength(3);
    for (const r of data) {
      expect(r).toMatchObject({
        eventSource: "bedrock-mantle.amazonaws.com",
        managementEvent: false,
        eventCategory: "Data",
        readOnly: false,
        userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/BedrockAPIKey-trail-m" },
        resources: [{ type: "AWS::BedrockMantle::Project", ARN: "arn:aws:bedrock-mantle:us-east-1:123456789012:project/default", accountId: "123456789012" }],
        tlsDetails: { clientProvidedHostHeader: "bedrock-mantle.us-east-1.api.aws" },
      });
      expect(r.requestParameters).toMatchObject({ callWithBearerToken: true, bearerTokenType: "ABSK" });
    }
    // The documented parameters of each route tell them apart.
    expect(data.map((r) => r.requestParameters).sort((a, b) => Object.keys(a).length - Object.keys(b).length)).toEqual([
      { model: HAIKU, stream: false, max_tokens: 256, callWithBearerToken: true, bearerTokenType: "ABSK" },
      { model: NOVA, stream: false, service_tier: null, metadata: null, callWithBearerToken: true, bearerTokenType: "ABSK" },
      { model: NOVA, previousResponse: null, stream: false, service_tier: null, metadata: null, callWithBearerToken: true, bearerTokenType: "ABSK" },
    ]);
    const lookup = await trailRecords(h, "CreateInference");
    expect(lookup.filter((x) => x.userIdentity.userName === "BedrockAPIKey-trail-m")).toEqual([]);
    const [getModel] = (await trailRecords(h, "GetModel")).filter((x) => x.userIdentity.userName === "BedrockAPIKey-trail-m") as unknown as Record_[];
    expect(getModel).toMatchObject({
      eventSource: "bedrock-mantle.amazonaws.com",
      managementEvent: true,
      readOnly: true,
      requestParameters: { model: NOVA, callWithBearerToken: true, bearerTokenType: "ABSK" },
    });
  });

  it("the OpenAI-Project header attributes the call to that project, which policies can name", async () => {
    const onlyDefault = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock-mantle:CreateInference", NotResource: "arn:aws:bedrock-mantle:*:*:project/default" }],
    };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-proj");
    await mantleOpenAi(apiKey, "us-east-1", { project: "proj_abc123" }).chat.completions.create({ model: NOVA, messages: HELLO_CHAT });
    const [r] = stored((x) => byUser("BedrockAPIKey-proj")(x) && x.eventName === "CreateInference");
    expect(r!.resources).toEqual([{ accountId: "123456789012", type: "AWS::BedrockMantle::Project", ARN: "arn:aws:bedrock-mantle:us-east-1:123456789012:project/proj_abc123" }]);
    const limited = await createKeyUser(h.iam, "BedrockAPIKey-proj2", { inlinePolicy: onlyDefault });
    const e = await failure(mantleOpenAi(limited.apiKey, "us-east-1", { project: "proj_abc123" }).chat.completions.create({ model: NOVA, messages: HELLO_CHAT }));
    expect(e).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(await DOORS["mantle chat.completions"](limited.apiKey)).toMatchObject({ text: GREETING_REPLY });
  });

  it("a SigV4-signed mantle call (service bedrock-mantle) is recorded without a bearer token", async () => {
    const creds = await createSigningUser(h.iam, "sigv4-mantle");
    const client = mantleOpenAi("unused", "us-east-1", { fetch: signingFetch("bedrock-mantle", creds) });
    const out = await client.chat.completions.create({ model: NOVA, messages: HELLO_CHAT });
    expect(out.choices[0]!.message.content).toBe(GREETING_REPLY);
    const [r] = stored((x) => x.userIdentity?.accessKeyId === creds.accessKeyId && x.eventName === "CreateInference");
    expect(r!.requestParameters).toEqual({ model: NOVA, stream: false, service_tier: null, metadata: null, callWithBearerToken: false });
    // Scoped to another service: refused.
    const wrong = new SignatureV4({ service: "bedrock", region: "us-east-1", credentials: creds, sha256: Sha256 });
    const signed = await wrong.sign({ method: "GET", protocol: "http:", hostname: "127.0.0.1", path: "/bedrock-mantle/us-east-1/v1/models", headers: { host: new URL(h.sandbox.url).host } });
    const res = await fetch(`${h.sandbox.url}/bedrock-mantle/us-east-1/v1/models`, { headers: signed.headers });
    expect(res.status).toBe(401);
  });
});

describe("the two endpoints are separate IAM services", () => {
  it("a deny on bedrock:CallWithBearerToken stops the runtime's doors but not mantle's, and the reverse", async () => {
    const denyRuntime = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "bedrock:CallWithBearerToken", Resource: "*" }] };
    const a = await createKeyUser(h.iam, "BedrockAPIKey-no-rt", { inlinePolicy: denyRuntime });
    const e = await failure(DOORS["runtime chat.completions"](a.apiKey));
    expect(e).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(e.message).toContain("bedrock:CallWithBearerToken on resource: * with an explicit deny");
    expect(await DOORS["mantle chat.completions"](a.apiKey)).toMatchObject({ text: GREETING_REPLY });

    // AWS's sample SCP for refusing API keys names both services; a policy naming only mantle's
    // (here for long-term keys) leaves the runtime open.
    const denyMantle = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock-mantle:CallWithBearerToken", Resource: "*", Condition: { StringEquals: { "bedrock-mantle:BearerTokenType": "LONG_TERM" } } }],
    };
    const b = await createKeyUser(h.iam, "BedrockAPIKey-no-m", { inlinePolicy: denyMantle });
    for (const door of ["mantle chat.completions", "mantle responses", "mantle messages"] as const) {
      const err = await failure(DOORS[door](b.apiKey));
      expect(err.status).toBe(403);
      expect(err.message).toContain("bedrock-mantle:CallWithBearerToken on resource: * with an explicit deny");
    }
    expect(await DOORS["runtime responses"](b.apiKey)).toMatchObject({ text: GREETING_REPLY });
  });

  it("the runtime's OpenAI routes follow inference-profile rules and stream as InvokeModelWithResponseStream", async () => {
    // A console-style restriction: Claude 3.5 Haiku through the US profile only.
    const profileOnly = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Deny", Action: "bedrock:InvokeModel*", NotResource: [`arn:aws:bedrock:*:123456789012:inference-profile/${US_HAIKU}`, `arn:aws:bedrock:*::foundation-model/${HAIKU}`] },
        { Effect: "Deny", Action: "bedrock:InvokeModel*", Resource: [`arn:aws:bedrock:*::foundation-model/${HAIKU}`], Condition: { Null: { "bedrock:InferenceProfileArn": "true" } } },
        { Effect: "Deny", Action: "bedrock:InvokeModelWithResponseStream", Resource: "*" },
      ],
    };
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-profile", { inlinePolicy: profileOnly });
    expect(await DOORS["runtime chat.completions"](apiKey, US_HAIKU)).toMatchObject({ text: GREETING_REPLY });
    const direct = await failure(DOORS["runtime responses"](apiKey, HAIKU));
    expect(direct).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(direct.message).toContain(`bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`);
    const streamed = await failure(runtimeOpenAi(apiKey).chat.completions.create({ model: US_HAIKU, messages: HELLO_CHAT, stream: true }));
    expect(streamed).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(streamed.message).toContain("bedrock:InvokeModelWithResponseStream");
    const [r] = stored((x) => byUser("BedrockAPIKey-profile")(x) && x.eventName === "CreateChatCompletion" && !x.errorCode);
    expect(r!.additionalEventData).toMatchObject({ callWithBearerToken: true, inferenceRegion: expect.stringMatching(/^us-/) });
  });

  it("a SigV4-signed runtime call through the OpenAI SDK works and is recorded without callWithBearerToken", async () => {
    const creds = await createSigningUser(h.iam, "sigv4-runtime");
    const client = runtimeOpenAi("unused", "us-east-1", { fetch: signingFetch("bedrock", creds) });
    expect((await client.responses.create({ model: NOVA, input: "Hello" })).output_text).toBe(GREETING_REPLY);
    const [r] = stored((x) => x.userIdentity?.accessKeyId === creds.accessKeyId && x.eventName === "CreateResponse");
    expect(r!.userIdentity).toMatchObject({ type: "IAMUser", arn: "arn:aws:iam::123456789012:user/sigv4-runtime" });
    expect(r!.additionalEventData).toEqual({ inferenceRegion: "us-east-1" });
  });
});

describe("faults and expiry", () => {
  it("an expired short-term key says so, in each API's shape", async () => {
    const creds = await createSigningUser(h.iam, "st-expiry");
    const token = await getToken({ credentials: creds, region: "us-east-1", expiresInSeconds: 900 });
    setClock(h.sandbox.state, { advanceSeconds: 901 });
    try {
      const o = await failure(DOORS["mantle responses"](token));
      expect(o).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(o.message).toContain("Bearer Token has expired");
      const a = await failure(DOORS["mantle messages"](token));
      expect(a).toBeInstanceOf(Anthropic.AuthenticationError);
      const r = await failure(DOORS["runtime chat.completions"](token));
      expect(r).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(r.message).toContain("Bearer Token has expired");
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("injected throttling reaches the SDK as RateLimitError, and is recorded", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-throttled");
    const throttle = (service: string, operation: string) =>
      control(h.sandbox.url, "POST", "faults", { service, operation, count: 1, error: { code: "ThrottlingException", status: 429, message: "Too many requests, please wait before trying again." } });
    await throttle("bedrock-mantle", "CreateInference");
    expect(await failure(DOORS["mantle messages"](apiKey))).toBeInstanceOf(Anthropic.RateLimitError);
    await throttle("bedrock-runtime", "CreateChatCompletion");
    expect(await failure(DOORS["runtime chat.completions"](apiKey))).toBeInstanceOf(OpenAI.RateLimitError);
    expect(await DOORS["runtime chat.completions"](apiKey)).toMatchObject({ text: GREETING_REPLY });
    expect(stored((r) => byUser("BedrockAPIKey-throttled")(r) && r.errorCode === "ThrottlingException")).toHaveLength(2);
  });
});
