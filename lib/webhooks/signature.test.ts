import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./deliver";
import { webhookHost, webhookFormSchema } from "./schema";
import { signPayload, verifySignature, webhookHeaders } from "./signature";

describe("webhook signatures", () => {
  it("sign timestamp.body with HMAC-SHA256 and verify only the exact body, time and secret", () => {
    const body = '{"event":"request.submitted"}';
    const sig = signPayload("s3cret-s3cret-s3cret", 1_700_000_000, body);
    expect(sig).toBe(`sha256=${createHmac("sha256", "s3cret-s3cret-s3cret").update(`1700000000.${body}`).digest("hex")}`);
    expect(verifySignature("s3cret-s3cret-s3cret", 1_700_000_000, body, sig)).toBe(true);
    expect(verifySignature("s3cret-s3cret-s3cret", 1_700_000_001, body, sig)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", 1_700_000_000, `${body} `, sig)).toBe(false);
    expect(verifySignature("other-secret-value!!", 1_700_000_000, body, sig)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", 1_700_000_000, body, null)).toBe(false);
  });

  it("send no signature header without a secret", () => {
    const headers = webhookHeaders({ secret: null, timestamp: 1, body: "{}", event: "e", deliveryId: "d" });
    expect(headers).not.toHaveProperty("X-BKC-Signature");
    expect(headers).toMatchObject({ "X-BKC-Event": "e", "X-BKC-Delivery": "d", "X-BKC-Timestamp": "1", "Content-Type": "application/json" });
  });
});

describe("webhook settings form", () => {
  it("accepts http(s) URLs, an empty URL (off) and secrets of 16+ characters", () => {
    expect(webhookFormSchema.parse({ version: "0", url: "", secret: "" })).toEqual({ version: 0, url: undefined, secret: undefined, clearSecret: false });
    expect(webhookFormSchema.parse({ version: "1", url: " https://chat.example.com/hook ", secret: "x".repeat(16), clearSecret: "on" })).toMatchObject({
      url: "https://chat.example.com/hook",
      clearSecret: true,
    });
    for (const url of ["ftp://example.com/", "javascript:alert(1)", "not a url"]) {
      expect(webhookFormSchema.safeParse({ version: "0", url }).error?.issues[0]?.message).toBe("field.webhookUrl");
    }
    expect(webhookFormSchema.safeParse({ version: "0", url: "https://x.example", secret: "short" }).success).toBe(false);
  });

  it("logs and audits the host only (chat tools put tokens in the path)", () => {
    expect(webhookHost("https://hooks.example.com/services/T000/B000/XXXXSECRET")).toBe("hooks.example.com");
    expect(webhookHost(null)).toBeNull();
  });

  it("backs off exponentially", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
  });
});
