/**
 * Deterministic "model" output: the same prompt to the same model always gets the same answer,
 * token counts and latency, so tests and screenshots are stable. Token counts follow the rough
 * 4-characters-per-token rule, calibrated on the seed: "Hello" → 8 input tokens, and the
 * 75-character greeting below → 21 output tokens.
 */
import { stableHash } from "./models.js";

export const GREETING_REPLY = "Hi there! How are you doing today? Is there anything I can help you with?";

const GREETING = /^\s*(hello|hi|hey|good (morning|afternoon|evening)|こんにちは|안녕하세요|你好|hallo|bonjour|hola)\b[\s!.?]*$/iu;

const TEMPLATES = [
  (topic: string) =>
    `Here is a short answer about "${topic}". The key idea is to start from a small, working example, check it against your requirements, and then extend it step by step. Let me know if you want more detail on any part.`,
  (topic: string) =>
    `Good question. Regarding "${topic}": there are usually two or three reasonable approaches, and the best one depends on your constraints such as cost, latency and how much control you need. I can compare them in more depth if that helps.`,
  (topic: string) =>
    `Sure. To summarise "${topic}" in a few points: first, clarify the goal; second, gather the inputs you already have; third, validate the result before relying on it. Would you like an example?`,
  (topic: string) =>
    `I can help with that. "${topic}" can be approached by breaking it into smaller parts and handling each one separately. If you share more context, I can give a more specific answer.`,
];

/** Approximate tokens for a piece of text (never zero for non-empty text). */
export function tokensFor(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export interface PromptSummary {
  /** All system and message texts in order, for token counting. */
  texts: string[];
  messageCount: number;
  /** The latest user text: what the reply is about. */
  lastUserText: string;
  maxTokens?: number;
}

export interface Generation {
  text: string;
  stopReason: "end_turn" | "max_tokens";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
}

export function generateReply(modelId: string, prompt: PromptSummary): Generation {
  const inputTokens = prompt.texts.reduce((n, t) => n + tokensFor(t), 0) + 3 * prompt.messageCount + 3;
  const userText = prompt.lastUserText.trim();
  let text: string;
  if (userText === "" || GREETING.test(userText)) {
    text = GREETING_REPLY;
  } else {
    const topic = userText.replace(/\s+/g, " ").slice(0, 60) + (userText.length > 60 ? "…" : "");
    text = TEMPLATES[stableHash(`${modelId}\n${userText}`) % TEMPLATES.length]!(topic);
  }
  let outputTokens = tokensFor(text) + 2;
  let stopReason: Generation["stopReason"] = "end_turn";
  if (prompt.maxTokens !== undefined && outputTokens > prompt.maxTokens) {
    // Cut the text to roughly maxTokens tokens, as a real model would stop mid-sentence.
    text = text.slice(0, Math.max(0, prompt.maxTokens * 4 - 8)).trimEnd();
    outputTokens = prompt.maxTokens;
    stopReason = "max_tokens";
  }
  const latencyMs = 240 + outputTokens * 18 + (stableHash(`${modelId}|${text}`) % 160);
  return { text, stopReason, inputTokens, outputTokens, latencyMs };
}

/** Splits a reply into streaming deltas of a few words each, as models stream tokens. */
export function streamChunks(text: string, wordsPerChunk = 3): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(""));
  return chunks.length > 0 ? chunks : [text];
}

const PAD_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * Bedrock pads every streamed event with a `p` field of varying length so that payload sizes do
 * not leak the generated text's length; SDKs ignore it.
 */
export function padding(seed: string): string {
  return PAD_ALPHABET.slice(0, 1 + (stableHash(seed) % PAD_ALPHABET.length));
}
