/**
 * The OpenAI-compatible (Chat Completions, Responses) and Anthropic Messages request and answer
 * formats, as Bedrock serves them on `bedrock-runtime` (`/openai/v1/…`) and `bedrock-mantle`
 * (`/v1/…`, `/anthropic/v1/messages`). Requests are validated and reduced to the same
 * PromptSummary the Converse/Invoke paths use, so one deterministic generator (generate.ts)
 * answers every door with the same text and token counts for the same prompt.
 */
import { createHash } from "node:crypto";
import { type Generation, type PromptSummary, streamChunks } from "./generate.js";

type Json = Record<string, unknown>;

/** A request the API refuses (400), with the API's own wording and the offending parameter. */
export class CompatValidationError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export type CompatApi = "chat.completions" | "responses" | "messages";

export interface CompatRequest {
  api: CompatApi;
  model: string;
  stream: boolean;
  prompt: PromptSummary;
  /** Chat Completions: `stream_options.include_usage`. */
  includeUsage: boolean;
  raw: Json;
}

function parseBody(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8") || "null");
  } catch {
    throw new CompatValidationError("We could not parse the JSON body of your request. The body must be a valid JSON object.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CompatValidationError("The request body must be a JSON object.");
  }
  return parsed as Json;
}

const missing = (param: string) => new CompatValidationError(`Missing required parameter: '${param}'.`, param);

function requireModel(req: Json): string {
  if (req.model === undefined || req.model === null) throw missing("model");
  if (typeof req.model !== "string" || req.model.trim() === "") throw new CompatValidationError("Invalid type for 'model': expected a string.", "model");
  return req.model;
}

function optionalPositiveInt(req: Json, key: string): number | undefined {
  const v = req[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new CompatValidationError(`Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${JSON.stringify(v)} instead.`, key);
  }
  return v;
}

/** Text of OpenAI/Anthropic message content: a string, or parts with `text`. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : JSON.stringify(content);
  return content
    .map((p) => (p && typeof p === "object" && typeof (p as Json).text === "string" ? ((p as Json).text as string) : JSON.stringify(p)))
    .join("\n");
}

function summarise(messages: unknown[], extraTexts: string[], maxTokens: number | undefined): PromptSummary {
  const texts = [...extraTexts];
  let lastUserText = "";
  let count = 0;
  for (const m of messages) {
    const msg = (m && typeof m === "object" ? m : {}) as Json;
    const text = contentText(msg.content);
    if (msg.role === "system" || msg.role === "developer") {
      texts.push(text);
      continue;
    }
    texts.push(text);
    count += 1;
    if (msg.role === "user") lastUserText = text;
  }
  return { texts, messageCount: Math.max(1, count), lastUserText, ...(maxTokens !== undefined ? { maxTokens } : {}) };
}

const isStream = (req: Json) => req.stream === true;
const orNull = (v: unknown) => (v === undefined ? null : v);

export function parseChatCompletions(body: Buffer): CompatRequest {
  const req = parseBody(body);
  const model = requireModel(req);
  if (req.messages === undefined || req.messages === null) throw missing("messages");
  if (!Array.isArray(req.messages)) throw new CompatValidationError("Invalid type for 'messages': expected an array.", "messages");
  if (req.messages.length === 0) throw new CompatValidationError("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages");
  req.messages.forEach((m: unknown, i: number) => {
    const role = m && typeof m === "object" ? (m as Json).role : undefined;
    if (!["system", "developer", "user", "assistant", "tool"].includes(String(role))) {
      throw new CompatValidationError(`Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`);
    }
  });
  const maxTokens = optionalPositiveInt(req, "max_completion_tokens") ?? optionalPositiveInt(req, "max_tokens");
  const opts = req.stream_options && typeof req.stream_options === "object" ? (req.stream_options as Json) : {};
  return {
    api: "chat.completions",
    model,
    stream: isStream(req),
    prompt: summarise(req.messages, [], maxTokens),
    includeUsage: opts.include_usage === true,
    raw: req,
  };
}

export function parseResponses(body: Buffer): CompatRequest {
  const req = parseBody(body);
  const model = requireModel(req);
  if (req.input === undefined || req.input === null) throw missing("input");
  const instructions = typeof req.instructions === "string" ? [req.instructions] : [];
  let prompt: PromptSummary;
  const maxTokens = optionalPositiveInt(req, "max_output_tokens");
  if (typeof req.input === "string") {
    prompt = { texts: [...instructions, req.input], messageCount: 1, lastUserText: req.input, ...(maxTokens !== undefined ? { maxTokens } : {}) };
  } else if (Array.isArray(req.input)) {
    if (req.input.length === 0) throw new CompatValidationError("Invalid 'input': empty array.", "input");
    // Items without a role (function outputs, references) still count towards input tokens.
    const items = req.input.map((it: unknown) => (it && typeof it === "object" && (it as Json).role ? it : { role: "user", content: it }));
    prompt = summarise(items, instructions, maxTokens);
  } else {
    throw new CompatValidationError("Invalid type for 'input': expected a string or an array of input items.", "input");
  }
  return {
    api: "responses",
    model,
    stream: isStream(req),
    prompt,
    includeUsage: true,
    raw: req,
  };
}

export function parseMessages(body: Buffer): CompatRequest {
  const req = parseBody(body);
  if (req.model === undefined || req.model === null) throw new CompatValidationError("model: Field required", "model");
  if (typeof req.model !== "string") throw new CompatValidationError("model: Input should be a valid string", "model");
  if (req.max_tokens === undefined || req.max_tokens === null) throw new CompatValidationError("max_tokens: Field required", "max_tokens");
  if (typeof req.max_tokens !== "number" || !Number.isInteger(req.max_tokens) || req.max_tokens < 1) {
    throw new CompatValidationError("max_tokens: Input should be greater than or equal to 1", "max_tokens");
  }
  if (!Array.isArray(req.messages)) throw new CompatValidationError("messages: Field required", "messages");
  if (req.messages.length === 0) throw new CompatValidationError("messages: at least one message is required", "messages");
  req.messages.forEach((m: unknown, i: number) => {
    const role = m && typeof m === "object" ? (m as Json).role : undefined;
    if (role !== "user" && role !== "assistant") throw new CompatValidationError(`messages.${i}.role: Input should be 'user' or 'assistant'`, `messages.${i}.role`);
  });
  const system = req.system === undefined ? [] : [contentText(req.system)];
  return {
    api: "messages",
    model: req.model,
    stream: isStream(req),
    prompt: summarise(req.messages, system, req.max_tokens),
    includeUsage: true,
    raw: req,
  };
}

/**
 * The documented CloudTrail request parameters of a call, read leniently from whatever body was
 * sent, so a call refused before its body is validated (a disabled key, a denied bearer token)
 * is still recorded with its model and with the key set that tells its route apart.
 */
export function trailParameters(api: CompatApi, body: Buffer): Json {
  let req: Json = {};
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) req = parsed as Json;
  } catch {
    /* nothing readable: the keys are recorded as null */
  }
  const model = typeof req.model === "string" ? req.model : null;
  const stream = req.stream === true;
  switch (api) {
    case "chat.completions":
      return { model, stream, service_tier: orNull(req.service_tier), metadata: orNull(req.metadata) };
    case "responses":
      return { model, previousResponse: orNull(req.previous_response_id), stream, service_tier: orNull(req.service_tier), metadata: orNull(req.metadata) };
    case "messages":
      return { model, stream, max_tokens: orNull(req.max_tokens) };
  }
}

/** Ids derived from the request id, so one request's answer is reproducible. */
function idFrom(requestId: string, prefix: string, length = 24): string {
  return prefix + createHash("sha256").update(requestId).digest("hex").slice(0, length);
}

const finishReason = (g: Generation) => (g.stopReason === "max_tokens" ? "length" : "stop");

// ---- Chat Completions -------------------------------------------------------------------------

function chatUsage(g: Generation): Json {
  return { prompt_tokens: g.inputTokens, completion_tokens: g.outputTokens, total_tokens: g.inputTokens + g.outputTokens };
}

export function chatCompletion(model: string, g: Generation, requestId: string, created: number): Json {
  return {
    id: idFrom(requestId, "chatcmpl-"),
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: g.text, refusal: null }, logprobs: null, finish_reason: finishReason(g) }],
    usage: chatUsage(g),
  };
}

/** The `data:` payloads of a streamed chat completion, without the closing `[DONE]`. */
export function chatCompletionChunks(model: string, g: Generation, requestId: string, created: number, includeUsage: boolean): Json[] {
  const base = { id: idFrom(requestId, "chatcmpl-"), object: "chat.completion.chunk", created, model };
  const usage = includeUsage ? { usage: null } : {};
  const chunks: Json[] = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }], ...usage }];
  for (const text of streamChunks(g.text)) {
    chunks.push({ ...base, choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }], ...usage });
  }
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(g) }], ...usage });
  // With stream_options.include_usage, OpenAI sends the usage in one more chunk with no choices.
  if (includeUsage) chunks.push({ ...base, choices: [], usage: chatUsage(g) });
  return chunks;
}

// ---- Responses --------------------------------------------------------------------------------

function responseObject(model: string, g: Generation, req: Json, requestId: string, createdAt: number, status: "in_progress" | "completed"): Json {
  const done = status === "completed";
  const incomplete = done && g.stopReason === "max_tokens";
  return {
    id: idFrom(requestId, "resp_", 32),
    object: "response",
    created_at: createdAt,
    status: incomplete ? "incomplete" : status,
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    instructions: orNull(req.instructions),
    max_output_tokens: orNull(req.max_output_tokens),
    model,
    output: done ? [outputMessage(g, requestId, "completed")] : [],
    parallel_tool_calls: true,
    previous_response_id: orNull(req.previous_response_id),
    temperature: typeof req.temperature === "number" ? req.temperature : 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: typeof req.top_p === "number" ? req.top_p : 1,
    truncation: "disabled",
    usage: done
      ? {
          input_tokens: g.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: g.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: g.inputTokens + g.outputTokens,
        }
      : null,
    metadata: req.metadata && typeof req.metadata === "object" ? req.metadata : {},
  };
}

function outputMessage(g: Generation, requestId: string, status: "in_progress" | "completed"): Json {
  return {
    id: idFrom(requestId, "msg_", 32),
    type: "message",
    status,
    role: "assistant",
    content: status === "completed" ? [{ type: "output_text", text: g.text, annotations: [] }] : [],
  };
}

export function responsesResponse(model: string, g: Generation, req: Json, requestId: string, createdAt: number): Json {
  return responseObject(model, g, req, requestId, createdAt, "completed");
}

/** The Responses API's streaming events, in order (each one SSE message `event: <type>`). */
export function responsesEvents(model: string, g: Generation, req: Json, requestId: string, createdAt: number): Json[] {
  const itemId = idFrom(requestId, "msg_", 32);
  const events: Json[] = [];
  const push = (e: Json) => events.push({ ...e, sequence_number: events.length });
  const pending = responseObject(model, g, req, requestId, createdAt, "in_progress");
  push({ type: "response.created", response: pending });
  push({ type: "response.in_progress", response: pending });
  push({ type: "response.output_item.added", output_index: 0, item: outputMessage(g, requestId, "in_progress") });
  push({ type: "response.content_part.added", item_id: itemId, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
  for (const delta of streamChunks(g.text)) {
    push({ type: "response.output_text.delta", item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] });
  }
  push({ type: "response.output_text.done", item_id: itemId, output_index: 0, content_index: 0, text: g.text, logprobs: [] });
  push({ type: "response.content_part.done", item_id: itemId, output_index: 0, content_index: 0, part: { type: "output_text", text: g.text, annotations: [] } });
  push({ type: "response.output_item.done", output_index: 0, item: outputMessage(g, requestId, "completed") });
  const final = responseObject(model, g, req, requestId, createdAt, "completed");
  push({ type: final.status === "incomplete" ? "response.incomplete" : "response.completed", response: final });
  return events;
}

// ---- Anthropic Messages -----------------------------------------------------------------------

function anthropicUsage(g: Generation, outputTokens = g.outputTokens): Json {
  return { input_tokens: g.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens };
}

export function anthropicMessage(model: string, g: Generation, requestId: string): Json {
  return {
    id: idFrom(requestId, "msg_bdrk_", 24),
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: g.text }],
    stop_reason: g.stopReason,
    stop_sequence: null,
    usage: anthropicUsage(g),
  };
}

/** Anthropic's SSE event sequence: message_start … content_block_delta … message_stop. */
export function anthropicEvents(model: string, g: Generation, requestId: string): Json[] {
  const start = { ...anthropicMessage(model, g, requestId), content: [], stop_reason: null, usage: anthropicUsage(g, 1) };
  return [
    { type: "message_start", message: start },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "ping" },
    ...streamChunks(g.text).map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
    { type: "content_block_stop", index: 0 },
    { type: "message_delta", delta: { stop_reason: g.stopReason, stop_sequence: null }, usage: { output_tokens: g.outputTokens } },
    { type: "message_stop" },
  ];
}
