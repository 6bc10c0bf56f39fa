/**
 * Wildcard patterns and policy variables, as IAM uses them in Action, Resource and the
 * String/Arn condition operators.
 *
 * - `*` matches any run of characters (colons and slashes included), `?` exactly one, but only
 *   where the element allows wildcards (StringEquals treats them literally).
 * - `${key}` is replaced by the request context's single value (policy variables exist only in
 *   policies whose Version is 2012-10-17). `${key, 'default'}` supplies a fallback. `${*}`,
 *   `${?}` and `${$}` stand for the literal characters. A variable whose key is missing (or is
 *   multi-valued) makes the pattern match nothing, which is how AWS treats it.
 */

export type VariableResolver = (key: string) => string | undefined;

export interface PatternOptions {
  wildcards: boolean;
  ignoreCase: boolean;
  /** Present when policy variables are allowed here. */
  resolve?: VariableResolver;
}

// Compiled regexes for patterns without variables are reused across requests: the same few
// policies are evaluated over and over, and compiling dominates the cost otherwise.
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 10_000;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Returns a RegExp anchored on both ends, or null when a variable could not be resolved. */
export function compilePattern(pattern: string, opts: PatternOptions): RegExp | null {
  const hasVariables = opts.resolve !== undefined && pattern.includes("${");
  const cacheKey = hasVariables ? "" : `${opts.wildcards ? "w" : "-"}${opts.ignoreCase ? "i" : "-"}${pattern}`;
  if (!hasVariables) {
    const hit = cache.get(cacheKey);
    if (hit) return hit;
  }
  let source = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (hasVariables && ch === "$" && pattern[i + 1] === "{") {
      const end = pattern.indexOf("}", i + 2);
      if (end === -1) {
        source += escapeRegex(pattern.slice(i));
        break;
      }
      const value = resolveVariable(pattern.slice(i + 2, end), opts.resolve!);
      if (value === undefined) return null;
      source += escapeRegex(value);
      i = end + 1;
      continue;
    }
    if (opts.wildcards && ch === "*") source += ".*";
    else if (opts.wildcards && ch === "?") source += ".";
    else source += escapeRegex(ch);
    i += 1;
  }
  const re = new RegExp(`^${source}$`, opts.ignoreCase ? "is" : "s");
  if (!hasVariables) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, re);
  }
  return re;
}

function resolveVariable(inner: string, resolve: VariableResolver): string | undefined {
  const trimmed = inner.trim();
  if (trimmed === "*" || trimmed === "?" || trimmed === "$") return trimmed;
  // `${aws:username, 'fallback'}`
  const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(trimmed);
  const key = withDefault ? withDefault[1]! : trimmed;
  return resolve(key.trim()) ?? withDefault?.[2];
}

export function matchPattern(pattern: string, value: string, opts: PatternOptions): boolean {
  const re = compilePattern(pattern, opts);
  return re !== null && re.test(value);
}

/**
 * ArnLike / ArnEquals: each of the six colon-separated parts is matched on its own, so a `*`
 * in the region part cannot swallow the account part. The sixth part (the resource) keeps its
 * own colons, e.g. `foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0`.
 */
export function matchArn(pattern: string, value: string, resolve: VariableResolver | undefined): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  for (let k = 0; k < 6; k += 1) {
    if (!matchPattern(p[k]!, v[k]!, { wildcards: true, ignoreCase: false, resolve })) return false;
  }
  return true;
}

/** Splits at the first five colons, skipping colons inside `${...}` policy variables. */
export function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < arn.length && parts.length < 5) {
    if (arn[i] === "$" && arn[i + 1] === "{") {
      const end = arn.indexOf("}", i);
      i = end === -1 ? arn.length : end + 1;
      continue;
    }
    if (arn[i] === ":") {
      parts.push(arn.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  if (parts.length < 5) return null;
  parts.push(arn.slice(start));
  return parts;
}
