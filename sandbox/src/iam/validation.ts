import { AwsError } from "../http.js";

/**
 * IAM/STS input validation with the service's wording:
 * "1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: ...".
 * Problems are collected per request and reported together, as AWS does.
 */
export class Validator {
  private readonly problems: string[] = [];

  private add(value: string | null, field: string, constraint: string): void {
    const shown = value === null ? "null" : `'${value}'`;
    this.problems.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  /** Required string; returns "" when missing (the error is reported by done()). */
  required(value: string | undefined, field: string): string {
    if (value === undefined) {
      this.add(null, field, "Member must not be null");
      return "";
    }
    return value;
  }

  length(value: string | undefined, field: string, min: number, max: number): void {
    if (value === undefined) return;
    if (value.length < min) this.add(value, field, `Member must have length greater than or equal to ${min}`);
    else if (value.length > max) this.add(value, field, `Member must have length less than or equal to ${max}`);
  }

  pattern(value: string | undefined, field: string, re: RegExp, shown: string): void {
    if (value === undefined || value.length === 0) return;
    if (!re.test(value)) this.add(value, field, `Member must satisfy regular expression pattern: ${shown}`);
  }

  /** IAM entity names: users, roles (1–64) and policy names (1–128). */
  name(value: string | undefined, field: string, max: number): void {
    this.length(value, field, 1, max);
    this.pattern(value, field, /^[\w+=,.@-]+$/, "[\\w+=,.@-]+");
  }

  path(value: string | undefined, field: string): void {
    this.length(value, field, 1, 512);
    this.pattern(value, field, /^(\/|\/[\u0021-\u007E]+\/)$/, "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  }

  pathPrefix(value: string | undefined, field: string): void {
    this.length(value, field, 1, 512);
    this.pattern(value, field, /^\/[\u0021-\u007E]*$/, "\\u002F[\\u0021-\\u007E]*");
  }

  enumValue(value: string | undefined, field: string, allowed: readonly string[]): void {
    if (value === undefined) return;
    if (!allowed.includes(value)) this.add(value, field, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }

  /** Integer within a range; returns the number, or undefined when absent or invalid. */
  int(value: string | undefined, field: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new AwsError("MalformedInput", `Invalid value for parameter ${field}: ${value}`, 400);
    }
    if (n < min) this.add(value, field, `Member must have value greater than or equal to ${min}`);
    else if (n > max) this.add(value, field, `Member must have value less than or equal to ${max}`);
    return n;
  }

  boolean(value: string | undefined, field: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (value === "true") return true;
    if (value === "false") return false;
    throw new AwsError("MalformedInput", `Invalid value for parameter ${field}: ${value}`, 400);
  }

  done(): void {
    if (this.problems.length === 0) return;
    const n = this.problems.length;
    throw new AwsError(
      "ValidationError",
      `${n} validation error${n > 1 ? "s" : ""} detected: ${this.problems.join("; ")}`,
      400,
    );
  }
}

/** Common IAM paging parameters: Marker (1–320 chars) and MaxItems (1–1000, default 100). */
export function pagingParams(v: Validator, params: URLSearchParams): { marker?: string; maxItems: number } {
  const marker = params.get("Marker") ?? undefined;
  v.length(marker, "marker", 1, 320);
  const maxItems = v.int(params.get("MaxItems") ?? undefined, "maxItems", 1, 1000) ?? 100;
  return { ...(marker !== undefined ? { marker } : {}), maxItems };
}

/** Markers are opaque to clients; inside they are the sort key of the last item returned. */
export function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), "utf8").toString("base64");
}

export function decodeMarker(marker: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(marker, "base64").toString("utf8")) as { k?: unknown };
    if (typeof parsed.k === "string") return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw new AwsError("ValidationError", "Invalid Marker.", 400);
}

/**
 * One page of a list sorted by `keyOf`: items strictly after the marker's key, so pages stay
 * consistent when items are added or removed between calls.
 */
export function page<T>(
  sorted: readonly T[],
  keyOf: (t: T) => string,
  marker: string | undefined,
  maxItems: number,
): { items: T[]; isTruncated: boolean; marker?: string } {
  let start = 0;
  if (marker !== undefined) {
    const after = decodeMarker(marker);
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid]!) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + maxItems);
  const isTruncated = start + maxItems < sorted.length;
  return {
    items,
    isTruncated,
    ...(isTruncated && items.length > 0 ? { marker: encodeMarker(keyOf(items[items.length - 1]!)) } : {}),
  };
}

/** `Tags.member.N.Key/Value` → tags; `Name.member.N` → strings. */
export function memberList(params: URLSearchParams, name: string): string[] {
  const out: Array<[number, string]> = [];
  const prefix = `${name}.member.`;
  for (const [k, v] of params) {
    if (k.startsWith(prefix)) {
      const n = Number(k.slice(prefix.length));
      if (Number.isInteger(n)) out.push([n, v]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function memberStructs(params: URLSearchParams, name: string): Array<Record<string, string>> {
  const byIndex = new Map<number, Record<string, string>>();
  const prefix = `${name}.member.`;
  for (const [k, v] of params) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const dot = rest.indexOf(".");
    if (dot < 0) continue;
    const n = Number(rest.slice(0, dot));
    if (!Number.isInteger(n)) continue;
    const entry = byIndex.get(n) ?? {};
    entry[rest.slice(dot + 1)] = v;
    byIndex.set(n, entry);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}
