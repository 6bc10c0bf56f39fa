/**
 * InvokeModel / InvokeModelWithResponseStream: each model family has its own native request and
 * response body (Anthropic Messages, Llama, Titan Text, Nova, Mistral). The sandbox validates the
 * required keys with Bedrock's "Malformed input request" wording and answers in the family's shape.
 */
import { RequestValidationError, parseJsonObject } from "./converse.js";
import { encodeEvent } from "./event-stream.js";
import { type Generation, generateReply, padding, type PromptSummary, streamChunks } from "./generate.js";
import type { CatalogueModel, ModelFamily } from "./models.js";

type Json = Record<string, unknown>;

const malformed = (detail: string) =>
  new RequestValidationError(`Malformed input request: ${detail}, please reformat your input and try again.`);

function requireKeys(req: Json, keys: readonly string[]): void {
  for (const key of keys) if (req[key] === undefined) throw malformed(`#: required key [${key}] not found`);
}

function optionalInt(req: Json, key: string, path = `#/${key}`): number | undefined {
  const v = req[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw malformed(`${path}: expected type: Integer, found: ${typeName(v)}`);
  if (v < 1) throw malformed(`${path}: ${v} is not greater or equal to 1`);
  return v;
}

const typeName = (v: unknown) => (v === null ? "Null" : Array.isArray(v) ? "JSONArray" : typeof v === "string" ? "String" : typeof v === "object" ? "JSONObject" : "Number");

/** Text of Anthropic/Nova message content: a string, or blocks with `text`. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (b && typeof b === "object" && typeof (b as Json).text === "string" ? (b as Json).text : JSON.stringify(b))).join("\n");
}

function messagesSummary(messages: unknown, system: unknown, maxTokens: number | undefined): PromptSummary {
  if (!Array.isArray(messages)) throw malformed(`#/messages: expected type: JSONArray, found: ${typeName(messages)}`);
  if (messages.length === 0) throw malformed("#/messages: expected minimum item count: 1, found: 0");
  const texts: string[] = system === undefined ? [] : [contentText(system)];
  let lastUserText = "";
  for (const m of messages) {
    const msg = (m && typeof m === "object" ? m : {}) as Json;
    const text = contentText(msg.content);
    texts.push(text);
    if (msg.role === "user") lastUserText = text;
  }
  return { texts, messageCount: messages.length, lastUserText, ...(maxTokens !== undefined ? { maxTokens } : {}) };
}

/** Raw prompts carry chat-template markers (`<s>[INST]`, `<|begin_of_text|>`); the topic is the text between. */
function promptSummary(prompt: unknown, maxTokens: number | undefined): PromptSummary {
  if (typeof prompt !== "string") throw malformed(`#/prompt: expected type: String, found: ${typeName(prompt)}`);
  const cleaned = prompt.replace(/<\|[^|]*\|>|<\/?s>|\[\/?INST\]|^\s*(user|assistant)\s*$/gim, " ").replace(/\s+/g, " ").trim();
  return { texts: [prompt], messageCount: 1, lastUserText: cleaned, ...(maxTokens !== undefined ? { maxTokens } : {}) };
}

interface FamilyAdapter {
  parse(req: Json): PromptSummary;
  body(model: CatalogueModel, g: Generation, requestId: string): Json;
  /** Native chunk objects for the streaming variant (before base64 wrapping). */
  chunks(model: CatalogueModel, g: Generation, requestId: string): Json[];
}

const metrics = (g: Generation) => ({
  "amazon-bedrock-invocationMetrics": {
    inputTokenCount: g.inputTokens,
    outputTokenCount: g.outputTokens,
    invocationLatency: g.latencyMs,
    firstByteLatency: Math.min(g.latencyMs, 180 + (g.latencyMs % 120)),
  },
});

const finished = (g: Generation, end: string, cut: string) => (g.stopReason === "max_tokens" ? cut : end);

const ADAPTERS: Record<ModelFamily, FamilyAdapter> = {
  anthropic: {
    parse(req) {
      requireKeys(req, ["messages", "max_tokens", "anthropic_version"]);
      return messagesSummary(req.messages, req.system, optionalInt(req, "max_tokens"));
    },
    body(model, g, requestId) {
      return {
        id: anthropicMessageId(requestId),
        type: "message",
        role: "assistant",
        model: anthropicModelName(model.id),
        content: [{ type: "text", text: g.text }],
        stop_reason: g.stopReason,
        stop_sequence: null,
        usage: { input_tokens: g.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: g.outputTokens },
      };
    },
    chunks(model, g, requestId) {
      return [
        {
          type: "message_start",
          message: {
            id: anthropicMessageId(requestId),
            type: "message",
            role: "assistant",
            model: anthropicModelName(model.id),
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: g.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
          },
        },
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        ...streamChunks(g.text).map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: g.stopReason, stop_sequence: null }, usage: { output_tokens: g.outputTokens } },
        { type: "message_stop", ...metrics(g) },
      ];
    },
  },
  meta: {
    parse: (req) => (requireKeys(req, ["prompt"]), promptSummary(req.prompt, optionalInt(req, "max_gen_len"))),
    body: (_m, g) => ({
      generation: g.text,
      prompt_token_count: g.inputTokens,
      generation_token_count: g.outputTokens,
      stop_reason: finished(g, "stop", "length"),
    }),
    chunks(_m, g) {
      const parts = streamChunks(g.text);
      return parts.map((generation, i) => {
        const last = i === parts.length - 1;
        return {
          generation,
          prompt_token_count: i === 0 ? g.inputTokens : null,
          generation_token_count: last ? g.outputTokens : Math.ceil(((i + 1) * g.outputTokens) / parts.length),
          stop_reason: last ? finished(g, "stop", "length") : null,
          ...(last ? metrics(g) : {}),
        };
      });
    },
  },
  titan: {
    parse(req) {
      requireKeys(req, ["inputText"]);
      const cfg = req.textGenerationConfig && typeof req.textGenerationConfig === "object" ? (req.textGenerationConfig as Json) : {};
      return promptSummary(req.inputText, optionalInt(cfg, "maxTokenCount", "#/textGenerationConfig/maxTokenCount"));
    },
    body: (_m, g) => ({
      inputTextTokenCount: g.inputTokens,
      results: [{ tokenCount: g.outputTokens, outputText: g.text, completionReason: finished(g, "FINISH", "LENGTH") }],
    }),
    chunks(_m, g) {
      const parts = streamChunks(g.text, 8);
      return parts.map((outputText, i) => {
        const last = i === parts.length - 1;
        return {
          outputText,
          index: 0,
          totalOutputTextTokenCount: last ? g.outputTokens : null,
          completionReason: last ? finished(g, "FINISH", "LENGTH") : null,
          inputTextTokenCount: i === 0 ? g.inputTokens : null,
          ...(last ? metrics(g) : {}),
        };
      });
    },
  },
  nova: {
    parse(req) {
      requireKeys(req, ["messages"]);
      const cfg = req.inferenceConfig && typeof req.inferenceConfig === "object" ? (req.inferenceConfig as Json) : {};
      return messagesSummary(req.messages, req.system, optionalInt(cfg, "max_new_tokens", "#/inferenceConfig/max_new_tokens"));
    },
    body: (_m, g) => ({
      output: { message: { content: [{ text: g.text }], role: "assistant" } },
      stopReason: g.stopReason,
      usage: { inputTokens: g.inputTokens, outputTokens: g.outputTokens, totalTokens: g.inputTokens + g.outputTokens, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
    }),
    chunks: (_m, g) => [
      { messageStart: { role: "assistant" } },
      ...streamChunks(g.text).map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: g.stopReason } },
      { metadata: { usage: { inputTokens: g.inputTokens, outputTokens: g.outputTokens }, metrics: {}, trace: {} }, ...metrics(g) },
    ],
  },
  mistral: {
    parse: (req) => (requireKeys(req, ["prompt"]), promptSummary(req.prompt, optionalInt(req, "max_tokens"))),
    body: (_m, g) => ({ outputs: [{ text: g.text, stop_reason: finished(g, "stop", "length") }] }),
    chunks(_m, g) {
      const parts = streamChunks(g.text);
      return parts.map((text, i) => {
        const last = i === parts.length - 1;
        return { outputs: [{ text, stop_reason: last ? finished(g, "stop", "length") : null }], ...(last ? metrics(g) : {}) };
      });
    },
  },
};

/** `msg_bdrk_` + 24 characters derived from the request id, like Bedrock's Anthropic message ids. */
function anthropicMessageId(requestId: string): string {
  return "msg_bdrk_01" + Buffer.from(requestId.replace(/-/g, ""), "hex").toString("base64url").slice(0, 22);
}

function anthropicModelName(id: string): string {
  return id.replace(/^anthropic\./, "").replace(/-v\d+(:\d+)?$/, "");
}

export function invoke(model: CatalogueModel, body: Buffer): Generation {
  return generateReply(model.id, ADAPTERS[model.family].parse(parseJsonObject(body)));
}

export function invokeResponseBody(model: CatalogueModel, g: Generation, requestId: string): Json {
  return ADAPTERS[model.family].body(model, g, requestId);
}

/** InvokeModelWithResponseStream: `chunk` events whose `bytes` is the base64 of a native chunk. */
export function invokeStreamFrames(model: CatalogueModel, g: Generation, requestId: string): Buffer[] {
  return ADAPTERS[model.family].chunks(model, g, requestId).map((chunk, i) => {
    const bytes = Buffer.from(JSON.stringify(chunk), "utf8").toString("base64");
    return encodeEvent("chunk", { bytes, p: padding(`${requestId}${i}`) });
  });
}
