/**
 * Converse / ConverseStream: request validation with Bedrock's messages, and the response shapes
 * of the Converse API (JSON body, or the ConverseStream events).
 */
import { encodeEvent } from "./event-stream.js";
import { type Generation, generateReply, padding, type PromptSummary, streamChunks } from "./generate.js";
import type { CatalogueModel } from "./models.js";

export class RequestValidationError extends Error {}

const oneError = (value: string, path: string, constraint: string) =>
  new RequestValidationError(`1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${constraint}`);

type Json = Record<string, unknown>;

export function parseJsonObject(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    throw new RequestValidationError("Malformed input request, please reformat your input and try again.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new RequestValidationError("Malformed input request, please reformat your input and try again.");
  }
  return parsed as Json;
}

/** Validates a Converse request body and reduces it to what the reply generator needs. */
export function parseConverseRequest(body: Buffer): PromptSummary {
  const req = parseJsonObject(body);
  const messages = req.messages;
  if (messages === undefined || messages === null) throw oneError("null", "messages", "Member must not be null");
  if (!Array.isArray(messages)) throw new RequestValidationError("Malformed input request, please reformat your input and try again.");
  if (messages.length === 0) {
    throw new RequestValidationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  }
  const texts: string[] = [];
  if (req.system !== undefined) {
    if (!Array.isArray(req.system)) throw new RequestValidationError("Malformed input request, please reformat your input and try again.");
    for (const block of req.system) texts.push(...blockTexts(block));
  }
  let lastUserText = "";
  let previousRole: string | undefined;
  messages.forEach((m: unknown, i: number) => {
    const msg = (m && typeof m === "object" ? m : {}) as Json;
    const role = msg.role;
    if (role !== "user" && role !== "assistant") {
      throw oneError(role === undefined ? "null" : `'${String(role)}'`, `messages.${i + 1}.member.role`, "Member must satisfy enum value set: [user, assistant]");
    }
    if (i === 0 && role !== "user") {
      throw new RequestValidationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    }
    if (role === previousRole) {
      throw new RequestValidationError(
        "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
      );
    }
    previousRole = role;
    if (!Array.isArray(msg.content)) throw oneError("null", `messages.${i + 1}.member.content`, "Member must not be null");
    const own = msg.content.flatMap((b: unknown) => blockTexts(b));
    texts.push(...own);
    if (role === "user") lastUserText = own.join("\n");
  });
  const summary: PromptSummary = { texts, messageCount: messages.length, lastUserText };
  const cfg = req.inferenceConfig;
  if (cfg !== undefined && cfg !== null) {
    if (typeof cfg !== "object") throw new RequestValidationError("Malformed input request, please reformat your input and try again.");
    const { maxTokens, temperature, topP } = cfg as Json;
    if (maxTokens !== undefined) {
      if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
        throw oneError(`'${String(maxTokens)}'`, "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
      }
      summary.maxTokens = maxTokens;
    }
    for (const [name, v] of [["temperature", temperature], ["topP", topP]] as const) {
      if (v !== undefined && (typeof v !== "number" || v < 0 || v > 1)) {
        throw oneError(`'${String(v)}'`, `inferenceConfig.${name}`, "Member must have value less than or equal to 1");
      }
    }
  }
  return summary;
}

/** Text of a content block; non-text blocks (images, documents, tool results) count by size. */
function blockTexts(block: unknown): string[] {
  if (!block || typeof block !== "object") return [];
  const b = block as Json;
  if (typeof b.text === "string") return [b.text];
  return [JSON.stringify(b)];
}

function usageOf(model: CatalogueModel, g: Generation): Json {
  return {
    inputTokens: g.inputTokens,
    outputTokens: g.outputTokens,
    totalTokens: g.inputTokens + g.outputTokens,
    // Anthropic models report prompt-cache counters (zero without cache points), as in the seed.
    ...(model.family === "anthropic" ? { cacheReadInputTokens: 0, cacheWriteInputTokens: 0 } : {}),
  };
}

export function converseResponse(model: CatalogueModel, g: Generation): Json {
  return {
    output: { message: { role: "assistant", content: [{ text: g.text }] } },
    stopReason: g.stopReason,
    usage: usageOf(model, g),
    metrics: { latencyMs: g.latencyMs },
  };
}

/** The ConverseStream event sequence, already framed. */
export function converseStreamFrames(model: CatalogueModel, g: Generation): Buffer[] {
  const frames: Buffer[] = [encodeEvent("messageStart", { p: padding("start" + g.text), role: "assistant" })];
  streamChunks(g.text).forEach((text, i) => {
    frames.push(encodeEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text }, p: padding(`${i}${text}`) }));
  });
  frames.push(encodeEvent("contentBlockStop", { contentBlockIndex: 0, p: padding("stop" + g.text) }));
  frames.push(encodeEvent("messageStop", { p: padding("mstop" + g.text), stopReason: g.stopReason }));
  frames.push(encodeEvent("metadata", { metrics: { latencyMs: g.latencyMs }, p: padding("meta" + g.text), usage: usageOf(model, g) }));
  return frames;
}

export function converse(model: CatalogueModel, body: Buffer): Generation {
  return generateReply(model.id, parseConverseRequest(body));
}
