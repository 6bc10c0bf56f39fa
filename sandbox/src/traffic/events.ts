/**
 * Synthetic CloudTrail records of Bedrock runtime calls, for volume: built by the same code that
 * records real calls (`runtimeCallRecord`), so they are identical in shape; only the values are
 * drawn (seeded) instead of coming from requests.
 */
import { denyMessage } from "../bedrock/authorize.js";
import type { BearerCaller } from "../bedrock/bearer.js";
import { invocableModelIds, INVALID_MODEL_MESSAGE, MODELS, parseModelId, resolveModel, stableHash } from "../bedrock/models.js";
import { MODEL_ACTION } from "../bedrock/runtime.js";
import { mantleCallRecord, type RuntimeOperation, runtimeCallRecord, runtimeOpenAiRecord } from "../bedrock/trail.js";
import type { CloudTrailRecord } from "../cloudtrail/record.js";
import { createState } from "../state.js";
import { callTimes, ipPool, MODEL_PREFERENCE, OPERATIONS, REGIONS, SDK_USER_AGENTS, type TrafficApi, USER_AGENTS } from "./profiles.js";
import { createRng, type Rng } from "./rng.js";

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export type SyntheticIdentity =
  | { type: "user"; userName: string; userId: string }
  | { type: "assumed-role"; roleName: string; roleId: string; sessionName: string; sourceIdentity?: string };

export interface EventGenOptions {
  /** Window of event times (default: the 30 days before `to`). */
  from?: Date | number;
  to?: Date | number;
  seed?: number;
  /** Who makes the calls (default: 12 console-style key users and a signer role with 4 people). */
  identities?: SyntheticIdentity[];
  /** Share of failed calls (default 0.06: denied models, invalid ids, throttling). */
  errorRate?: number;
  /** Doors by share, as for generateTraffic (default: the runtime's own APIs only). */
  apis?: readonly (readonly [TrafficApi, number])[];
}

export function defaultIdentities(rng: Rng): SyntheticIdentity[] {
  const users: SyntheticIdentity[] = Array.from({ length: 12 }, () => ({
    type: "user",
    userName: `BedrockAPIKey-${rng.chars("abcdefghijklmnopqrstuvwxyz0123456789", 4)}`,
    userId: "AIDA" + rng.chars(ID_CHARS, 17),
  }));
  const roleId = "AROA" + rng.chars(ID_CHARS, 17);
  const people: SyntheticIdentity[] = ["alice", "bob", "carol", "dave"].map((p) => ({
    type: "assumed-role",
    roleName: "BedrockShortTermKeySigner",
    roleId,
    sessionName: p,
    sourceIdentity: p,
  }));
  return [...users, ...people];
}

interface Persona {
  caller: (at: number) => BearerCaller;
  ips: string[];
  userAgent: string;
  weight: number;
}

function persona(rng: Rng, id: SyntheticIdentity, accountId: string): Persona {
  const ips = ipPool(rng, rng.int(1, 3));
  const userAgent = rng.weighted(USER_AGENTS);
  const weight = rng.int(1, 8);
  if (id.type === "user") {
    const principal = { type: "user" as const, userName: id.userName, arn: `arn:aws:iam::${accountId}:user/${id.userName}`, userId: id.userId };
    return { caller: () => ({ tokenType: "LONG_TERM", principal }), ips, userAgent, weight };
  }
  return {
    // A session per person and hour: the console assumes the role when it issues a token.
    caller(at) {
      const hour = Math.floor(at / 3_600_000);
      const issuedAt = new Date(hour * 3_600_000 + (stableHash(`${id.sessionName}${hour}`) % 600) * 1000);
      const accessKeyId = "ASIA" + Array.from({ length: 16 }, (_, i) => ID_CHARS[stableHash(`${id.sessionName}|${hour}|${i}`) % 32]).join("");
      return {
        tokenType: "SHORT_TERM",
        accessKeyId,
        tokenIssuedAt: issuedAt,
        principal: {
          type: "assumed-role",
          roleName: id.roleName,
          sessionName: id.sessionName,
          ...(id.sourceIdentity ? { sourceIdentity: id.sourceIdentity } : {}),
          arn: `arn:aws:sts::${accountId}:assumed-role/${id.roleName}/${id.sessionName}`,
          roleId: id.roleId,
          issuedAt: issuedAt.getTime() <= at ? issuedAt : new Date(at),
        },
      };
    },
    ips,
    userAgent,
    weight,
  };
}

export function pickModel(rng: Rng, region: string): string {
  const ids = invocableModelIds(region);
  const pattern = rng.weighted(MODEL_PREFERENCE);
  const matching = ids.filter((id) => pattern.test(id));
  return rng.pick(matching.length > 0 ? matching : ids);
}

/** Records one by one (constant memory apart from the sorted times), oldest first. */
export function* iterateEvents(n: number, opts: EventGenOptions = {}): Generator<CloudTrailRecord> {
  const rng = createRng(opts.seed ?? 1);
  const state = createState();
  const to = opts.to !== undefined ? new Date(opts.to).getTime() : Date.now();
  const from = opts.from !== undefined ? new Date(opts.from).getTime() : to - 30 * 86_400_000;
  const personas = (opts.identities ?? defaultIdentities(rng)).map((id) => persona(rng, id, state.accountId));
  const weighted = personas.map((p) => [p, p.weight] as const);
  const errorRate = opts.errorRate ?? 0.06;
  for (const at of callTimes(rng, n, from, to)) {
    const p = rng.weighted(weighted);
    const caller = p.caller(at);
    const region = rng.weighted(REGIONS);
    // Drawn only when asked for, so seeded runtime-only runs stay as they were.
    const api: TrafficApi = opts.apis ? rng.weighted(opts.apis) : "runtime";
    if (api !== "runtime") {
      const record = sdkDoorRecord(rng, state, api, caller, region, at, rng.chance(errorRate), rng.chance(0.95) ? rng.pick(p.ips) : ipPool(rng, 1)[0]!);
      record.eventID = rng.uuid();
      yield record;
      continue;
    }
    const operation: RuntimeOperation = rng.weighted(OPERATIONS);
    let modelId = pickModel(rng, region);
    let error: { code: string; message: string } | undefined;
    if (rng.chance(errorRate)) {
      const kind = rng.weighted([["deny", 6], ["invalid", 3], ["throttle", 1]] as const);
      if (kind === "invalid") {
        modelId = modelId.replace(/-v\d+(:\d+)?$/, "");
        error = { code: "ValidationException", message: INVALID_MODEL_MESSAGE };
      } else if (kind === "throttle") {
        error = THROTTLED;
      } else {
        const resource = parseModelId(modelId, region, state.accountId).resourceArn;
        error = { code: "AccessDeniedException", message: denyMessage(caller, [DENY_ALL], MODEL_ACTION[operation], resource, {})! };
      }
    }
    const target = parseModelId(modelId, region, state.accountId);
    const resolved = error ? undefined : resolveModel(target, region, (rs) => rs[stableHash(`${modelId}|${caller.principal.arn}|${Math.floor(at / 1000)}`) % rs.length]!);
    const record = runtimeCallRecord(state, {
      caller,
      operation,
      region,
      modelId,
      sourceIp: rng.chance(0.95) ? rng.pick(p.ips) : ipPool(rng, 1)[0]!,
      userAgent: p.userAgent,
      requestId: rng.uuid(),
      eventTime: new Date(at),
      ...(error ? { error } : resolved?.ok ? { inferenceRegion: resolved.inferenceRegion } : {}),
    });
    record.eventID = rng.uuid();
    yield record;
  }
}

const THROTTLED = { code: "ThrottlingException", message: "Too many requests, please wait before trying again." };
const DENY_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };

/**
 * A record of a call through an OpenAI- or Anthropic-compatible door, built by the same code as
 * live calls (runtimeOpenAiRecord, mantleCallRecord) with the parameters the SDKs send.
 */
function sdkDoorRecord(
  rng: Rng,
  state: ReturnType<typeof createState>,
  api: Exclude<TrafficApi, "runtime">,
  caller: BearerCaller,
  region: string,
  at: number,
  fails: boolean,
  sourceIp: string,
): CloudTrailRecord {
  const stream = rng.chance(0.25);
  const common = { caller, region, sourceIp, requestId: rng.uuid(), eventTime: new Date(at) };
  if (api === "runtime-chat" || api === "runtime-responses") {
    const modelId = pickModel(rng, region);
    const action = stream ? "bedrock:InvokeModelWithResponseStream" : "bedrock:InvokeModel";
    const error = fails
      ? rng.chance(0.8)
        ? { code: "AccessDeniedException", message: denyMessage(caller, [DENY_ALL], action, parseModelId(modelId, region, state.accountId).resourceArn, {})! }
        : THROTTLED
      : undefined;
    const target = parseModelId(modelId, region, state.accountId);
    const resolved = error ? undefined : resolveModel(target, region, (rs) => rs[stableHash(`${modelId}|${caller.principal.arn}|${Math.floor(at / 1000)}`) % rs.length]!);
    return runtimeOpenAiRecord(state, {
      ...common,
      operation: api === "runtime-chat" ? "CreateChatCompletion" : "CreateResponse",
      modelId,
      stream,
      userAgent: rng.weighted(SDK_USER_AGENTS.openai),
      ...(error ? { error } : resolved?.ok ? { inferenceRegion: resolved.inferenceRegion } : {}),
    });
  }
  const anthropic = api === "mantle-messages";
  const models = MODELS.filter((m) => !m.endOfLife && (m.family === "anthropic") === anthropic).map((m) => m.id);
  const model = rng.pick(models);
  const label = caller.principal.arn;
  const projectId = stableHash(label) % 2 === 0 ? `proj_${stableHash(`project|${label}`).toString(36)}` : "default";
  const projectArn = `arn:aws:bedrock-mantle:${region}:${state.accountId}:project/${projectId}`;
  const parameters =
    api === "mantle-messages"
      ? { model, stream, max_tokens: 512 }
      : api === "mantle-responses"
        ? { model, previousResponse: null, stream, service_tier: null, metadata: null }
        : { model, stream, service_tier: null, metadata: null };
  const error = fails
    ? rng.chance(0.8)
      ? { code: "AccessDeniedException", message: denyMessage(caller, [DENY_ALL], "bedrock-mantle:CreateInference", projectArn, {})! }
      : THROTTLED
    : undefined;
  return mantleCallRecord(state, {
    ...common,
    eventName: "CreateInference",
    userAgent: rng.weighted(anthropic ? SDK_USER_AGENTS.anthropic : SDK_USER_AGENTS.openai),
    parameters,
    projectArn,
    ...(error ? { error } : {}),
  });
}

/** N synthetic-but-realistic records (oldest first), e.g. for benchmarks or bulk inserts. */
export function generateEvents(n: number, opts: EventGenOptions = {}): CloudTrailRecord[] {
  return [...iterateEvents(n, opts)];
}
