import { describe, expect, it } from "vitest";
import {
  anthropicPythonSnippet,
  anthropicTypeScriptSnippet,
  converseUrl,
  curlSnippet,
  envSnippet,
  javascriptSnippet,
  keyCsv,
  mantleAnthropicBaseUrl,
  mantleOpenAiBaseUrl,
  openAiPythonSnippet,
  openAiMantleModel,
  openAiTypeScriptSnippet,
  pythonSnippet,
  revealArtefacts,
  runtimeEndpoint,
  runtimeOpenAiBaseUrl,
} from "./reveal";

// Made up at test time; never shaped like a real key in a committed file.
const secret = `ABSK${Buffer.from(`BedrockAPIKey-test-at-123456789012:${"s".repeat(20)}`).toString("base64")}`;
const input = { keyName: "BedrockAPIKey-test-ab12", secret, region: "eu-central-1", modelId: "eu.amazon.nova-lite-v1:0" };

describe("reveal artefacts", () => {
  it("writes the AWS console's CSV", () => {
    const csv = keyCsv(input);
    expect(csv.fileName).toBe("bedrock-long-term-api-key.csv");
    expect(csv.content).toBe(`API key name,API key\r\nBedrockAPIKey-test-ab12,${secret}\r\n`);
    expect(keyCsv({ keyName: '=cmd|"x', secret }).content.split("\r\n")[1]).toBe(`"'=cmd|""x",${secret}`);
  });

  it("writes a .env.local block", () => {
    expect(envSnippet(input)).toBe(`AWS_BEARER_TOKEN_BEDROCK=${secret}\nAWS_REGION=eu-central-1\nBEDROCK_MODEL_ID=eu.amazon.nova-lite-v1:0\n`);
  });

  it("uses the regional runtime endpoint and encodes the model id", () => {
    expect(runtimeEndpoint("us-west-2")).toBe("https://bedrock-runtime.us-west-2.amazonaws.com");
    expect(runtimeEndpoint("cn-north-1")).toBe("https://bedrock-runtime.cn-north-1.amazonaws.com.cn");
    expect(converseUrl("eu-central-1", "eu.amazon.nova-lite-v1:0")).toBe(
      "https://bedrock-runtime.eu-central-1.amazonaws.com/model/eu.amazon.nova-lite-v1%3A0/converse",
    );
    expect(converseUrl("us-east-1", "m", "http://127.0.0.1:4566/bedrock-runtime/us-east-1/")).toBe("http://127.0.0.1:4566/bedrock-runtime/us-east-1/model/m/converse");
  });

  it("snippets call Converse and read the key from the environment, never embedding it", () => {
    const py = pythonSnippet(input);
    expect(py).toContain('boto3.client("bedrock-runtime", region_name="eu-central-1")');
    expect(py).toContain("client.converse(");
    expect(py).toContain('modelId="eu.amazon.nova-lite-v1:0"');
    const js = javascriptSnippet(input);
    expect(js).toContain("https://bedrock-runtime.eu-central-1.amazonaws.com/model/eu.amazon.nova-lite-v1%3A0/converse");
    expect(js).toContain("process.env.AWS_BEARER_TOKEN_BEDROCK");
    const curl = curlSnippet(input);
    expect(curl).toContain('-H "Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK"');
    expect(curl).toContain('{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}');
    for (const s of [py, js, curl]) expect(s).not.toContain(secret);
  });

  it("knows the base URLs of the SDK doors per region, as AWS documents them", () => {
    expect(runtimeOpenAiBaseUrl("eu-central-1")).toBe("https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1");
    expect(mantleOpenAiBaseUrl("eu-central-1")).toBe("https://bedrock-mantle.eu-central-1.api.aws/v1");
    expect(mantleAnthropicBaseUrl("ap-northeast-1")).toBe("https://bedrock-mantle.ap-northeast-1.api.aws/anthropic");
    expect(mantleOpenAiBaseUrl("us-east-1", "http://127.0.0.1:4566/bedrock-mantle/us-east-1/")).toBe("http://127.0.0.1:4566/bedrock-mantle/us-east-1/v1");
  });

  it("OpenAI SDK snippets use bedrock-runtime's /openai/v1 (AWS's recommendation) and name bedrock-mantle's /v1 with its model id", () => {
    const py = openAiPythonSnippet(input);
    expect(py).toContain("from openai import OpenAI");
    expect(py).toContain('base_url="https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1"');
    expect(py).toContain('api_key=os.environ["AWS_BEARER_TOKEN_BEDROCK"]');
    expect(py).toContain('model="eu.amazon.nova-lite-v1:0"');
    // mantle has no inference profiles: the comment gives the in-Region id.
    expect(py).toContain('https://bedrock-mantle.eu-central-1.api.aws/v1 (model "amazon.nova-lite-v1:0")');
    const ts = openAiTypeScriptSnippet(input);
    expect(ts).toContain('import OpenAI from "openai";');
    expect(ts).toContain('baseURL: "https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1"');
    expect(ts).toContain("apiKey: process.env.AWS_BEARER_TOKEN_BEDROCK");
    // mantle serves Claude only through the Anthropic Messages API.
    expect(openAiMantleModel("us.anthropic.claude-3-5-haiku-20241022-v1:0")).toBeNull();
    expect(openAiPythonSnippet({ region: "us-east-1", modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0" })).toContain("Claude is served through the Anthropic SDK");
  });

  it("Anthropic SDK snippets call bedrock-mantle's /anthropic with a Claude model", () => {
    const claude = { region: "us-west-2", modelId: "us.anthropic.claude-3-5-sonnet-20240620-v1:0" };
    const py = anthropicPythonSnippet(claude);
    expect(py).toContain("from anthropic import Anthropic");
    expect(py).toContain('base_url="https://bedrock-mantle.us-west-2.api.aws/anthropic"');
    expect(py).toContain('model="anthropic.claude-3-5-sonnet-20240620-v1:0"');
    expect(py).toContain('api_key=os.environ["AWS_BEARER_TOKEN_BEDROCK"]');
    const ts = anthropicTypeScriptSnippet(claude);
    expect(ts).toContain('import Anthropic from "@anthropic-ai/sdk";');
    expect(ts).toContain('baseURL: "https://bedrock-mantle.us-west-2.api.aws/anthropic"');
    // The suggested model is Nova: the Anthropic snippet still names a Claude model.
    expect(anthropicPythonSnippet(input)).toContain('model="anthropic.claude-3-5-haiku-20241022-v1:0"');
  });

  it("bundles everything, and no code snippet holds the secret", () => {
    const all = revealArtefacts({ ...input, secret });
    expect(Object.keys(all).sort()).toEqual(["anthropicPython", "anthropicTypeScript", "csv", "curl", "env", "javascript", "openaiPython", "openaiTypeScript", "python"]);
    for (const [name, code] of Object.entries(all)) {
      if (name === "csv" || name === "env") continue;
      expect(code).not.toContain(secret);
      expect(code).toContain("AWS_BEARER_TOKEN_BEDROCK");
    }
  });
});
