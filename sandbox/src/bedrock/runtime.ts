/**
 * Bedrock runtime endpoints authenticated with API keys (`Authorization: Bearer <key>`):
 * POST /model/{modelId}/converse | converse-stream | invoke | invoke-with-response-stream.
 *
 * Order of checks, as AWS reports them: authenticate the key → the signer's policies allow
 * `bedrock:CallWithBearerToken` → allow the model action on the model (or inference-profile) ARN
 * → the model id is valid here → (profiles) the foundation model in the destination region is
 * allowed → the body is valid → injected faults → answer. Every call whose caller is known is
 * recorded in CloudTrail, successes and failures alike.
 */
import { randomUUID } from "node:crypto";
import { now } from "../clock.js";
import { recordEvent } from "../cloudtrail/record.js";
import { sleep, takeFault } from "../control/faults.js";
import type { RuntimeContext } from "../http.js";
import { normalizeIp } from "../policy/conditions.js";
import { denyMessage, policiesFor, requestContext } from "./authorize.js";
import { authenticateBearer, type BearerCaller } from "./bearer.js";
import { converse, converseResponse, converseStreamFrames, RequestValidationError } from "./converse.js";
import { invoke, invokeResponseBody, invokeStreamFrames } from "./invoke.js";
import { parseModelId, resolveModel, stableHash } from "./models.js";
import { RuntimeError, sendError, sendEventStream, sendJsonBody } from "./respond.js";
import { type RuntimeOperation, runtimeCallRecord } from "./trail.js";

const OPERATIONS: Record<string, RuntimeOperation> = {
  converse: "Converse",
  "converse-stream": "ConverseStream",
  invoke: "InvokeModel",
  "invoke-with-response-stream": "InvokeModelWithResponseStream",
};

/** The IAM action each operation needs on the model. */
export const MODEL_ACTION: Record<RuntimeOperation, string> = {
  Converse: "bedrock:InvokeModel",
  InvokeModel: "bedrock:InvokeModel",
  ConverseStream: "bedrock:InvokeModelWithResponseStream",
  InvokeModelWithResponseStream: "bedrock:InvokeModelWithResponseStream",
};

export function matchRoute(method: string, path: string): { operation: RuntimeOperation; modelId: string } | null {
  const m = /^\/model\/(.+)\/(converse|converse-stream|invoke|invoke-with-response-stream)\/?$/.exec(path);
  if (!m || method !== "POST") return null;
  let modelId: string;
  try {
    modelId = decodeURIComponent(m[1]!);
  } catch {
    modelId = m[1]!;
  }
  return { operation: OPERATIONS[m[2]!]!, modelId };
}

export async function handleBedrockRuntime(ctx: RuntimeContext): Promise<void> {
  const { state, res, region } = ctx;
  const requestId = randomUUID();
  const route = matchRoute(ctx.method, ctx.path);
  if (!route) {
    sendError(res, requestId, new RuntimeError("UnknownOperationException", "The requested operation is not recognized by the service."));
    return;
  }
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(ctx.headers["authorization"] ?? "");
  if (!auth) {
    sendError(res, requestId, new RuntimeError("MissingAuthenticationTokenException", "Missing Authentication Token"));
    return;
  }
  const eventTime = now(state);
  const facts = { sourceIp: normalizeIp(ctx.sourceIp), userAgent: ctx.headers["user-agent"] ?? "", region, now: eventTime };
  let caller: BearerCaller | undefined;
  let inferenceRegion: string | undefined;
  let failure: RuntimeError | undefined;
  try {
    const authn = await authenticateBearer(state, auth[1]!, region, eventTime);
    caller = authn.caller;
    if (!authn.ok) throw new RuntimeError("AccessDeniedException", authn.message);
    const who = authn.caller;
    const policies = policiesFor(state, who);
    const context = requestContext(state, who, facts);
    const authorize = (action: string, resource: string) => {
      const denied = denyMessage(who, policies, action, resource, context);
      if (denied) throw new RuntimeError("AccessDeniedException", denied);
    };
    authorize("bedrock:CallWithBearerToken", "*");
    const action = MODEL_ACTION[route.operation];
    const target = parseModelId(route.modelId, region, state.accountId);
    authorize(action, target.resourceArn);
    // Same caller, model and second → same destination region: reproducible, yet spread out.
    const pick = (regions: readonly string[]) =>
      regions[stableHash(`${route.modelId}|${who.principal.arn}|${Math.floor(eventTime.getTime() / 1000)}`) % regions.length]!;
    const resolved = resolveModel(target, region, pick);
    if (!resolved.ok) throw new RuntimeError(resolved.code, resolved.message, resolved.status);
    // A cross-region profile also needs the foundation model where the call is routed.
    if (target.kind === "inference-profile") authorize(action, resolved.foundationModelArn);
    const model = resolved.model;
    const streaming = route.operation === "ConverseStream" || route.operation === "InvokeModelWithResponseStream";
    const generation = route.operation.startsWith("Converse") ? converse(model, ctx.body) : invoke(model, ctx.body);
    const fault = takeFault(state, "bedrock", route.operation) ?? takeFault(state, "bedrock-runtime", route.operation);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new RuntimeError(fault.error.code, fault.error.message, fault.error.status);
    }
    inferenceRegion = resolved.inferenceRegion;
    if (route.operation === "Converse") {
      sendJsonBody(res, requestId, converseResponse(model, generation));
    } else if (route.operation === "ConverseStream") {
      sendEventStream(res, requestId, converseStreamFrames(model, generation));
    } else if (route.operation === "InvokeModel") {
      sendJsonBody(res, requestId, invokeResponseBody(model, generation, requestId), {
        "X-Amzn-Bedrock-Invocation-Latency": String(generation.latencyMs),
        "X-Amzn-Bedrock-Input-Token-Count": String(generation.inputTokens),
        "X-Amzn-Bedrock-Output-Token-Count": String(generation.outputTokens),
      });
    } else if (streaming) {
      sendEventStream(res, requestId, invokeStreamFrames(model, generation, requestId), { "X-Amzn-Bedrock-Content-Type": "application/json" });
    }
  } catch (e) {
    failure = e instanceof RuntimeError
      ? e
      : e instanceof RequestValidationError
        ? new RuntimeError("ValidationException", e.message)
        : new RuntimeError("InternalServerException", "The server encountered an internal error while processing the request.");
    if (!res.headersSent) sendError(res, requestId, failure);
    else res.destroy();
  } finally {
    // Calls by an unidentifiable key are not recorded: AWS cannot attribute them to anyone.
    if (caller) {
      recordEvent(
        state,
        runtimeCallRecord(state, {
          caller,
          operation: route.operation,
          region,
          modelId: route.modelId,
          sourceIp: facts.sourceIp,
          userAgent: facts.userAgent,
          requestId,
          eventTime,
          ...(failure ? { error: { code: failure.code, message: failure.message } } : { inferenceRegion }),
        }),
      );
    }
  }
}
