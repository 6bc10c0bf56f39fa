/**
 * CloudWatch Logs (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Op>`, SigV4 service `logs`):
 * CreateLogGroup, DescribeLogGroups, DeleteLogGroup, CreateLogStream, DescribeLogStreams,
 * PutLogEvents, FilterLogEvents. Order of checks as AWS answers: authenticate → IAM
 * (`logs:<Op>` on the log group ARN) → request quota (token bucket) → injected faults → input.
 */
import type http from "node:http";
import { nowMs } from "../clock.js";
import { authenticate, type IncomingApiRequest } from "../aws-api.js";
import { sleep, takeFault } from "../control/faults.js";
import { AwsError, send } from "../http.js";
import { authorize } from "../iam/authorize.js";
import { requestId as newRequestId } from "../iam/ids.js";
import type { SandboxState } from "../state.js";
import { compileFilterPattern, FilterPatternError } from "./filter-pattern.js";
import {
  appendEvents,
  compareEvents,
  createGroup,
  createStream,
  deleteGroup,
  eventSize,
  getGroup,
  getStream,
  groupsOf,
  type LogEvent,
  type LogGroup,
  logGroupArn,
} from "./store.js";
import { takeLogsToken } from "./throttle.js";

const CONTENT_TYPE = "application/x-amz-json-1.1";
const TARGET = /^Logs_20140328\.(\w+)$/;

export function isLogsRequest(headers: Record<string, string>): boolean {
  return (headers["x-amz-target"] ?? "").startsWith("Logs_20140328.");
}

/** JSON 1.1 names for the authentication failures authenticate() raises in Query terms. */
const AUTH_CODES: Record<string, string> = {
  InvalidClientTokenId: "UnrecognizedClientException",
  SignatureDoesNotMatch: "InvalidSignatureException",
  ExpiredToken: "ExpiredTokenException",
  MissingAuthenticationToken: "MissingAuthenticationTokenException",
  AccessDenied: "AccessDeniedException",
};

const invalid = (message: string) => new AwsError("InvalidParameterException", message, 400);
const groupNotFound = () => new AwsError("ResourceNotFoundException", "The specified log group does not exist.", 400);
const streamNotFound = () => new AwsError("ResourceNotFoundException", "The specified log stream does not exist.", 400);

type Json = Record<string, unknown>;

/** FilterLogEvents answers at most this many bytes of events (AWS: 1 MB). */
export const FILTER_RESPONSE_BYTES = 1024 * 1024;
const NAME_RE = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_RE = /^[^:*]{1,512}$/;
/** PutLogEvents refuses events older than 14 days or more than 2 hours ahead. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 2 * 3600 * 1000;

function str(input: Json, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new AwsError("SerializationException", `${key} must be a string`, 400);
  return v;
}

function int(input: Json, key: string, min: number, max: number): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new AwsError("SerializationException", `${key} must be an integer`, 400);
  if (v < min || v > max) {
    throw invalid(`1 validation error detected: Value '${v}' at '${key}' failed to satisfy constraint: Member must have value ${v < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`);
  }
  return v;
}

/** A log group named by `logGroupName` or `logGroupIdentifier` (name or ARN), exactly one. */
function groupName(state: SandboxState, region: string, input: Json, allowIdentifier: boolean): string {
  const name = str(input, "logGroupName");
  const id = allowIdentifier ? str(input, "logGroupIdentifier") : undefined;
  if (name !== undefined && id !== undefined) throw invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  if (name === undefined && id === undefined) throw invalid(allowIdentifier ? "Should provide either a LogGroup name or a LogGroup ARN." : "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
  if (id !== undefined && id.startsWith("arn:")) {
    const m = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(id);
    if (!m || m[1] !== region || m[2] !== state.accountId) throw groupNotFound();
    return m[3]!;
  }
  return (name ?? id)!;
}

function requireGroup(state: SandboxState, region: string, name: string): LogGroup {
  const g = getGroup(state, region, name);
  if (!g) throw groupNotFound();
  return g;
}

interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Paging by position in a name-sorted list: the token carries the last name returned. */
function pageByName<T>(sorted: T[], nameOf: (t: T) => string, limit: number, token: string | undefined): Page<T> {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token) as { after?: unknown };
    if (typeof after.after !== "string") throw invalid("The specified nextToken is invalid.");
    start = sorted.findIndex((t) => nameOf(t) > (after.after as string));
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length;
  return { items, ...(more ? { nextToken: encodeToken({ after: nameOf(items[items.length - 1]!) }) } : {}) };
}

function encodeToken(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

function decodeToken(token: string): Json {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (v && typeof v === "object") return v as Json;
  } catch {
    // fall through
  }
  throw invalid("The specified nextToken is invalid.");
}

interface LogsCall {
  state: SandboxState;
  region: string;
  input: Json;
  now: number;
}

function groupView(state: SandboxState, region: string, g: LogGroup): Json {
  const arn = logGroupArn(state, region, g.logGroupName);
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: g.storedBytes,
    logGroupClass: "STANDARD",
    logGroupArn: arn,
  };
}

/** The resource each operation is authorized on (IAM's resource types for CloudWatch Logs). */
function resourceOf(state: SandboxState, region: string, op: string, input: Json): string {
  const base = `arn:aws:logs:${region}:${state.accountId}:log-group:`;
  if (op === "DescribeLogGroups") return `${base}*`;
  let name: string;
  try {
    name = groupName(state, region, input, op === "FilterLogEvents" || op === "DescribeLogStreams");
  } catch {
    return `${base}*`; // input errors are reported after authorization
  }
  if (op === "PutLogEvents" || op === "CreateLogStream") {
    const stream = typeof input.logStreamName === "string" ? input.logStreamName : "*";
    return `${base}${name}:log-stream:${stream}`;
  }
  return `${base}${name}:*`;
}

const OPERATIONS: Record<string, (c: LogsCall) => Json> = {
  CreateLogGroup({ state, region, input, now }) {
    const name = str(input, "logGroupName");
    if (name === undefined || !NAME_RE.test(name)) throw invalid(`1 validation error detected: Value '${name ?? "null"}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
    if (!createGroup(state, region, name, now)) throw new AwsError("ResourceAlreadyExistsException", "The specified log group already exists", 400);
    return {};
  },
  DeleteLogGroup({ state, region, input }) {
    if (!deleteGroup(state, region, groupName(state, region, input, false))) throw groupNotFound();
    return {};
  },
  DescribeLogGroups({ state, region, input }) {
    const prefix = str(input, "logGroupNamePrefix");
    const pattern = str(input, "logGroupNamePattern");
    if (prefix !== undefined && pattern !== undefined) throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    const limit = int(input, "limit", 1, 50) ?? 50;
    const groups = Object.values(groupsOf(state, region))
      .filter((g) => (prefix === undefined || g.logGroupName.startsWith(prefix)) && (pattern === undefined || g.logGroupName.toLowerCase().includes(pattern.toLowerCase())))
      .sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : a.logGroupName > b.logGroupName ? 1 : 0));
    const page = pageByName(groups, (g) => g.logGroupName, limit, str(input, "nextToken"));
    return { logGroups: page.items.map((g) => groupView(state, region, g)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
  CreateLogStream({ state, region, input, now }) {
    const group = requireGroup(state, region, groupName(state, region, input, false));
    const name = str(input, "logStreamName");
    if (name === undefined || !STREAM_RE.test(name)) throw invalid(`1 validation error detected: Value '${name ?? "null"}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
    if (!createStream(state, group, name, now)) throw new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists", 400);
    return {};
  },
  DescribeLogStreams({ state, region, input }) {
    const group = requireGroup(state, region, groupName(state, region, input, true));
    const prefix = str(input, "logStreamNamePrefix");
    const orderBy = str(input, "orderBy") ?? "LogStreamName";
    if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime") throw invalid("orderBy must be LogStreamName or LastEventTime");
    if (orderBy === "LastEventTime" && prefix !== undefined) throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    const limit = int(input, "limit", 1, 50) ?? 50;
    let streams = Object.values(group.streams).filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix));
    if (orderBy === "LogStreamName") streams.sort((a, b) => (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0));
    else streams.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0) || (a.logStreamName < b.logStreamName ? -1 : 1));
    if (input.descending === true) streams = streams.reverse();
    // Paging by offset: the list is small and the token says where the previous page ended.
    const token = str(input, "nextToken");
    const start = token === undefined ? 0 : Number((decodeToken(token) as { offset?: unknown }).offset);
    if (!Number.isInteger(start) || start < 0) throw invalid("The specified nextToken is invalid.");
    const items = streams.slice(start, start + limit);
    const arnBase = logGroupArn(state, region, group.logGroupName);
    return {
      logStreams: items.map((s) => ({
        logStreamName: s.logStreamName,
        creationTime: s.creationTime,
        ...(s.events.length > 0
          ? { firstEventTimestamp: s.events[0]!.timestamp, lastEventTimestamp: s.events.at(-1)!.timestamp, lastIngestionTime: Math.max(...s.events.slice(-100).map((e) => e.ingestionTime)) }
          : {}),
        arn: `${arnBase}:log-stream:${s.logStreamName}`,
        storedBytes: 0, // AWS deprecated this per-stream figure and always answers 0
      })),
      ...(start + limit < streams.length ? { nextToken: encodeToken({ offset: start + limit }) } : {}),
    };
  },
  PutLogEvents({ state, region, input, now }) {
    const group = requireGroup(state, region, groupName(state, region, input, false));
    const streamName = str(input, "logStreamName");
    if (streamName === undefined) throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
    const stream = getStream(group, streamName);
    if (!stream) throw streamNotFound();
    const events = input.logEvents;
    if (!Array.isArray(events) || events.length < 1 || events.length > 10000) throw invalid("logEvents must hold 1 to 10,000 events");
    let batchBytes = 0;
    let prev = -Infinity;
    const parsed = events.map((e: unknown) => {
      const ev = e as Json;
      if (typeof ev?.timestamp !== "number" || typeof ev.message !== "string") throw invalid("Each log event needs a timestamp (ms) and a message");
      if (ev.timestamp < prev) throw invalid("Log events in a single PutLogEvents request must be in chronological order.");
      prev = ev.timestamp;
      if (eventSize(ev.message) > 1024 * 1024) throw invalid("Log event too large: the maximum is 1,048,576 bytes including 26 bytes of overhead.");
      batchBytes += eventSize(ev.message);
      return { timestamp: ev.timestamp, message: ev.message };
    });
    if (batchBytes > 1024 * 1024) throw invalid("Upload too large: 1,048,576 bytes is the maximum for a PutLogEvents batch.");
    if (parsed.length > 1 && parsed.at(-1)!.timestamp - parsed[0]!.timestamp > 24 * 3600 * 1000) {
      throw invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    }
    let tooOldEnd = -1;
    let tooNewStart = -1;
    parsed.forEach((e, i) => {
      if (e.timestamp < now - MAX_AGE_MS) tooOldEnd = i + 1;
      if (tooNewStart < 0 && e.timestamp > now + MAX_AHEAD_MS) tooNewStart = i;
    });
    const accepted = parsed.slice(Math.max(tooOldEnd, 0), tooNewStart < 0 ? undefined : tooNewStart);
    appendEvents(state, group, stream, accepted, now);
    const rejected: Json = {};
    if (tooOldEnd >= 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
    if (tooNewStart >= 0) rejected.tooNewLogEventStartIndex = tooNewStart;
    return Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {};
  },
  FilterLogEvents({ state, region, input }) {
    const group = requireGroup(state, region, groupName(state, region, input, true));
    const names = input.logStreamNames;
    const prefix = str(input, "logStreamNamePrefix");
    if (names !== undefined && prefix !== undefined) throw invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100 || names.some((n) => typeof n !== "string"))) {
      throw invalid("logStreamNames must hold 1 to 100 log stream names");
    }
    const startTime = int(input, "startTime", 0, Number.MAX_SAFE_INTEGER);
    const endTime = int(input, "endTime", 0, Number.MAX_SAFE_INTEGER);
    if (startTime !== undefined && endTime !== undefined && endTime < startTime) throw invalid("endTime must be greater than or equal to startTime");
    const limit = int(input, "limit", 1, 10000) ?? 10000;
    let match;
    try {
      match = compileFilterPattern(str(input, "filterPattern"));
    } catch (e) {
      if (e instanceof FilterPatternError) throw invalid(e.message);
      throw e;
    }
    const token = str(input, "nextToken");
    // The token names the last event returned (its sort key); the next page starts after it.
    let after: LogEvent | undefined;
    if (token !== undefined) {
      const t = decodeToken(token) as { t?: unknown; i?: unknown; s?: unknown };
      if (typeof t.t !== "number" || typeof t.i !== "number" || typeof t.s !== "number") throw invalid("The specified nextToken is invalid.");
      after = { timestamp: t.t, ingestionTime: t.i, seq: t.s, message: "", eventId: "" };
    }
    const streams = Object.values(group.streams).filter((s) =>
      Array.isArray(names) ? names.includes(s.logStreamName) : prefix === undefined || s.logStreamName.startsWith(prefix),
    );
    // Streams are kept in event order, so each is entered by binary search at the first event
    // after the window start / the token, and the streams are merged head by head: a page costs
    // its own size (times the number of streams), not a scan of the whole group.
    const skip = (e: LogEvent) => (startTime !== undefined && e.timestamp < startTime) || (after !== undefined && compareEvents(e, after) <= 0);
    const heads = streams.map((s) => {
      let lo = 0;
      let hi = s.events.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (skip(s.events[mid]!)) lo = mid + 1;
        else hi = mid;
      }
      return { name: s.logStreamName, events: s.events, i: lo };
    });
    const out: Json[] = [];
    let bytes = 0;
    let last: LogEvent | undefined;
    let more = false;
    for (;;) {
      let best: (typeof heads)[number] | undefined;
      for (const h of heads) {
        const e = h.events[h.i];
        if (!e || (endTime !== undefined && e.timestamp > endTime)) continue;
        if (!best || compareEvents(e, best.events[best.i]!) < 0) best = h;
      }
      if (!best) break;
      const e = best.events[best.i]!;
      if (match(e.message)) {
        const size = eventSize(e.message);
        if (out.length >= limit || bytes + size > FILTER_RESPONSE_BYTES) {
          more = true;
          break;
        }
        bytes += size;
        out.push({ logStreamName: best.name, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId });
      }
      last = e;
      best.i += 1;
    }
    return {
      events: out,
      searchedLogStreams: [],
      ...(more && last ? { nextToken: encodeToken({ t: last.timestamp, i: last.ingestionTime, s: last.seq }) } : {}),
    };
  },
};

function sendLogsError(res: http.ServerResponse, err: AwsError, requestId: string): void {
  const code = AUTH_CODES[err.code] ?? err.code;
  const status = AUTH_CODES[err.code] ? 400 : err.status;
  send(res, status, CONTENT_TYPE, JSON.stringify({ __type: code, message: err.message }), { "x-amzn-RequestId": requestId });
}

export async function handleLogs(state: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> {
  const requestId = newRequestId();
  try {
    const auth = await authenticate(state, req);
    const m = TARGET.exec(req.headers["x-amz-target"] ?? "");
    const op = m ? OPERATIONS[m[1]!] : undefined;
    if (!m || !op) throw new AwsError("UnknownOperationException", `Unknown operation ${req.headers["x-amz-target"] ?? ""}`, 400);
    let input: Json;
    try {
      const parsed = req.body.length > 0 ? (JSON.parse(req.body.toString("utf8")) as unknown) : {};
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      input = parsed as Json;
    } catch {
      throw new AwsError("SerializationException", "Request body is not valid JSON", 400);
    }
    const region = auth.region;
    authorize(state, {
      principal: auth.principal,
      action: `logs:${m[1]}`,
      resource: resourceOf(state, region, m[1]!, input),
      sourceIp: req.sourceIp,
      userAgent: req.headers["user-agent"] ?? "",
      region,
    });
    if (!takeLogsToken(state, region, m[1]!)) throw new AwsError("ThrottlingException", "Rate exceeded", 400);
    const fault = takeFault(state, "logs", m[1]!);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new AwsError(fault.error.code, fault.error.message, fault.error.status);
    }
    const out = op({ state, region, input, now: nowMs(state) });
    send(res, 200, CONTENT_TYPE, JSON.stringify(out), { "x-amzn-RequestId": requestId });
  } catch (e) {
    const err = e instanceof AwsError ? e : new AwsError("ServiceUnavailableException", "The service cannot complete the request.", 500);
    if (!(e instanceof AwsError)) console.error("sandbox: unexpected error in CloudWatch Logs", e);
    sendLogsError(res, err, requestId);
  }
}
