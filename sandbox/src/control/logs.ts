/**
 * Control routes for CloudWatch Logs and invocation logging (tests, traffic, demo):
 * - POST   /_sandbox/logs/throttle  {enabled?, refill?, quotas?: {FilterLogEvents: 5, …}}
 * - GET    /_sandbox/logs/groups?region=…            log groups with event counts
 * - DELETE /_sandbox/logs/groups?region=…&name=…     a log group disappears
 * - POST   /_sandbox/logs/events  {region, logGroupName, logStreamName?, events: [{timestamp, message}]}
 *   appends events (group and stream created when missing; no quotas, no age checks)
 * - POST   /_sandbox/bedrock/logging {region?, logGroupName?, textDataDeliveryEnabled?}
 *   turns invocation logging on the way an administrator would: the log group, a role trusted
 *   by bedrock.amazonaws.com, and the configuration; `{"enabled": false}` turns it off.
 * Access denied and other failures are injected with /_sandbox/faults (service "logs").
 */
import { nowMs } from "../clock.js";
import { setLoggingConfig, type LoggingConfig } from "../bedrock/control-plane.js";
import { INVOCATION_LOG_STREAM } from "../bedrock/invocation-log.js";
import { uniqueId } from "../iam/ids.js";
import { appendEvents, createGroup, createStream, deleteGroup, getGroup, getStream, groupsOf } from "../logs/store.js";
import { setLogsThrottle } from "../logs/throttle.js";
import { DEFAULT_REGION, type SandboxState, userKey } from "../state.js";

export const LOGGING_ROLE_NAME = "BedrockInvocationLoggingRole";
export const DEFAULT_LOG_GROUP = "/aws/bedrock/modelinvocations";

type Json = Record<string, unknown>;

export function handleLogsControl(state: SandboxState, method: string, path: string, body: unknown, query?: URLSearchParams): unknown {
  const b = (body ?? {}) as Json;
  const region = query?.get("region") ?? (typeof b.region === "string" ? b.region : DEFAULT_REGION);
  switch (`${method} ${path}`) {
    case "POST /_sandbox/logs/throttle": {
      for (const k of ["enabled", "refill"]) if (b[k] !== undefined && typeof b[k] !== "boolean") throw new Error(`${k} must be true or false`);
      const quotas = b.quotas as Record<string, number> | undefined;
      if (quotas !== undefined && (typeof quotas !== "object" || Object.values(quotas).some((v) => typeof v !== "number" || v < 0))) throw new Error("quotas must map operations to numbers >= 0");
      return setLogsThrottle(state, { ...(typeof b.enabled === "boolean" ? { enabled: b.enabled } : {}), ...(typeof b.refill === "boolean" ? { refill: b.refill } : {}), ...(quotas ? { quotas } : {}) });
    }
    case "GET /_sandbox/logs/groups":
      return {
        region,
        logGroups: Object.values(groupsOf(state, region)).map((g) => ({
          logGroupName: g.logGroupName,
          streams: Object.values(g.streams).map((s) => ({ logStreamName: s.logStreamName, events: s.events.length })),
        })),
      };
    case "DELETE /_sandbox/logs/groups": {
      const name = query?.get("name") ?? (typeof b.logGroupName === "string" ? b.logGroupName : undefined);
      if (!name) throw new Error("name (query) or logGroupName (body) is required");
      if (!deleteGroup(state, region, name)) throw new Error(`No log group ${name} in ${region}`);
      return { deleted: name, region };
    }
    case "POST /_sandbox/logs/events": {
      if (typeof b.logGroupName !== "string") throw new Error("logGroupName must be a string");
      const streamName = typeof b.logStreamName === "string" ? b.logStreamName : INVOCATION_LOG_STREAM;
      if (!Array.isArray(b.events)) throw new Error("events must be an array of {timestamp, message}");
      const events = b.events.map((e: unknown, i: number) => {
        const ev = e as Json;
        if (typeof ev?.timestamp !== "number" || typeof ev.message !== "string") throw new Error(`event ${i}: timestamp (ms) and message are required`);
        return { timestamp: ev.timestamp, message: ev.message };
      });
      const now = nowMs(state);
      const group = getGroup(state, region, b.logGroupName) ?? createGroup(state, region, b.logGroupName, now)!;
      const stream = getStream(group, streamName) ?? createStream(state, group, streamName, now)!;
      events.sort((x, y) => x.timestamp - y.timestamp);
      return { inserted: appendEvents(state, group, stream, events, now).length };
    }
    default:
      throw new Error(`No control route ${method} ${path}`);
  }
}

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export function enableInvocationLogging(state: SandboxState, body: unknown): Json {
  const b = (body ?? {}) as Json;
  const region = typeof b.region === "string" ? b.region : DEFAULT_REGION;
  if (b.enabled === false) {
    setLoggingConfig(state, region, undefined);
    return { region, enabled: false };
  }
  const logGroupName = typeof b.logGroupName === "string" ? b.logGroupName : DEFAULT_LOG_GROUP;
  if (b.textDataDeliveryEnabled !== undefined && typeof b.textDataDeliveryEnabled !== "boolean") throw new Error("textDataDeliveryEnabled must be true or false");
  const now = nowMs(state);
  if (!getGroup(state, region, logGroupName)) createGroup(state, region, logGroupName, now);
  let role = state.roles.get(userKey(LOGGING_ROLE_NAME));
  if (!role) {
    role = {
      roleName: LOGGING_ROLE_NAME,
      roleId: uniqueId("AROA"),
      path: "/service-role/",
      arn: `arn:aws:iam::${state.accountId}:role/service-role/${LOGGING_ROLE_NAME}`,
      createDate: now,
      assumeRolePolicyDocument: TRUST,
      maxSessionDuration: 3600,
      tags: [],
      attachedPolicies: [],
      inlinePolicies: {},
    };
    state.roles.set(userKey(LOGGING_ROLE_NAME), role);
  }
  const config: LoggingConfig = {
    cloudWatchConfig: { logGroupName, roleArn: role.arn },
    textDataDeliveryEnabled: b.textDataDeliveryEnabled === true,
    imageDataDeliveryEnabled: false,
    embeddingDataDeliveryEnabled: false,
  };
  setLoggingConfig(state, region, config);
  return { region, enabled: true, loggingConfig: config };
}
