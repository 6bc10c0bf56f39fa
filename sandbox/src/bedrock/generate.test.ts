import { describe, expect, it } from "vitest";
import { GREETING_REPLY, generateReply, streamChunks, tokensFor } from "./generate.js";

const prompt = (text: string, maxTokens?: number) => ({ texts: [text], messageCount: 1, lastUserText: text, ...(maxTokens ? { maxTokens } : {}) });

describe("deterministic replies", () => {
  it("matches the seed's numbers for Hello", () => {
    expect(generateReply("m", prompt("Hello"))).toMatchObject({ text: GREETING_REPLY, inputTokens: 8, outputTokens: 21, stopReason: "end_turn" });
  });

  it("is stable per prompt and model, and varies between prompts", () => {
    const a = generateReply("anthropic.x", prompt("Write a haiku about IAM"));
    expect(generateReply("anthropic.x", prompt("Write a haiku about IAM"))).toEqual(a);
    expect(a.text).toContain("Write a haiku about IAM");
    const texts = new Set(["a", "bb", "ccc", "dddd", "eeeee", "ffffff"].map((t) => generateReply("m", prompt(`topic ${t}`)).text.slice(0, 20)));
    expect(texts.size).toBeGreaterThan(1);
  });

  it("grows input tokens with the prompt, about four characters per token", () => {
    const long = "x".repeat(4000);
    expect(generateReply("m", prompt(long)).inputTokens).toBe(1000 + 6);
    expect(tokensFor("")).toBe(0);
    expect(tokensFor("abcde")).toBe(2);
  });

  it("stops at maxTokens", () => {
    const g = generateReply("m", prompt("Explain cross-region inference in detail", 5));
    expect(g).toMatchObject({ stopReason: "max_tokens", outputTokens: 5 });
    expect(g.text.length).toBeLessThanOrEqual(12);
  });

  it("streams the whole text in order", () => {
    const chunks = streamChunks(GREETING_REPLY);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join("")).toBe(GREETING_REPLY);
  });
});
