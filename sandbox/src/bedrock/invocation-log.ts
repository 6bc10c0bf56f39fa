/**
 * Model invocation logging: when an account has logging configured in a region with a CloudWatch
 * Logs destination, every model invocation there appends one record in AWS's schema to the log
 * group's `aws/bedrock/modelinvocations` stream. Metadata always; the request and response bodies
 * (`input.inputBodyJson`, `output.outputBodyJson`) only with `textDataDeliveryEnabled`.
 * A log group deleted after logging was configured gets nothing (AWS's delivery fails too).
 *
 * Delivery is not instant: a record reaches its log group `invocationLogDelaySeconds` (real time)
 * after the call, with the call's timestamp and the delivery time as its ingestion time, as a late
 * CloudWatch Logs event does. AWS publishes no figure for this delay (its documentation and the
 * issue say "within minutes"); `npm run sandbox` defaults to DEFAULT_INVOCATION_LOG_DELAY_SECONDS,
 * createSandbox() to 0 (tests read what they just called).
 */
import { isoSeconds, realNowMs } from "../clock.js";
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

/**
 * What `npm run sandbox` uses when SANDBOX_INVOCATION_LOG_DELAY_SECONDS is unset. AWS documents no
 * delivery time for model invocation logs ("within minutes" is all that is said of them); a minute
 * is a cautious reading of what CloudWatch Logs delivery shows in practice (seconds to about a
 * minute), so the console's schedules are measured against it (bench/cost-latency.ts).
 */
export const DEFAULT_INVOCATION_LOG_DELAY_SECONDS = 60;

/** One setting for the whole organisation (keyed by the shared accounts map), like the logs quotas. */
const delays = new WeakMap<Map<string, SandboxState>, number>();
/** Records on their way, per organisation, so close() can drop them instead of writing into a closed sandbox. */
const inFlight = new WeakMap<Map<string, SandboxState>, Set<NodeJS.Timeout>>();

export function invocationLogDelaySeconds(state: SandboxState): number {
  return delays.get(state.accounts) ?? 0;
}

export function setInvocationLogDelay(state: SandboxState, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`Invalid invocation-log delay: ${seconds}`);
  delays.set(state.accounts, seconds);
}

/** Drops the records still on their way (the sandbox is closing). */
export function cancelPendingInvocationLogs(state: SandboxState): void {
  for (const t of inFlight.get(state.accounts) ?? []) clearTimeout(t);
  inFlight.delete(state.accounts);
}

/**
 * Writes the record if logging is on for the account and region, now or after the delivery delay;
 * returns it (or null when logging is off). The configuration at the time of the call decides
 * whether and what is logged; the group must still exist when the record arrives.
 */
export function logInvocation(state: SandboxState, f: InvocationFacts): Record<string, unknown> | null {
  try {
    const config = getLoggingConfig(state, f.region);
    const cw = config?.cloudWatchConfig;
    if (!cw) return null;
    const record = invocationLogRecord(state.accountId, f, config.textDataDeliveryEnabled === true);
    const delayMs = invocationLogDelaySeconds(state) * 1000;
    if (delayMs <= 0) return deliver(state, f, cw.logGroupName, record, f.timestamp.getTime()) ? record : null;
    let pending = inFlight.get(state.accounts);
    if (!pending) inFlight.set(state.accounts, (pending = new Set()));
    const callRealMs = realNowMs();
    const timer = setTimeout(() => {
      pending.delete(timer);
      try {
        // Ingestion time: when it arrived, on the sandbox clock (the event keeps the call's timestamp).
        deliver(state, f, cw.logGroupName, record, f.timestamp.getTime() + (realNowMs() - callRealMs));
      } catch (e) {
        console.error("sandbox: invocation-log delivery failed", e);
      }
    }, delayMs);
    // Never keeps a stopping sandbox alive.
    timer.unref();
    pending.add(timer);
    return record;
  } catch (e) {
    // Delivery is Bedrock's side job: a failure there never changes the caller's answer.
    console.error("sandbox: invocation-log delivery failed", e);
    return null;
  }
}

function deliver(state: SandboxState, f: InvocationFacts, logGroupName: string, record: Record<string, unknown>, ingestionMs: number): boolean {
  const group = getGroup(state, f.region, logGroupName);
  if (!group) return false;
  const ms = f.timestamp.getTime();
  const stream = getStream(group, INVOCATION_LOG_STREAM) ?? createStream(state, group, INVOCATION_LOG_STREAM, ms)!;
  appendEvents(state, group, stream, [{ timestamp: ms, message: JSON.stringify(record) }], ingestionMs);
  return true;
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
