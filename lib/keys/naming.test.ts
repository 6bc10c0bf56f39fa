import { describe, expect, it } from "vitest";
import { iamUserNameFor, keySlug, randomSuffix } from "./naming";

describe("IAM user names", () => {
  it("slugs names to IAM-safe ASCII", () => {
    expect(keySlug("Checkout – prod")).toBe("checkout-prod");
    expect(keySlug("Café Ünïcode")).toBe("cafe-unicode");
    expect(keySlug("日本語だけ")).toBe("key");
    expect(keySlug("---")).toBe("key");
  });

  it("stays within IAM's 64 characters and pattern", () => {
    const name = iamUserNameFor("a very long key name ".repeat(10), "ab12");
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^BedrockAPIKey-[a-z0-9-]+-ab12$/);
    expect(name).not.toMatch(/--/);
    expect(iamUserNameFor("Support bot", "zz99")).toBe("BedrockAPIKey-support-bot-zz99");
  });

  it("adds four random characters", () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomSuffix()));
    for (const s of seen) expect(s).toMatch(/^[a-z0-9]{4}$/);
    expect(seen.size).toBeGreaterThan(40);
  });
});
