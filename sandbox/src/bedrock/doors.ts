/**
 * The OpenAI- and Anthropic-compatible doors a Bedrock API key opens:
 *
 * - bedrock-runtime: POST /openai/v1/chat/completions and /openai/v1/responses, authorized like
 *   InvokeModel (bedrock:InvokeModel, or bedrock:InvokeModelWithResponseStream when streaming) on
 *   the model or inference-profile ARN, recorded as runtime management events.
 * - bedrock-mantle: GET /v1/models[/{model}], POST /v1/chat/completions, /v1/responses and
 *   /anthropic/v1/messages, authorized as bedrock-mantle:ListModels / GetModel /
 *   CreateInference on the project, with the model in `bedrock-mantle:Model`; inference is
 *   recorded as a CloudTrail data event.
 *
 * Both take API keys (`Authorization: Bearer`, long- and short-term; mantle's Anthropic route also
 * `x-api-key`, which the Anthropic SDK sends) checked exactly as for Converse (bearer.ts) plus
 * `<service>:CallWithBearerToken`, or SigV4. Errors come back in the shape of the API called:
 * OpenAI's `{"error":{message,type,param,code}}` or Anthropic's `{"type":"error","error":{type,message}}`.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { now } from "../clock.js";
import { recordEvent } from "../cloudtrail/record.js";
import { sleep, takeFault } from "../control/faults.js";
import type { RuntimeContext } from "../http.js";
import { normalizeIp } from "../policy/conditions.js";
import { callDenyMessage, policiesFor, requestContext } from "./authorize.js";
import { authenticateBearer, type RuntimeCaller } from "./bearer.js";
import {
  anthropicEvents,
  anthropicMessage,
  chatCompletion,
  chatCompletionChunks,
  CompatValidationError,
  type CompatApi,
  type CompatRequest,
  parseChatCompletions,
  parseMessages,
  parseResponses,
  responsesEvents,
  responsesResponse,
  trailParameters,
} from "./compat.js";
import { generateReply } from "./generate.js";
import { type CatalogueModel, MODELS, parseModelId, resolveModel, stableHash } from "./models.js";
import { RuntimeError } from "./respond.js";
import { authenticateSigV4, isSigV4 } from "./sigv4-auth.js";
import { logInvocation } from "./invocation-log.js";
import { mantleCallRecord, type MantleEventName, runtimeOpenAiRecord, type RuntimeOpenAiOperation } from "./trail.js";

type Json = Record<string, unknown>;
type Shape = "openai" | "anthropic";

// ---- wire helpers -----------------------------------------------------------------------------

const OPENAI_TYPE: Record<number, string> = { 400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error" };
const ANTHROPIC_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  413: "request_too_large",
  429: "rate_limit_error",
  503: "overloaded_error",
};

function sendJsonReply(res: http.ServerResponse, status: number, requestId: string, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    Date: new Date().toUTCString(),
    "x-amzn-RequestId": requestId,
    "x-request-id": requestId,
  });
  res.end(body);
}

/** OpenAI's and Anthropic's error bodies; `code` carries the AWS exception name. */
function sendDoorError(res: http.ServerResponse, requestId: string, shape: Shape, err: RuntimeError, param: string | null = null): void {
  if (shape === "anthropic") {
    sendJsonReply(res, err.status, requestId, { type: "error", error: { type: ANTHROPIC_TYPE[err.status] ?? "api_error", message: err.message }, request_id: requestId });
    return;
  }
  sendJsonReply(res, err.status, requestId, {
    error: { message: err.message, type: OPENAI_TYPE[err.status] ?? (err.status >= 500 ? "server_error" : "invalid_request_error"), param, code: err.code },
  });
}

/** Server-sent events: `event:` lines when named (Responses, Anthropic), `data: [DONE]` to close Chat Completions. */
function sendSse(res: http.ServerResponse, requestId: string, events: { event?: string; data: unknown }[], done: boolean): void {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    Date: new Date().toUTCString(),
    "x-amzn-RequestId": requestId,
    "x-request-id": requestId,
  });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${JSON.stringify(e.data)}\n\n`);
  if (done) res.write("data: [DONE]\n\n");
  res.end();
}

// ---- authentication ---------------------------------------------------------------------------

interface Authenticated {
  caller: RuntimeCaller;
  region: string;
}

/**
 * Who is calling. `unauthenticated` is the status an authentication failure gets on this
 * endpoint (bedrock-runtime answers 403 AccessDeniedException, as for Converse; mantle 401).
 * `onCaller` learns the caller even when the call then fails (a genuine but disabled key), so
 * the failure is still recorded against it.
 */
async function authenticate(
  ctx: RuntimeContext,
  endpoint: "bedrock-runtime" | "bedrock-mantle",
  onCaller: (c: RuntimeCaller, region: string) => void,
): Promise<Authenticated> {
  const unauthenticated = endpoint === "bedrock-mantle" ? 401 : 403;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.headers["authorization"] ?? "")?.[1] ?? (endpoint === "bedrock-mantle" ? ctx.headers["x-api-key"]?.trim() : undefined);
  if (bearer) {
    const authn = await authenticateBearer(ctx.state, bearer, ctx.region, now(ctx.state));
    if (authn.caller) onCaller(authn.caller, ctx.region);
    if (!authn.ok) throw new RuntimeError("AccessDeniedException", authn.message, unauthenticated);
    return { caller: authn.caller, region: ctx.region };
  }
  if (isSigV4(ctx)) {
    try {
      const out = await authenticateSigV4(ctx, endpoint);
      onCaller(out.caller, out.region);
      return out;
    } catch (e) {
      if (e instanceof RuntimeError && endpoint === "bedrock-mantle" && e.status === 403) throw new RuntimeError(e.code, e.message, 401);
      throw e;
    }
  }
  throw new RuntimeError("MissingAuthenticationTokenException", "Missing Authentication Token", unauthenticated);
}

/** Runs the identity-policy check for one action; throws AWS's AccessDeniedException (403). */
function authorizer(ctx: RuntimeContext, who: RuntimeCaller, region: string, eventTime: Date, extra: Record<string, string> = {}) {
  const policies = policiesFor(ctx.state, who);
  const context = requestContext(ctx.state, who, { sourceIp: normalizeIp(ctx.sourceIp), userAgent: ctx.headers["user-agent"] ?? "", region, now: eventTime });
  return (action: string, resource: string, more: Record<string, string> = {}) => {
    const denied = callDenyMessage(ctx.state, who, policies, action, resource, { ...context, ...extra, ...more });
    if (denied) throw new RuntimeError("AccessDeniedException", denied, 403);
  };
}

function asDoorError(e: unknown): { err: RuntimeError; param: string | null } {
  if (e instanceof RuntimeError) return { err: e, param: null };
  if (e instanceof CompatValidationError) return { err: new RuntimeError("ValidationException", e.message, 400), param: e.param };
  return { err: new RuntimeError("InternalServerException", "The server encountered an internal error while processing the request.", 500), param: null };
}

async function applyFault(ctx: RuntimeContext, service: string, operation: string): Promise<void> {
  const fault = takeFault(ctx.state, service, operation);
  if (!fault) return;
  await sleep(fault.latencyMs);
  if (fault.error) throw new RuntimeError(fault.error.code, fault.error.message, fault.error.status);
}

/** Writes the answer for a validated request, streamed or not. */
function answer(res: http.ServerResponse, requestId: string, req: CompatRequest, model: string, g: ReturnType<typeof generateReply>, eventTime: Date): void {
  const created = Math.floor(eventTime.getTime() / 1000);
  switch (req.api) {
    case "chat.completions":
      if (!req.stream) return sendJsonReply(res, 200, requestId, chatCompletion(model, g, requestId, created));
      return sendSse(res, requestId, chatCompletionChunks(model, g, requestId, created, req.includeUsage).map((data) => ({ data })), true);
    case "responses":
      if (!req.stream) return sendJsonReply(res, 200, requestId, responsesResponse(model, g, req.raw, requestId, created));
      return sendSse(res, requestId, responsesEvents(model, g, req.raw, requestId, created).map((data) => ({ event: String(data.type), data })), false);
    case "messages":
      if (!req.stream) return sendJsonReply(res, 200, requestId, anthropicMessage(model, g, requestId));
      return sendSse(res, requestId, anthropicEvents(model, g, requestId).map((data) => ({ event: String(data.type), data })), false);
  }
}

// ---- bedrock-runtime /openai/v1 ---------------------------------------------------------------

const RUNTIME_ROUTES: Record<string, { operation: RuntimeOpenAiOperation; parse: (b: Buffer) => CompatRequest }> = {
  "/openai/v1/chat/completions": { operation: "CreateChatCompletion", parse: parseChatCompletions },
  "/openai/v1/responses": { operation: "CreateResponse", parse: parseResponses },
};

export async function handleRuntimeOpenAi(ctx: RuntimeContext): Promise<void> {
  const { state, res } = ctx;
  const requestId = randomUUID();
  const route = ctx.method === "POST" ? RUNTIME_ROUTES[ctx.path.replace(/\/+$/, "")] : undefined;
  if (!route) {
    sendDoorError(res, requestId, "openai", new RuntimeError("UnknownOperationException", "The requested operation is not recognized by the service.", 404));
    return;
  }
  const eventTime = now(state);
  let caller: RuntimeCaller | undefined;
  let region = ctx.region;
  // Read leniently first, so a call refused before validation is still recorded with its model.
  const sent = trailParameters(route.operation === "CreateChatCompletion" ? "chat.completions" : "responses", ctx.body);
  let modelId = sent.model as string | null;
  let stream = sent.stream === true;
  let inferenceRegion: string | undefined;
  let failure: RuntimeError | undefined;
  try {
    const auth = await authenticate(ctx, "bedrock-runtime", (c, r) => ((caller = c), (region = r)));
    const who = auth.caller;
    const authorize = authorizer(ctx, who, region, eventTime);
    if (who.tokenType) authorize("bedrock:CallWithBearerToken", "*");
    const req = route.parse(ctx.body);
    modelId = req.model;
    stream = req.stream;
    // bedrock-runtime serves only the account's default project.
    const project = ctx.headers["openai-project"];
    if (project && project !== "default") throw new RuntimeError("ValidationException", "Only the default project is supported on the bedrock-runtime endpoint.", 400);
    const action = stream ? "bedrock:InvokeModelWithResponseStream" : "bedrock:InvokeModel";
    const target = parseModelId(req.model, region, state.accountId);
    const viaProfile: Record<string, string> = target.kind === "inference-profile" ? { "bedrock:InferenceProfileArn": target.resourceArn } : {};
    authorize(action, target.resourceArn, viaProfile);
    const pick = (regions: readonly string[]) => regions[stableHash(`${req.model}|${who.principal.arn}|${Math.floor(eventTime.getTime() / 1000)}`) % regions.length]!;
    const resolved = resolveModel(target, region, pick);
    if (!resolved.ok) throw new RuntimeError(resolved.code, resolved.message, resolved.status);
    if (target.kind === "inference-profile") authorize(action, resolved.foundationModelArn, viaProfile);
    const g = generateReply(resolved.model.id, req.prompt);
    await applyFault(ctx, "bedrock-runtime", route.operation);
    inferenceRegion = resolved.inferenceRegion;
    answer(res, requestId, req, req.model, g, eventTime);
    // Invocation logging covers bedrock-runtime's OpenAI-compatible routes too (sandbox/README.md).
    logInvocation(state, {
      identityArn: who.principal.arn,
      region,
      requestId,
      operation: route.operation,
      modelId: req.model,
      timestamp: eventTime,
      inferenceRegion,
      usage: { inputTokens: g.inputTokens, outputTokens: g.outputTokens },
      inputBody: req.raw,
    });
  } catch (e) {
    const { err, param } = asDoorError(e);
    failure = err;
    if (!res.headersSent) sendDoorError(res, requestId, "openai", err, param);
    else res.destroy();
  } finally {
    if (caller) {
      recordEvent(
        state,
        runtimeOpenAiRecord(state, {
          caller,
          operation: route.operation,
          region,
          modelId,
          stream,
          sourceIp: normalizeIp(ctx.sourceIp),
          userAgent: ctx.headers["user-agent"] ?? "",
          requestId,
          eventTime,
          ...(failure ? { error: { code: failure.code, message: failure.message } } : { inferenceRegion }),
        }),
      );
    }
  }
}

// ---- bedrock-mantle ---------------------------------------------------------------------------

const PROJECT_ID = /^(proj_[a-zA-Z0-9]+|default)$/;

/** Models mantle serves in a region: in-Region foundation models (no cross-Region profiles). */
function mantleModel(id: string): CatalogueModel | undefined {
  return MODELS.find((m) => m.id === id && !m.endOfLife);
}

/** The route family a model is served under: Anthropic models under /anthropic/v1, the rest under /v1. */
const routeFamily = (m: CatalogueModel) => (m.family === "anthropic" ? "anthropic" : "openai");

const modelObject = (m: CatalogueModel) => ({ id: m.id, object: "model", created: 1_700_000_000 + (stableHash(m.id) % 60_000_000), owned_by: m.id.split(".")[0] });

interface MantleRoute {
  eventName: MantleEventName;
  shape: Shape;
  parse?: (b: Buffer) => CompatRequest;
  api?: CompatApi;
  family?: "openai" | "anthropic";
  model?: string;
}

function mantleRoute(method: string, path: string): MantleRoute | null {
  const p = path.replace(/\/+$/, "");
  if (method === "GET" && p === "/v1/models") return { eventName: "ListModels", shape: "openai" };
  const get = /^\/v1\/models\/(.+)$/.exec(p);
  if (method === "GET" && get) {
    let model = get[1]!;
    try {
      model = decodeURIComponent(model);
    } catch {
      /* keep as sent */
    }
    return { eventName: "GetModel", shape: "openai", model };
  }
  if (method !== "POST") return null;
  if (p === "/v1/chat/completions") return { eventName: "CreateInference", shape: "openai", parse: parseChatCompletions, api: "chat.completions", family: "openai" };
  if (p === "/v1/responses") return { eventName: "CreateInference", shape: "openai", parse: parseResponses, api: "responses", family: "openai" };
  if (p === "/anthropic/v1/messages") return { eventName: "CreateInference", shape: "anthropic", parse: parseMessages, api: "messages", family: "anthropic" };
  return null;
}

export async function handleMantle(ctx: RuntimeContext): Promise<void> {
  const { state, res } = ctx;
  const requestId = randomUUID();
  const route = mantleRoute(ctx.method, ctx.path);
  if (!route) {
    const shape: Shape = ctx.path.startsWith("/anthropic/") ? "anthropic" : "openai";
    sendDoorError(res, requestId, shape, new RuntimeError("UnknownOperationException", `Unrecognized request URL (${ctx.method} ${ctx.path}).`, 404));
    return;
  }
  const eventTime = now(state);
  let caller: RuntimeCaller | undefined;
  let region = ctx.region;
  const parameters: Json = route.api ? trailParameters(route.api, ctx.body) : route.eventName === "GetModel" ? { model: route.model } : {};
  let projectArn: string | undefined;
  let failure: RuntimeError | undefined;
  try {
    const auth = await authenticate(ctx, "bedrock-mantle", (c, r) => ((caller = c), (region = r)));
    const who = auth.caller;
    // The project the call is attributed to: OpenAI's `OpenAI-Project` header (the OpenAI SDK's
    // `project` option) or Anthropic-route callers' same header; else the account's default.
    const projectId = ctx.headers["openai-project"]?.trim() || "default";
    projectArn = `arn:aws:bedrock-mantle:${region}:${state.accountId}:project/${projectId}`;
    const bearerType: Record<string, string> = who.tokenType ? { "bedrock-mantle:BearerTokenType": who.tokenType } : {};
    const authorize = authorizer(ctx, who, region, eventTime, { ...bearerType, "bedrock-mantle:ProjectArn": projectArn });
    if (who.tokenType) authorize("bedrock-mantle:CallWithBearerToken", "*");
    if (!PROJECT_ID.test(projectId)) {
      throw new RuntimeError("ValidationException", `Invalid project id '${projectId}': expected 'default' or proj_ followed by letters and digits.`, 400);
    }
    if (route.eventName === "ListModels") {
      authorize("bedrock-mantle:ListModels", projectArn);
      await applyFault(ctx, "bedrock-mantle", "ListModels");
      sendJsonReply(res, 200, requestId, { object: "list", data: MODELS.filter((m) => !m.endOfLife).map(modelObject) });
      return;
    }
    if (route.eventName === "GetModel") {
      authorize("bedrock-mantle:GetModel", projectArn, { "bedrock-mantle:Model": route.model! });
      const m = mantleModel(route.model!);
      if (!m) throw new RuntimeError("ResourceNotFoundException", `The model '${route.model}' does not exist.`, 404);
      await applyFault(ctx, "bedrock-mantle", "GetModel");
      sendJsonReply(res, 200, requestId, modelObject(m));
      return;
    }
    const req = route.parse!(ctx.body);
    authorize("bedrock-mantle:CreateInference", projectArn, { "bedrock-mantle:Model": req.model });
    const m = mantleModel(req.model);
    if (!m) throw new RuntimeError("ResourceNotFoundException", `The model '${req.model}' does not exist or you do not have access to it.`, 404);
    if (routeFamily(m) !== route.family) throw new RuntimeError("ValidationException", `model \`${req.model}\` isn't supported on this route`, 400);
    const g = generateReply(m.id, req.prompt);
    await applyFault(ctx, "bedrock-mantle", "CreateInference");
    answer(res, requestId, req, req.model, g, eventTime);
  } catch (e) {
    const { err, param } = asDoorError(e);
    failure = err;
    if (!res.headersSent) sendDoorError(res, requestId, route.shape, err, param);
    else res.destroy();
  } finally {
    if (caller) {
      recordEvent(
        state,
        mantleCallRecord(state, {
          caller,
          eventName: route.eventName,
          region,
          sourceIp: normalizeIp(ctx.sourceIp),
          userAgent: ctx.headers["user-agent"] ?? "",
          requestId,
          eventTime,
          parameters,
          ...(route.eventName === "CreateInference" && projectArn ? { projectArn } : {}),
          ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
        }),
        route.eventName === "CreateInference" && projectArn ? [["AWS::BedrockMantle::Project", projectArn]] : undefined,
      );
    }
  }
}
