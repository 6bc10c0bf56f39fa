/**
 * CloudTrail records for Bedrock runtime calls, shaped like the ones AWS writes for API-key
 * calls (seed 002): management events from `bedrock.amazonaws.com`, `responseElements: null`,
 * `additionalEventData.callWithBearerToken: true` and, when the call reached a model,
 * `inferenceRegion`.
 */
import { isoSeconds } from "../clock.js";
import { apiCallRecord, type CloudTrailRecord, userIdentityFor } from "../cloudtrail/record.js";
import type { SandboxState } from "../state.js";
import type { BearerCaller } from "./bearer.js";

export type RuntimeOperation = "Converse" | "ConverseStream" | "InvokeModel" | "InvokeModelWithResponseStream";

export interface RuntimeCallFacts {
  caller: BearerCaller;
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

/** userIdentity for a bearer caller, following the seed's three shapes. */
export function bearerUserIdentity(state: SandboxState, caller: BearerCaller): CloudTrailRecord["userIdentity"] {
  const p = caller.principal;
  if (caller.tokenType === "LONG_TERM") return userIdentityFor(state, p) as CloudTrailRecord["userIdentity"];
  const identity = userIdentityFor(state, p, caller.accessKeyId);
  if (p.type === "user" && caller.tokenIssuedAt) {
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
    additionalEventData: { callWithBearerToken: true, ...(f.inferenceRegion ? { inferenceRegion: f.inferenceRegion } : {}) },
    ...(f.error ? { errorCode: f.error.code, errorMessage: f.error.message } : {}),
    requestId: f.requestId,
    eventTime: f.eventTime,
  });
  record.userIdentity = bearerUserIdentity(state, f.caller);
  record.tlsDetails = {
    tlsVersion: "TLSv1.3",
    cipherSuite: "TLS_AES_128_GCM_SHA256",
    clientProvidedHostHeader: `bedrock-runtime.${f.region}.amazonaws.com`,
  };
  return record;
}
