/**
 * CloudWatch Logs data, per account (a SandboxState) and region: log groups, their streams and
 * events. Kept as plain JSON in `state.extensions` so the sandbox's state file persists it.
 */
import { randomBytes } from "node:crypto";
import type { SandboxState } from "../state.js";

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Global ingestion order: the tie-breaker AWS documents (the PutLogEvents request). */
  seq: number;
  eventId: string;
}

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  events: LogEvent[];
  storedBytes: number;
}

export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  streams: Record<string, LogStream>;
  storedBytes: number;
}

interface LogsWorld {
  seq: number;
  regions: Record<string, Record<string, LogGroup>>;
}

const KEY = "cloudwatchLogs";

function world(state: SandboxState): LogsWorld {
  let w = state.extensions[KEY] as LogsWorld | undefined;
  if (!w || typeof w !== "object" || !w.regions) {
    w = { seq: 0, regions: {} };
    state.extensions[KEY] = w;
  }
  return w;
}

export function groupsOf(state: SandboxState, region: string): Record<string, LogGroup> {
  const w = world(state);
  return (w.regions[region] ??= {});
}

export function getGroup(state: SandboxState, region: string, name: string): LogGroup | undefined {
  return Object.prototype.hasOwnProperty.call(groupsOf(state, region), name) ? groupsOf(state, region)[name] : undefined;
}

export function createGroup(state: SandboxState, region: string, name: string, nowMs: number): LogGroup | null {
  const groups = groupsOf(state, region);
  if (getGroup(state, region, name)) return null;
  const g: LogGroup = { logGroupName: name, creationTime: nowMs, streams: {}, storedBytes: 0 };
  groups[name] = g;
  state.onChange?.();
  return g;
}

export function deleteGroup(state: SandboxState, region: string, name: string): boolean {
  const groups = groupsOf(state, region);
  if (!getGroup(state, region, name)) return false;
  delete groups[name];
  state.onChange?.();
  return true;
}

export function getStream(group: LogGroup, name: string): LogStream | undefined {
  return Object.prototype.hasOwnProperty.call(group.streams, name) ? group.streams[name] : undefined;
}

export function createStream(state: SandboxState, group: LogGroup, name: string, nowMs: number): LogStream | null {
  if (getStream(group, name)) return null;
  const s: LogStream = { logStreamName: name, creationTime: nowMs, events: [], storedBytes: 0 };
  group.streams[name] = s;
  state.onChange?.();
  return s;
}

/** AWS counts an event's size as its UTF-8 message plus 26 bytes. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, "utf8") + 26;
}

/** Appends events (already validated) to a stream, in order; returns them as stored. */
export function appendEvents(state: SandboxState, group: LogGroup, stream: LogStream, events: { timestamp: number; message: string }[], ingestionTime: number): LogEvent[] {
  const w = world(state);
  const stored = events.map((e) => {
    w.seq += 1;
    const ev: LogEvent = { timestamp: e.timestamp, message: e.message, ingestionTime, seq: w.seq, eventId: eventIdOf(e.timestamp, w.seq) };
    const size = eventSize(e.message);
    stream.storedBytes += size;
    group.storedBytes += size;
    return ev;
  });
  stream.events.push(...stored);
  // Kept in timestamp order, so readers can scan streams without sorting each time.
  if (stored.length > 0 && stream.events.length > stored.length) {
    const prev = stream.events[stream.events.length - stored.length - 1]!;
    if (compareEvents(prev, stored[0]!) > 0) stream.events.sort(compareEvents);
  }
  state.onChange?.();
  return stored;
}

export function compareEvents(a: LogEvent, b: LogEvent): number {
  return a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime || a.seq - b.seq;
}

/** AWS event ids are long decimal strings; these are unique and ordered like the events. */
function eventIdOf(timestamp: number, seq: number): string {
  return `${String(timestamp).padStart(15, "0")}${String(seq).padStart(20, "0")}${randomBytes(2).readUInt16BE(0).toString().padStart(5, "0")}`;
}

export function logGroupArn(state: SandboxState, region: string, name: string): string {
  return `arn:aws:logs:${region}:${state.accountId}:log-group:${name}`;
}
