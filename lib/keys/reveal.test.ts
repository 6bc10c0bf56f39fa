import { describe, expect, it } from "vitest";
import { converseUrl, curlSnippet, envSnippet, javascriptSnippet, keyCsv, pythonSnippet, revealArtefacts, runtimeEndpoint } from "./reveal";

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

  it("bundles everything", () => {
    const all = revealArtefacts(input);
    expect(Object.keys(all).sort()).toEqual(["csv", "curl", "env", "javascript", "python"]);
  });
});
