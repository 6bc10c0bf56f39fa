/**
 * Bedrock runtime endpoints, authenticated with API keys (`Authorization: Bearer <key>`) or, as
 * the SDKs do without a key, SigV4:
 * POST /model/{modelId}/converse | converse-stream | invoke | invoke-with-response-stream.
 *
 * Order of checks, as AWS reports them: authenticate → (API keys) the signer's policies allow
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
import { callDenyMessage, policiesFor, requestContext } from "./authorize.js";
import { authenticateBearer, type RuntimeCaller } from "./bearer.js";
import { converse, converseResponse, converseStreamFrames, RequestValidationError } from "./converse.js";
import { logInvocation } from "./invocation-log.js";
import { invoke, invokeResponseBody, invokeStreamFrames } from "./invoke.js";
import { parseModelId, resolveModel, stableHash } from "./models.js";
import { RuntimeError, sendError, sendEventStream, sendJsonBody } from "./respond.js";
import { authenticateSigV4, isSigV4 } from "./sigv4-auth.js";
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
  const { state, res } = ctx;
  const requestId = randomUUID();
  const route = matchRoute(ctx.method, ctx.path);
  if (!route) {
    sendError(res, requestId, new RuntimeError("UnknownOperationException", "The requested operation is not recognized by the service."));
    return;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.headers["authorization"] ?? "");
  const eventTime = now(state);
  let region = ctx.region;
  let caller: RuntimeCaller | undefined;
  let inferenceRegion: string | undefined;
  let failure: RuntimeError | undefined;
  const userAgent = ctx.headers["user-agent"] ?? "";
  const sourceIp = normalizeIp(ctx.sourceIp);
  try {
    if (bearer) {
      const authn = await authenticateBearer(state, bearer[1]!, region, eventTime);
      caller = authn.caller;
      if (!authn.ok) throw new RuntimeError("AccessDeniedException", authn.message);
    } else if (isSigV4(ctx)) {
      // A signed request names its region in the credential scope.
      ({ caller, region } = await authenticateSigV4(ctx));
    } else {
      throw new RuntimeError("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    const who = caller!;
    const policies = policiesFor(state, who);
    const context = requestContext(state, who, { sourceIp, userAgent, region, now: eventTime });
    const authorize = (action: string, resource: string, extra: Record<string, string> = {}) => {
      const denied = callDenyMessage(state, who, policies, action, resource, { ...context, ...extra });
      if (denied) throw new RuntimeError("AccessDeniedException", denied);
    };
    if (who.tokenType) authorize("bedrock:CallWithBearerToken", "*");
    const action = MODEL_ACTION[route.operation];
    const target = parseModelId(route.modelId, region, state.accountId);
    // Like Bedrock, a call through an inference profile carries the profile's ARN as
    // bedrock:InferenceProfileArn (on the profile and on the foundation model it routes to); a
    // direct model call has no such key, which is what profile-only policies test with Null.
    const viaProfile: Record<string, string> = target.kind === "inference-profile" ? { "bedrock:InferenceProfileArn": target.resourceArn } : {};
    authorize(action, target.resourceArn, viaProfile);
    // Same caller, model and second → same destination region: reproducible, yet spread out.
    const pick = (regions: readonly string[]) =>
      regions[stableHash(`${route.modelId}|${who.principal.arn}|${Math.floor(eventTime.getTime() / 1000)}`) % regions.length]!;
    const resolved = resolveModel(target, region, pick);
    if (!resolved.ok) throw new RuntimeError(resolved.code, resolved.message, resolved.status);
    // A cross-region profile also needs the foundation model where the call is routed.
    if (target.kind === "inference-profile") authorize(action, resolved.foundationModelArn, viaProfile);
    const model = resolved.model;
    const generation = route.operation.startsWith("Converse") ? converse(model, ctx.body) : invoke(model, ctx.body);
    const fault = takeFault(state, "bedrock", route.operation) ?? takeFault(state, "bedrock-runtime", route.operation);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new RuntimeError(fault.error.code, fault.error.message, fault.error.status);
    }
    inferenceRegion = resolved.inferenceRegion;
    let outputBody: unknown;
    switch (route.operation) {
      case "Converse":
        outputBody = converseResponse(model, generation);
        sendJsonBody(res, requestId, outputBody);
        break;
      case "ConverseStream":
        // The log carries the reply as one Converse response (see sandbox/README.md).
        outputBody = converseResponse(model, generation);
        sendEventStream(res, requestId, converseStreamFrames(model, generation));
        break;
      case "InvokeModel":
        outputBody = invokeResponseBody(model, generation, requestId);
        sendJsonBody(res, requestId, outputBody, {
          "X-Amzn-Bedrock-Invocation-Latency": String(generation.latencyMs),
          "X-Amzn-Bedrock-Input-Token-Count": String(generation.inputTokens),
          "X-Amzn-Bedrock-Output-Token-Count": String(generation.outputTokens),
        });
        break;
      case "InvokeModelWithResponseStream":
        outputBody = invokeResponseBody(model, generation, requestId);
        sendEventStream(res, requestId, invokeStreamFrames(model, generation, requestId), { "X-Amzn-Bedrock-Content-Type": "application/json" });
        break;
    }
    // Invocation logging (when configured): token counts are the response's usage.
    logInvocation(state, {
      identityArn: who.principal.arn,
      region,
      requestId,
      operation: route.operation,
      modelId: route.modelId,
      timestamp: eventTime,
      inferenceRegion,
      usage: {
        inputTokens: generation.inputTokens,
        outputTokens: generation.outputTokens,
        // Cache counters where the response reports them (zero: the sandbox has no prompt cache):
        // Anthropic models everywhere, Nova in its InvokeModel body.
        ...(model.family === "anthropic" || (model.family === "nova" && route.operation === "InvokeModel") ? { cacheReadInputTokens: 0, cacheWriteInputTokens: 0 } : {}),
      },
      inputBody: parseBodyForLog(ctx.body),
      outputBody,
    });
  } catch (e) {
    failure = e instanceof RuntimeError
      ? e
      : e instanceof RequestValidationError
        ? new RuntimeError("ValidationException", e.message)
        : new RuntimeError("InternalServerException", "The server encountered an internal error while processing the request.");
    if (!res.headersSent) sendError(res, requestId, failure);
    else res.destroy();
  } finally {
    // Calls nobody can be held to (unknown, forged or unverifiable credentials) are not
    // recorded: AWS has no identity to attribute them to.
    if (caller) {
      recordEvent(
        state,
        runtimeCallRecord(state, {
          caller,
          operation: route.operation,
          region,
          modelId: route.modelId,
          sourceIp,
          userAgent,
          requestId,
          eventTime,
          ...(failure ? { error: { code: failure.code, message: failure.message } } : { inferenceRegion }),
        }),
      );
    }
  }
}

/** The request body as the log's inputBodyJson (the bytes as sent when they are not JSON). */
function parseBodyForLog(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return body.toString("utf8");
  }
}
