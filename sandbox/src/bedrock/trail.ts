/**
 * CloudTrail records for Bedrock runtime calls, shaped like the ones AWS writes for API-key
 * calls (seed 002): management events from `bedrock.amazonaws.com`, `responseElements: null`,
 * `additionalEventData.callWithBearerToken: true` and, when the call reached a model,
 * `inferenceRegion`. SigV4-signed calls carry no `callWithBearerToken`.
 */
import { isoSeconds } from "../clock.js";
import { apiCallRecord, type CloudTrailRecord, userIdentityFor } from "../cloudtrail/record.js";
import type { SandboxState } from "../state.js";
import type { RuntimeCaller } from "./bearer.js";

export type RuntimeOperation = "Converse" | "ConverseStream" | "InvokeModel" | "InvokeModelWithResponseStream";

export interface RuntimeCallFacts {
  caller: RuntimeCaller;
  operation: RuntimeOperation;
  region: string;
  modelId: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  eventTime: Date;
  /** Where the model ran; only for calls that reached a model. */
  inferenceRegion?: string;
  error?: { code: string; message: string };
}

/** userIdentity for a caller, following the seed's three shapes for API keys. */
export function callerUserIdentity(state: SandboxState, caller: RuntimeCaller): CloudTrailRecord["userIdentity"] {
  const p = caller.principal;
  if (caller.tokenType === "LONG_TERM") return userIdentityFor(state, p) as CloudTrailRecord["userIdentity"];
  const identity = userIdentityFor(state, p, caller.accessKeyId);
  if (caller.tokenType === "SHORT_TERM" && p.type === "user" && caller.tokenIssuedAt) {
    // A user-signed short-term key is a session of that user: the seed shows sessionContext
    // attributes with the token's creation time.
    identity.sessionContext = { attributes: { creationDate: isoSeconds(caller.tokenIssuedAt), mfaAuthenticated: "false" } };
  }
  return identity as CloudTrailRecord["userIdentity"];
}

export function runtimeCallRecord(state: SandboxState, f: RuntimeCallFacts): CloudTrailRecord {
  const record = apiCallRecord(state, {
    principal: f.caller.principal,
    eventSource: "bedrock.amazonaws.com",
    eventName: f.operation,
    region: f.region,
    sourceIp: f.sourceIp,
    userAgent: f.userAgent,
    readOnly: true,
    requestParameters: { modelId: f.modelId },
    responseElements: null,
    ...additionalEventData(f),
    ...(f.error ? { errorCode: f.error.code, errorMessage: f.error.message } : {}),
    requestId: f.requestId,
    eventTime: f.eventTime,
  });
  record.userIdentity = callerUserIdentity(state, f.caller);
  record.tlsDetails = {
    tlsVersion: "TLSv1.3",
    cipherSuite: "TLS_AES_128_GCM_SHA256",
    clientProvidedHostHeader: `bedrock-runtime.${f.region}.amazonaws.com`,
  };
  return record;
}

function additionalEventData(f: RuntimeCallFacts): { additionalEventData?: Record<string, unknown> } {
  const data: Record<string, unknown> = f.caller.tokenType ? { callWithBearerToken: true } : {};
  if (f.inferenceRegion) data.inferenceRegion = f.inferenceRegion;
  return Object.keys(data).length > 0 ? { additionalEventData: data } : {};
}

/**
 * bedrock-runtime's OpenAI-compatible routes. AWS's pages do not name the CloudTrail event for
 * them, so the sandbox records each under its own operation name, as the runtime does for
 * Converse (also authorized as bedrock:InvokeModel): `CreateChatCompletion` and `CreateResponse`
 * (OpenAI's operation ids). Everything else is a runtime record: `bedrock.amazonaws.com`,
 * management event, `requestParameters.modelId`, `additionalEventData.callWithBearerToken`.
 */
export type RuntimeOpenAiOperation = "CreateChatCompletion" | "CreateResponse";

export function runtimeOpenAiRecord(
  state: SandboxState,
  f: Omit<RuntimeCallFacts, "operation" | "modelId"> & { operation: RuntimeOpenAiOperation; modelId: string | null; stream: boolean },
): CloudTrailRecord {
  const record = runtimeCallRecord(state, { ...f, operation: "InvokeModel", modelId: f.modelId ?? "" });
  record.eventName = f.operation;
  record.requestParameters = { modelId: f.modelId, stream: f.stream };
  return record;
}

/** What CloudTrail writes in `bearerTokenType` on bedrock-mantle (see sandbox/README.md). */
export function mantleBearerTokenType(caller: RuntimeCaller): string | undefined {
  if (caller.tokenType === "LONG_TERM") return "ABSK";
  if (caller.tokenType === "SHORT_TERM") return "bedrock-api-key";
  return undefined;
}

export type MantleEventName = "CreateInference" | "ListModels" | "GetModel";

export interface MantleCallFacts {
  caller: RuntimeCaller;
  eventName: MantleEventName;
  region: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  eventTime: Date;
  /** The operation's documented request parameters (model, stream, …). */
  parameters: Record<string, unknown>;
  /** CreateInference: the project the call is attributed to (a data-event resource). */
  projectArn?: string;
  error?: { code: string; message: string };
}

/**
 * A bedrock-mantle record as "Monitor bedrock-mantle API calls using CloudTrail" documents it:
 * `eventSource` bedrock-mantle.amazonaws.com; ListModels/GetModel are management events,
 * CreateInference a data event (`managementEvent: false`, `eventCategory: "Data"`, the project in
 * `resources`); `requestParameters` carries the documented parameters plus
 * `callWithBearerToken` and, for API keys, `bearerTokenType`.
 */
export function mantleCallRecord(state: SandboxState, f: MantleCallFacts): CloudTrailRecord {
  const bearerTokenType = mantleBearerTokenType(f.caller);
  const data = f.eventName === "CreateInference";
  const record = apiCallRecord(state, {
    principal: f.caller.principal,
    eventSource: "bedrock-mantle.amazonaws.com",
    eventName: f.eventName,
    region: f.region,
    sourceIp: f.sourceIp,
    userAgent: f.userAgent,
    readOnly: !data,
    requestParameters: { ...f.parameters, callWithBearerToken: f.caller.tokenType !== undefined, ...(bearerTokenType ? { bearerTokenType } : {}) },
    responseElements: null,
    ...(f.error ? { errorCode: f.error.code, errorMessage: f.error.message } : {}),
    requestId: f.requestId,
    eventTime: f.eventTime,
  });
  record.userIdentity = callerUserIdentity(state, f.caller);
  if (data) {
    record.managementEvent = false;
    record.eventCategory = "Data";
    if (f.projectArn) record.resources = [{ accountId: state.accountId, type: "AWS::BedrockMantle::Project", ARN: f.projectArn }];
  }
  record.tlsDetails = { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `bedrock-mantle.${f.region}.api.aws` };
  return record;
}
