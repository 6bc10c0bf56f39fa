import { getToken } from "@aws/bedrock-token-generator";
import { describe, expect, it } from "vitest";
import { parseShortTermToken, SHORT_TERM_PREFIX, tokenExpiresAt, verifyShortTermSignature } from "./short-term-token.js";

// AWS's documented example credentials: not a real account's keys.
const creds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const temp = { accessKeyId: "ASIAEXAMPLEEXAMPLE01", secretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNl", sessionToken: "IQoJb3JpZ2luX2VjE+/token=" };

/** Re-encodes a token after editing its decoded URL. */
function rewrite(token: string, edit: (url: string) => string): string {
  const url = Buffer.from(token.slice(SHORT_TERM_PREFIX.length), "base64").toString("utf8");
  return SHORT_TERM_PREFIX + Buffer.from(edit(url), "utf8").toString("base64");
}

describe("short-term token parsing", () => {
  it("reads what @aws/bedrock-token-generator puts in a token", async () => {
    const before = Date.now();
    const token = await getToken({ credentials: creds, region: "eu-west-1", expiresInSeconds: 900 });
    const t = parseShortTermToken(token);
    expect(t).not.toBeNull();
    expect(t).toMatchObject({ accessKeyId: creds.accessKeyId, region: "eu-west-1", service: "bedrock", expiresSeconds: 900 });
    expect(t!.securityToken).toBeUndefined();
    expect(Math.abs(t!.signedAt.getTime() - before)).toBeLessThan(5_000);
    expect(tokenExpiresAt(t!).getTime() - t!.signedAt.getTime()).toBe(900_000);
  });

  it("keeps the session token of temporary credentials", async () => {
    const token = await getToken({ credentials: temp, region: "us-east-1" });
    const t = parseShortTermToken(token)!;
    expect(t.securityToken).toBe(temp.sessionToken);
    expect(t.expiresSeconds).toBe(43_200);
  });

  it("rejects strings that are not short-term keys", () => {
    expect(parseShortTermToken("ABSKQmVkcm9ja0FQSUtleS1uMTU4")).toBeNull();
    expect(parseShortTermToken("bedrock-api-key-!!!")).toBeNull();
    expect(parseShortTermToken(SHORT_TERM_PREFIX + Buffer.from("example.com/?Action=CallWithBearerToken&Version=1").toString("base64"))).toBeNull();
  });

  it("rejects a token without the Version=1 suffix", async () => {
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    expect(parseShortTermToken(rewrite(token, (u) => u.replace("&Version=1", "")))).toBeNull();
  });
});

describe("short-term token signature", () => {
  it("verifies a genuine token with the signer's secret", async () => {
    const t = parseShortTermToken(await getToken({ credentials: creds, region: "us-west-2" }))!;
    expect(await verifyShortTermSignature(t, creds)).toBe(true);
  });

  it("verifies a token signed with temporary credentials only with the same session token", async () => {
    const t = parseShortTermToken(await getToken({ credentials: temp, region: "us-east-1" }))!;
    expect(await verifyShortTermSignature(t, temp)).toBe(true);
    expect(await verifyShortTermSignature(t, { ...temp, sessionToken: "other" })).toBe(false);
  });

  it("fails with another secret", async () => {
    const t = parseShortTermToken(await getToken({ credentials: creds, region: "us-east-1" }))!;
    expect(await verifyShortTermSignature(t, { ...creds, secretAccessKey: creds.secretAccessKey.replace("EXAMPLE", "ELPMAXE") })).toBe(false);
  });

  it("fails when any signed part is changed", async () => {
    const token = await getToken({ credentials: creds, region: "us-east-1", expiresInSeconds: 60 });
    const longer = parseShortTermToken(rewrite(token, (u) => u.replace("X-Amz-Expires=60", "X-Amz-Expires=43200")))!;
    expect(await verifyShortTermSignature(longer, creds)).toBe(false);
    const region = parseShortTermToken(rewrite(token, (u) => u.replace("%2Fus-east-1%2F", "%2Fus-west-2%2F")))!;
    expect(region.region).toBe("us-west-2");
    expect(await verifyShortTermSignature(region, creds)).toBe(false);
    const sig = parseShortTermToken(rewrite(token, (u) => u.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`)))!;
    expect(await verifyShortTermSignature(sig, creds)).toBe(false);
  });
});
