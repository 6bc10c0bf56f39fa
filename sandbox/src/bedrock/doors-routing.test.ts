/**
 * Host-header routing of the doors (what a client reaching the sandbox through
 * `bedrock-mantle.<region>.localhost` or a proxy keeping AWS's host names sends). Plain HTTP,
 * because fetch cannot set Host; the SDK-driven tests are in doors.test.ts.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyUser, type Harness, startHarness } from "./testing.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function call(host: string, method: string, path: string, apiKey: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: h.sandbox.port, method, path, headers: { host, authorization: `Bearer ${apiKey}`, "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown> }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const regionsOf = (eventName: string) => {
  const regions: string[] = [];
  for (const { region, event } of h.sandbox.state.events.all()) if (event.name === eventName) regions.push(region);
  return regions;
};

describe("routing by Host", () => {
  it("bedrock-mantle.<region>.api.aws and .localhost reach mantle in that region", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-host");
    const list = await call("bedrock-mantle.us-west-2.api.aws", "GET", "/v1/models", apiKey);
    expect(list.status).toBe(200);
    expect(list.json.object).toBe("list");
    const chat = await call("bedrock-mantle.eu-central-1.localhost:4566", "POST", "/v1/chat/completions", apiKey, {
      model: "amazon.nova-micro-v1:0",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(chat.status).toBe(200);
    expect(regionsOf("ListModels")).toContain("us-west-2");
    expect(regionsOf("CreateInference")).toContain("eu-central-1");
  });

  it("bedrock-runtime.<region>.amazonaws.com reaches the runtime's OpenAI routes; unknown routes get OpenAI-shaped 404s", async () => {
    const { apiKey } = await createKeyUser(h.iam, "BedrockAPIKey-host-rt");
    const r = await call("bedrock-runtime.ap-northeast-1.amazonaws.com", "POST", "/openai/v1/chat/completions", apiKey, {
      model: "apac.amazon.nova-micro-v1:0",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(r.status).toBe(200);
    expect(regionsOf("CreateChatCompletion")).toContain("ap-northeast-1");
    const missing = await call("bedrock-mantle.us-east-1.api.aws", "POST", "/v1/embeddings", apiKey, {});
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { type: "not_found_error", code: "UnknownOperationException" } });
  });
});
