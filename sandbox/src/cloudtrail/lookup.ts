import { createHash } from "node:crypto";
import { nowMs } from "../clock.js";
import { AwsError } from "../http.js";
import type { SandboxState } from "../state.js";
import type { LookupFilter, StoredEvent } from "./store.js";
import { takeLookupToken } from "./throttle.js";

const ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
] as const;
const RETENTION_MS = 90 * 86_400_000;

function timeOf(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  // SDKs send epoch seconds (possibly fractional); accept ISO strings too, as the CLI may.
  const ms = typeof v === "number" ? v * 1000 : typeof v === "string" ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw new AwsError("SerializationException", `Invalid value for ${field}`, 400);
  return ms;
}

function tokenFingerprint(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

function eventJson(state: SandboxState, ev: StoredEvent): Record<string, unknown> {
  const json = state.events.json(ev);
  const id = /"eventID":"([^"]*)"/.exec(json)?.[1];
  return {
    ...(id ? { EventId: id } : {}),
    EventName: ev.name,
    ReadOnly: String(ev.ro),
    ...(ev.akid ? { AccessKeyId: ev.akid } : {}),
    EventTime: ev.t / 1000,
    EventSource: ev.src,
    ...(ev.user ? { Username: ev.user } : {}),
    Resources: (ev.res ?? []).map(([type, name]) => ({ ResourceType: type, ResourceName: name })),
    CloudTrailEvent: json,
  };
}

/**
 * LookupEvents as CloudTrail answers it: throttled per region, one lookup attribute at most,
 * newest first, last 90 days, pages of MaxResults (1–50, default 50). NextToken holds the
 * position of the last event returned, so events recorded meanwhile (newer) never shift pages.
 */
export function lookupEvents(state: SandboxState, region: string, input: Record<string, unknown>): Record<string, unknown> {
  if (!takeLookupToken(state, region)) throw new AwsError("ThrottlingException", "Rate exceeded", 400);
  const attrs = input.LookupAttributes;
  if (attrs !== undefined && !Array.isArray(attrs)) {
    throw new AwsError("InvalidLookupAttributesException", "LookupAttributes must be a list.", 400);
  }
  if (attrs && attrs.length > 1) {
    throw new AwsError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.", 400);
  }
  let attribute: LookupFilter["attribute"];
  if (attrs && attrs.length === 1) {
    const a = attrs[0] as Record<string, unknown>;
    const key = a?.AttributeKey;
    const value = a?.AttributeValue;
    if (typeof key !== "string" || !(ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
      throw new AwsError("InvalidLookupAttributesException", `Invalid attribute key: ${String(key)}`, 400);
    }
    if (typeof value !== "string" || value.length < 1 || value.length > 2000) {
      throw new AwsError("InvalidLookupAttributesException", "Attribute value must be between 1 and 2000 characters.", 400);
    }
    attribute = { key, value };
  }
  if (input.EventCategory !== undefined && input.EventCategory !== "insight") {
    throw new AwsError("InvalidEventCategoryException", `Invalid event category: ${String(input.EventCategory)}`, 400);
  }
  const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 50) {
    throw new AwsError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.", 400);
  }
  const now = nowMs(state);
  const start = timeOf(input.StartTime, "StartTime");
  const end = timeOf(input.EndTime, "EndTime");
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError("InvalidTimeRangeException", "Start time must not be after end time.", 400);
  }
  const fingerprint = tokenFingerprint([region, attribute ?? null, start ?? null, end ?? null, input.EventCategory ?? null]);
  let after: LookupFilter["after"];
  if (input.NextToken !== undefined) {
    after = decodeToken(input.NextToken, fingerprint);
  }
  // Insight events are not emulated: a lookup for them finds none.
  if (input.EventCategory === "insight") return { Events: [] };
  const { events, more } = state.events.lookup(region, {
    ...(attribute ? { attribute } : {}),
    startMs: Math.max(start ?? 0, now - RETENTION_MS),
    endMs: Math.min(end ?? Number.MAX_SAFE_INTEGER, now),
    ...(after ? { after } : {}),
    limit: max,
  });
  const last = events[events.length - 1];
  return {
    Events: events.map((ev) => eventJson(state, ev)),
    ...(more && last ? { NextToken: encodeToken(last, fingerprint) } : {}),
  };
}

function encodeToken(ev: StoredEvent, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ t: ev.t, s: ev.seq, f: fingerprint })).toString("base64");
}

function decodeToken(token: unknown, fingerprint: string): { t: number; seq: number } {
  const invalid = new AwsError("InvalidNextTokenException", "Invalid NextToken.", 400);
  if (typeof token !== "string" || token.length === 0) throw invalid;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { t?: unknown; s?: unknown; f?: unknown };
    if (typeof parsed.t !== "number" || typeof parsed.s !== "number" || parsed.f !== fingerprint) throw invalid;
    return { t: parsed.t, seq: parsed.s };
  } catch {
    throw invalid;
  }
}
