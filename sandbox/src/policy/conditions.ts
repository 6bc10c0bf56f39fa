/**
 * IAM condition operators, following "IAM JSON policy elements: Condition operators" and
 * "Conditions with multiple context keys or values" in the IAM user guide:
 * - operators AND together, keys within an operator AND together, values for one key OR
 *   together — except negated operators (StringNotEquals, NotIpAddress, ...), whose values NOR;
 * - a key missing from the request makes a condition false, except for negated operators
 *   (true), `...IfExists` (true) and `Null` (which tests presence);
 * - `ForAllValues:` is true when every request value matches (vacuously true when the key is
 *   missing or empty); `ForAnyValue:` when at least one does (false when missing).
 */
import { BlockList, isIP } from "node:net";
import { matchArn, matchPattern, type VariableResolver } from "./pattern.js";
import type { ConditionBlock, ConditionValue, OneOrMany } from "./types.js";

type Family = "string" | "numeric" | "date" | "bool" | "binary" | "ip" | "arn";

interface OperatorSpec {
  family: Family;
  negated: boolean;
  /** Positive comparison of one request value against one policy value. */
  test: (requestValue: string, policyValue: string, resolve: VariableResolver | undefined) => boolean;
}

const str = (wildcards: boolean, ignoreCase: boolean) =>
  (v: string, p: string, resolve: VariableResolver | undefined) => matchPattern(p, v, { wildcards, ignoreCase, resolve });

const num = (cmp: (a: number, b: number) => boolean) => (v: string, p: string) => {
  const a = parseNumber(v);
  const b = parseNumber(p);
  return a !== null && b !== null && cmp(a, b);
};

const date = (cmp: (a: number, b: number) => boolean) => (v: string, p: string) => {
  const a = parseDate(v);
  const b = parseDate(p);
  return a !== null && b !== null && cmp(a, b);
};

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const arn = (v: string, p: string, resolve: VariableResolver | undefined) => matchArn(p, v, resolve);

const OPERATORS: Record<string, OperatorSpec> = {
  stringequals: { family: "string", negated: false, test: str(false, false) },
  stringnotequals: { family: "string", negated: true, test: str(false, false) },
  stringequalsignorecase: { family: "string", negated: false, test: str(false, true) },
  stringnotequalsignorecase: { family: "string", negated: true, test: str(false, true) },
  stringlike: { family: "string", negated: false, test: str(true, false) },
  stringnotlike: { family: "string", negated: true, test: str(true, false) },
  numericequals: { family: "numeric", negated: false, test: num(eq) },
  numericnotequals: { family: "numeric", negated: true, test: num(eq) },
  numericlessthan: { family: "numeric", negated: false, test: num(lt) },
  numericlessthanequals: { family: "numeric", negated: false, test: num(le) },
  numericgreaterthan: { family: "numeric", negated: false, test: num(gt) },
  numericgreaterthanequals: { family: "numeric", negated: false, test: num(ge) },
  dateequals: { family: "date", negated: false, test: date(eq) },
  datenotequals: { family: "date", negated: true, test: date(eq) },
  datelessthan: { family: "date", negated: false, test: date(lt) },
  datelessthanequals: { family: "date", negated: false, test: date(le) },
  dategreaterthan: { family: "date", negated: false, test: date(gt) },
  dategreaterthanequals: { family: "date", negated: false, test: date(ge) },
  bool: { family: "bool", negated: false, test: (v, p) => v.toLowerCase() === p.toLowerCase() },
  binaryequals: { family: "binary", negated: false, test: (v, p) => v === p },
  ipaddress: { family: "ip", negated: false, test: (v, p) => ipInRange(v, p) },
  notipaddress: { family: "ip", negated: true, test: (v, p) => ipInRange(v, p) },
  arnequals: { family: "arn", negated: false, test: arn },
  arnlike: { family: "arn", negated: false, test: arn },
  arnnotequals: { family: "arn", negated: true, test: arn },
  arnnotlike: { family: "arn", negated: true, test: arn },
};

export interface ParsedOperator {
  set: "none" | "any" | "all";
  ifExists: boolean;
  name: string;
  spec: OperatorSpec | "null";
}

export function parseOperator(raw: string): ParsedOperator | null {
  let rest = raw.trim();
  let set: ParsedOperator["set"] = "none";
  const lower = rest.toLowerCase();
  if (lower.startsWith("foranyvalue:")) {
    set = "any";
    rest = rest.slice("foranyvalue:".length);
  } else if (lower.startsWith("forallvalues:")) {
    set = "all";
    rest = rest.slice("forallvalues:".length);
  }
  let name = rest.toLowerCase();
  let ifExists = false;
  if (name.endsWith("ifexists")) {
    ifExists = true;
    name = name.slice(0, -"ifexists".length);
  }
  if (name === "null") return ifExists ? null : { set, ifExists, name, spec: "null" };
  const spec = OPERATORS[name];
  return spec ? { set, ifExists, name, spec } : null;
}

export type ContextLookup = (key: string) => string | readonly string[] | undefined;

/** True when every operator/key pair of the block holds for the request. */
export function conditionsHold(block: ConditionBlock, lookup: ContextLookup, resolve: VariableResolver | undefined): boolean {
  for (const [rawOperator, keys] of Object.entries(block)) {
    const op = parseOperator(rawOperator);
    // An operator IAM does not know would have been refused when the policy was saved; failing
    // closed (the statement does not apply) is the safe reading for anything that slipped in.
    if (!op || typeof keys !== "object" || keys === null) return false;
    for (const [key, rawValues] of Object.entries(keys)) {
      if (!conditionHolds(op, lookup(key), toStrings(rawValues), resolve)) return false;
    }
  }
  return true;
}

export function conditionHolds(
  op: ParsedOperator,
  requestValue: string | readonly string[] | undefined,
  policyValues: string[],
  resolve: VariableResolver | undefined,
): boolean {
  const present = requestValue !== undefined && !(Array.isArray(requestValue) && requestValue.length === 0);
  if (op.spec === "null") {
    // {"Null": {"key": "true"}} holds when the key is absent; "false" when it is present.
    return policyValues.some((p) => (p.toLowerCase() === "true" ? !present : present));
  }
  const spec = op.spec;
  const values: readonly string[] = requestValue === undefined ? [] : typeof requestValue === "string" ? [requestValue] : requestValue;
  // Positive operators OR over the policy values; negated ones are true only when none matches.
  const valueTest = (v: string): boolean => {
    const hit = policyValues.some((p) => spec.test(v, p, resolve));
    return spec.negated ? !hit : hit;
  };
  if (op.set === "all") return values.every(valueTest);
  if (!present) return op.ifExists || (op.set === "none" && spec.negated);
  if (op.set === "any") return values.some(valueTest);
  // A single-valued operator over a multi-valued key: positive if any value matches, negated if
  // none does (AWS calls this combination ambiguous and recommends set operators).
  const anyHit = values.some((v) => policyValues.some((p) => spec.test(v, p, resolve)));
  return spec.negated ? !anyHit : anyHit;
}

function toStrings(raw: OneOrMany<ConditionValue> | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => String(v));
}

function parseNumber(s: string): number | null {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return null;
  return Number(s);
}

/** ISO 8601 date/time, or epoch seconds (IAM accepts both for Date operators). */
export function parseDate(s: string): number | null {
  const trimmed = s.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return null;
  const t = Date.parse(trimmed);
  return Number.isNaN(t) ? null : t;
}

// BlockLists are built once per policy value: the same CIDRs are checked on every request.
const ranges = new Map<string, BlockList | null>();

function ipInRange(address: string, range: string): boolean {
  const ip = normalizeIp(address);
  const family = isIP(ip);
  if (family === 0) return false;
  let list = ranges.get(range);
  if (list === undefined) {
    list = buildRange(range);
    if (ranges.size > 10_000) ranges.clear();
    ranges.set(range, list);
  }
  return list !== null && list.check(ip, family === 4 ? "ipv4" : "ipv6");
}

function buildRange(range: string): BlockList | null {
  const [base = "", bits] = range.trim().split("/");
  const family = isIP(base);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  const list = new BlockList();
  list.addSubnet(base, prefix, family === 4 ? "ipv4" : "ipv6");
  return list;
}

/** Sockets report IPv4 peers as `::ffff:a.b.c.d`; IAM sees them as plain IPv4. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}
