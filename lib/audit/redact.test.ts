import { describe, expect, it } from "vitest";
import { redactText } from "./redact";

const longTerm = "ABSK" + Buffer.from("user-at-123456789012:" + "s".repeat(30)).toString("base64");
const shortTerm = "bedrock-api-key-" + "Q".repeat(40);
const awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const sessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + "a".repeat(200);

describe("redactText", () => {
  it.each([
    ["a long-term Bedrock key", longTerm],
    ["a short-term Bedrock key", shortTerm],
    ["an AWS secret access key", awsSecret],
    ["an STS session token", sessionToken],
  ])("masks %s wherever it appears", (_name, secret) => {
    expect(redactText(`before ${secret} after`)).toBe("before [redacted] after");
    expect(redactText(secret)).toBe("[redacted]");
  });

  it("masks the secret of a pasted AKIA/ASIA credential pair and keeps the id, which only names the key", () => {
    expect(redactText(`AKIAIOSFODNN7EXAMPLE:${awsSecret}`)).toBe("AKIAIOSFODNN7EXAMPLE:[redacted]");
    expect(redactText(`aws_access_key_id=ASIAIOSFODNN7EXAMPLE aws_secret_access_key=${awsSecret}`)).toBe(
      "aws_access_key_id=ASIAIOSFODNN7EXAMPLE aws_secret_access_key=[redacted]",
    );
  });

  it("leaves ordinary values alone: emails, user agents, hex digests, ids", () => {
    for (const v of [
      "dana@example.com",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "ACCA1234567890EXAMPLE",
      "BedrockAPIKey-payments-bot-ab12",
      "clx1y2z3a0000abcdefghijk",
    ]) {
      expect(redactText(v)).toBe(v);
    }
  });
});
