/**
 * Model invocation logging: when an account has logging configured in a region with a CloudWatch
 * Logs destination, every model invocation there appends one record in AWS's schema to the log
 * group's `aws/bedrock/modelinvocations` stream. Metadata always; the request and response bodies
 * (`input.inputBodyJson`, `output.outputBodyJson`) only with `textDataDeliveryEnabled`.
 * A log group deleted after logging was configured gets nothing (AWS's delivery fails too).
 */
import { isoSeconds } from "../clock.js";
import { appendEvents, createStream, getGroup, getStream } from "../logs/store.js";
import type { SandboxState } from "../state.js";
import { getLoggingConfig } from "./control-plane.js";

export const INVOCATION_LOG_STREAM = "aws/bedrock/modelinvocations";

export interface InvocationFacts {
  /** The caller's ARN, as CloudTrail's userIdentity.arn for the same call. */
  identityArn: string;
  region: string;
  requestId: string;
  operation: string;
  /** The model id as the caller sent it (profile id, model id or ARN). */
  modelId: string;
  timestamp: Date;
  inferenceRegion?: string;
  usage: { inputTokens: number; outputTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number };
  inputBody?: unknown;
  outputBody?: unknown;
}

/** The record exactly as written (one JSON log event). */
export function invocationLogRecord(accountId: string, f: InvocationFacts, withBodies: boolean): Record<string, unknown> {
  return {
    schemaType: "ModelInvocationLog",
    schemaVersion: "1.0",
    // Second precision, as AWS's examples show it (the log event's own timestamp keeps the ms).
    timestamp: isoSeconds(f.timestamp),
    accountId,
    identity: { arn: f.identityArn },
    region: f.region,
    requestId: f.requestId,
    operation: f.operation,
    modelId: f.modelId,
    input: {
      inputContentType: "application/json",
      ...(withBodies && f.inputBody !== undefined ? { inputBodyJson: f.inputBody } : {}),
      inputTokenCount: f.usage.inputTokens,
      ...(f.usage.cacheReadInputTokens !== undefined ? { cacheReadInputTokenCount: f.usage.cacheReadInputTokens } : {}),
      ...(f.usage.cacheWriteInputTokens !== undefined ? { cacheWriteInputTokenCount: f.usage.cacheWriteInputTokens } : {}),
    },
    output: {
      outputContentType: "application/json",
      ...(withBodies && f.outputBody !== undefined ? { outputBodyJson: f.outputBody } : {}),
      outputTokenCount: f.usage.outputTokens,
    },
    ...(f.inferenceRegion ? { inferenceRegion: f.inferenceRegion } : {}),
  };
}

/** Writes the record if logging is on for the account and region; returns it (or null). */
export function logInvocation(state: SandboxState, f: InvocationFacts): Record<string, unknown> | null {
  try {
    return writeInvocation(state, f);
  } catch (e) {
    // Delivery is Bedrock's side job: a failure there never changes the caller's answer.
    console.error("sandbox: invocation-log delivery failed", e);
    return null;
  }
}

function writeInvocation(state: SandboxState, f: InvocationFacts): Record<string, unknown> | null {
  const config = getLoggingConfig(state, f.region);
  const cw = config?.cloudWatchConfig;
  if (!cw) return null;
  const group = getGroup(state, f.region, cw.logGroupName);
  if (!group) return null;
  const ms = f.timestamp.getTime();
  const stream = getStream(group, INVOCATION_LOG_STREAM) ?? createStream(state, group, INVOCATION_LOG_STREAM, ms)!;
  const record = invocationLogRecord(state.accountId, f, config.textDataDeliveryEnabled === true);
  appendEvents(state, group, stream, [{ timestamp: ms, message: JSON.stringify(record) }], ms);
  return record;
}


/**
 * Many records at once (bulk traffic): grouped per region and appended per stream in one go, so
 * a backdated batch sorts its stream once. Returns how many were written.
 */
export function logInvocations(state: SandboxState, facts: InvocationFacts[]): number {
  const byRegion = new Map<string, InvocationFacts[]>();
  for (const f of facts) byRegion.set(f.region, [...(byRegion.get(f.region) ?? []), f]);
  let written = 0;
  for (const [region, list] of byRegion) {
    const config = getLoggingConfig(state, region);
    const cw = config?.cloudWatchConfig;
    const group = cw ? getGroup(state, region, cw.logGroupName) : undefined;
    if (!group) continue;
    const stream = getStream(group, INVOCATION_LOG_STREAM) ?? createStream(state, group, INVOCATION_LOG_STREAM, list[0]!.timestamp.getTime())!;
    const events = list
      .map((f) => ({ timestamp: f.timestamp.getTime(), message: JSON.stringify(invocationLogRecord(state.accountId, f, config!.textDataDeliveryEnabled === true)) }))
      .sort((a, b) => a.timestamp - b.timestamp);
    written += appendEvents(state, group, stream, events, events.at(-1)!.timestamp).length;
  }
  return written;
}
