import { getToken } from "@aws/bedrock-token-generator";
import { describe, expect, it } from "vitest";
import { decodeBedrockKey } from "./decode";

// Keys are generated here at run time, never committed in a real key's shape.
const longTerm = (text: string) => `ABSK${Buffer.from(text).toString("base64")}`;
const FAKE_CREDS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

describe("decodeBedrockKey", () => {
  it("decodes a long-term key to IAM user and account, never returning the secret", () => {
    const key = longTerm(`BedrockAPIKey-n158-at-123456789012:${"q".repeat(30)}`);
    const d = decodeBedrockKey(key);
    expect(d).toEqual({ kind: "long-term", userName: "BedrockAPIKey-n158", accountId: "123456789012" });
    expect(JSON.stringify(d)).not.toContain("qqqq");
  });

  it("accepts the usual wrappers around a pasted key", () => {
    const key = longTerm("u-at-123456789012:abc");
    for (const pasted of [` ${key}\n`, `Bearer ${key}`, `"${key}"`, `AWS_BEARER_TOKEN_BEDROCK=${key}`, `export AWS_BEARER_TOKEN_BEDROCK='${key}'`]) {
      expect(decodeBedrockKey(pasted)).toMatchObject({ kind: "long-term", userName: "u" });
    }
  });

  it("decodes a short-term key made by AWS's token generator", async () => {
    const token = await getToken({ credentials: { ...FAKE_CREDS, sessionToken: "FwoGZXIvYXdzEXAMPLESESSION" }, region: "us-west-2", expiresInSeconds: 3600 });
    const d = decodeBedrockKey(token);
    expect(d).toMatchObject({ kind: "short-term", accessKeyId: "AKIAIOSFODNN7EXAMPLE", region: "us-west-2", expiresInSeconds: 3600, temporaryCredentials: true });
    if (d.kind !== "short-term") throw new Error("unreachable");
    expect(Date.parse(d.expiresAt) - Date.parse(d.issuedAt)).toBe(3_600_000);
    expect(Math.abs(Date.parse(d.issuedAt) - Date.now())).toBeLessThan(60_000);
    const plain = decodeBedrockKey(await getToken({ credentials: FAKE_CREDS, region: "us-east-1" }));
    expect(plain).toMatchObject({ temporaryCredentials: false, expiresInSeconds: 43200 });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["sk-live-abcdef", "unknownPrefix"],
    ["ABSK!!!not-base64", "badEncoding"],
    [`ABSK${Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString("base64")}`, "badEncoding"],
    [longTerm("no-colon-here"), "badFormat"],
    [longTerm("user-at-12345:secret"), "badFormat"],
    [`bedrock-api-key-${Buffer.from("example.com/?Action=Other").toString("base64")}`, "badFormat"],
    [`ABSK${"A".repeat(20_000)}`, "tooLong"],
  ])("refuses %j as %s", (input, reason) => {
    expect(decodeBedrockKey(input)).toEqual({ kind: "invalid", reason });
  });
});
