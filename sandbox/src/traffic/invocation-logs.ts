/**
 * Invocation-log records to go with synthetic CloudTrail records (bulk traffic): the same
 * requestId, identity, region, operation, model and inference region, with token counts drawn
 * per model family the way real workloads spread (long-tailed inputs, chat-sized outputs, prompt
 * caching on part of the Claude traffic). Drawn from the record's requestID, so the same record
 * always gets the same counts and the CloudTrail generator's seeded sequence is untouched.
 */
import type { InvocationFacts } from "../bedrock/invocation-log.js";
import { type ModelFamily, MODELS, stableHash } from "../bedrock/models.js";
import { createRng, type Rng } from "./rng.js";

/** Operations model invocation logging covers: bedrock-runtime only (not bedrock-mantle). */
const LOGGED = new Set(["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream", "CreateChatCompletion", "CreateResponse"]);

/** Median input and output tokens per call, and the share of calls reading a prompt cache. */
const PROFILE: Record<ModelFamily, { input: number; output: number; cacheShare: number }> = {
  anthropic: { input: 2200, output: 450, cacheShare: 0.3 },
  nova: { input: 900, output: 280, cacheShare: 0.1 },
  meta: { input: 700, output: 320, cacheShare: 0 },
  titan: { input: 350, output: 180, cacheShare: 0 },
  mistral: { input: 800, output: 300, cacheShare: 0 },
};

/** Log-normal around a median (sigma ~0.9): most calls near it, a long tail of big prompts. */
function around(rng: Rng, median: number, min: number, max: number): number {
  const u1 = Math.max(rng.next(), 1e-9);
  const u2 = rng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(0.9 * z))));
}

export function familyOf(modelId: string): ModelFamily | undefined {
  const base = modelId.replace(/^arn:aws:bedrock:[^/]+\//, "").replace(/^(us|eu|apac|global)\./, "");
  return MODELS.find((m) => m.id === base)?.family;
}

/** Token counts for one call (cache counters only for families that report them). */
export function drawUsage(requestId: string, family: ModelFamily, operation: string): InvocationFacts["usage"] {
  const rng = createRng(stableHash(`usage|${requestId}`));
  const p = PROFILE[family];
  const inputTokens = around(rng, p.input, 12, 120_000);
  const outputTokens = around(rng, operation.includes("Stream") ? p.output * 1.4 : p.output, 1, 8192);
  if (family !== "anthropic" && family !== "nova") return { inputTokens, outputTokens };
  const reads = rng.chance(p.cacheShare);
  const writes = !reads && rng.chance(p.cacheShare / 3);
  return {
    inputTokens,
    outputTokens,
    cacheReadInputTokens: reads ? around(rng, 6000, 1024, 100_000) : 0,
    cacheWriteInputTokens: writes ? around(rng, 6000, 1024, 100_000) : 0,
  };
}

interface TrailLike {
  eventSource?: unknown;
  eventName?: unknown;
  eventTime?: unknown;
  awsRegion?: unknown;
  requestID?: unknown;
  errorCode?: unknown;
  userIdentity?: { arn?: unknown };
  requestParameters?: { modelId?: unknown } | null;
  additionalEventData?: { inferenceRegion?: unknown };
}

/** The invocation facts for a CloudTrail record of a successful runtime call, else null. */
export function invocationFactsFor(record: TrailLike): InvocationFacts | null {
  if (record.eventSource !== "bedrock.amazonaws.com" || typeof record.eventName !== "string" || !LOGGED.has(record.eventName)) return null;
  if (record.errorCode) return null;
  const modelId = record.requestParameters?.modelId;
  const arn = record.userIdentity?.arn;
  if (typeof modelId !== "string" || typeof arn !== "string" || typeof record.requestID !== "string" || typeof record.awsRegion !== "string" || typeof record.eventTime !== "string") return null;
  const family = familyOf(modelId);
  if (!family) return null;
  const inferenceRegion = record.additionalEventData?.inferenceRegion;
  return {
    identityArn: arn,
    region: record.awsRegion,
    requestId: record.requestID,
    operation: record.eventName,
    modelId,
    timestamp: new Date(record.eventTime),
    ...(typeof inferenceRegion === "string" ? { inferenceRegion } : {}),
    usage: drawUsage(record.requestID, family, record.eventName),
  };
}
