/**
 * Identity-policy evaluation for one request, after AWS's documented logic for a single account
 * with only identity-based policies: an explicit Deny in any statement wins, otherwise any
 * Allow allows, otherwise the request is implicitly denied.
 *
 * A statement applies when its Action (or NotAction), Resource (or NotResource) and every
 * Condition match the request. Actions match case-insensitively with wildcards; resources match
 * case-sensitively with wildcards (a `*` may span colons, as in `arn:aws:bedrock:*`).
 *
 * `@cloud-copilot/iam-simulate` was considered and not used: it is AGPL-3.0 (not something to
 * put in the dependency tree of a self-hosted product), pulls ~19 MB of service data that must
 * be kept current, is async, and costs ~1.7 ms per simulation — a bearer call needs two.
 */
import { conditionsHold, type ContextLookup } from "./conditions.js";
import { matchPattern, type VariableResolver } from "./pattern.js";
import type {
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  OneOrMany,
  PolicyDocument,
  PolicyStatement,
  RequestContext,
} from "./types.js";

export type { EvaluationRequest, EvaluationResult, PolicyDocument, PolicyStatement, RequestContext } from "./types.js";

export function evaluate(policies: readonly PolicyDocument[], request: EvaluationRequest): EvaluationResult {
  const lookup = contextLookup(request.context);
  const resolve: VariableResolver = (key) => {
    const v = lookup(key);
    return typeof v === "string" ? v : undefined;
  };
  let allow: MatchedStatement | undefined;
  for (let p = 0; p < policies.length; p += 1) {
    const policy = policies[p];
    if (!policy || typeof policy !== "object") continue;
    // Policy variables only exist in the 2012-10-17 policy language; older documents see
    // `${...}` as literal text.
    const vars = policy.Version === "2012-10-17" ? resolve : undefined;
    const statements = asList(policy.Statement);
    for (let s = 0; s < statements.length; s += 1) {
      const st = statements[s];
      if (!st || typeof st !== "object") continue;
      const effect = st.Effect;
      if (effect !== "Allow" && effect !== "Deny") continue;
      if (effect === "Allow" && allow) continue; // one Allow is enough; keep looking for Denies
      if (!statementApplies(st, request, lookup, vars)) continue;
      const matched: MatchedStatement = { policyIndex: p, statementIndex: s, effect, ...(st.Sid ? { sid: st.Sid } : {}) };
      if (effect === "Deny") return { decision: "ExplicitDeny", matchedStatement: matched };
      allow = matched;
    }
  }
  return allow ? { decision: "Allow", matchedStatement: allow } : { decision: "ImplicitDeny" };
}

function statementApplies(
  st: PolicyStatement,
  request: EvaluationRequest,
  lookup: ContextLookup,
  vars: VariableResolver | undefined,
): boolean {
  if (!elementMatches(st.Action, st.NotAction, (p) => actionMatches(p, request.action))) return false;
  if (!elementMatches(st.Resource, st.NotResource, (p) => resourceMatches(p, request.resource, vars))) return false;
  if (st.Condition !== undefined) {
    if (typeof st.Condition !== "object" || st.Condition === null) return false;
    if (!conditionsHold(st.Condition, lookup, vars)) return false;
  }
  return true;
}

/**
 * `Action` matches when any pattern matches; `NotAction` when none does. A statement carrying
 * neither (or both) is invalid in IAM and never applies here.
 */
function elementMatches(
  positive: OneOrMany<string> | undefined,
  negative: OneOrMany<string> | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (positive !== undefined && negative === undefined) return asList(positive).some((p) => typeof p === "string" && matches(p));
  if (negative !== undefined && positive === undefined) return !asList(negative).some((p) => typeof p === "string" && matches(p));
  return false;
}

export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  return matchPattern(pattern, action, { wildcards: true, ignoreCase: true });
}

export function resourceMatches(pattern: string, resource: string, vars: VariableResolver | undefined): boolean {
  if (pattern === "*") return true;
  return matchPattern(pattern, resource, { wildcards: true, ignoreCase: false, resolve: vars });
}

/** Condition key names are case-insensitive (`aws:SourceIp` = `aws:sourceip`). */
function contextLookup(context: RequestContext): ContextLookup {
  const lowered = new Map<string, string | readonly string[]>();
  for (const [k, v] of Object.entries(context)) lowered.set(k.toLowerCase(), v);
  return (key) => lowered.get(key.toLowerCase());
}

function asList<T>(v: OneOrMany<T> | undefined): readonly T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}
