/**
 * Cheap checks on requests that claim to call a server action (a POST with a `Next-Action`
 * header), made in proxy.ts before Next decodes anything. Next answers most malformed calls
 * itself, but a foreign Origin, a garbled id or a pathologically nested body reached the
 * framework, answered 500 and printed a stack trace per request — a log flood any anonymous
 * client could cause. These are refused here with a 4xx instead. Pure, so it is unit-tested.
 */

export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** Deeper nesting than any action's arguments could need; JSON.parse of far deeper input overflows. */
export const ACTION_MAX_NESTING = 64;

export type ActionRejection = { status: 400 | 403 | 413 | 415; kind: string };

const ACTION_ID = /^[0-9a-f]{40,44}$/;
const CONTENT_TYPES = ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"];

/** The header checks: origin, id, content type, declared size. Null when the request may go on. */
export function checkActionHeaders(headers: Headers): ActionRejection | null {
  const origin = headers.get("origin");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (origin !== null) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    // Next itself also compares Origin and Host, but answers a mismatch with a 500.
    if (!originHost || !host || originHost !== host.split(",")[0]!.trim()) return { status: 403, kind: "foreign-origin" };
  }
  if (!ACTION_ID.test(headers.get("next-action") ?? "")) return { status: 400, kind: "malformed-action-id" };
  const type = (headers.get("content-type") ?? "").toLowerCase();
  if (!CONTENT_TYPES.some((t) => type.startsWith(t))) return { status: 415, kind: "content-type" };
  const length = Number(headers.get("content-length") ?? "0");
  if (Number.isFinite(length) && length > ACTION_BODY_LIMIT_BYTES) return { status: 413, kind: "body-too-large" };
  return null;
}

/** The deepest bracket nesting of a JSON text (outside strings), stopping as soon as it passes `limit`. */
export function jsonNestingExceeds(text: string, limit = ACTION_MAX_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** The body check, for text/plain (JSON-encoded arguments) bodies read in full. */
export function checkActionBody(text: string): ActionRejection | null {
  if (text.length > ACTION_BODY_LIMIT_BYTES) return { status: 413, kind: "body-too-large" };
  if (jsonNestingExceeds(text)) return { status: 400, kind: "nesting" };
  // A text/plain action body is the JSON encoding of the arguments; anything else makes the
  // framework's decoder throw (500 and a stack trace).
  try {
    JSON.parse(text);
  } catch {
    return { status: 400, kind: "malformed-body" };
  }
  return null;
}

/**
 * Log each kind of rejection at most once a minute, with how many there were: one line per
 * kind and minute however many requests an attacker sends.
 */
export function createRejectionLog(write: (line: Record<string, unknown>) => void, everyMs = 60_000) {
  const pending = new Map<string, { count: number; since: number }>();
  return (kind: string, now = Date.now()) => {
    const entry = pending.get(kind);
    if (!entry) {
      pending.set(kind, { count: 0, since: now });
      write({ msg: "action request refused", kind, count: 1 });
      return;
    }
    entry.count++;
    if (now - entry.since >= everyMs) {
      write({ msg: "action requests refused", kind, count: entry.count, sinceSeconds: Math.round((now - entry.since) / 1000) });
      pending.set(kind, { count: 0, since: now });
    }
  };
}
