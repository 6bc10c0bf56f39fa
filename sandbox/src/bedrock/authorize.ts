/**
 * Authorization of a runtime call: the caller's identity policies must allow the model action on
 * the model's ARN and, for API keys, `bedrock:CallWithBearerToken` (resource `*`). The request
 * context carries the global keys IAM would set plus `bedrock:BearerTokenType` for API keys.
 */
import { isoSeconds } from "../clock.js";
import { principalContext } from "../iam/authorize.js";
import { identityPolicyDocuments } from "../iam/policies.js";
import { evaluate } from "../policy/evaluate.js";
import { scpDenyMessage } from "../scp.js";
import type { PolicyDocument, RequestContext } from "../policy/types.js";
import { type SandboxState, userKey } from "../state.js";
import type { RuntimeCaller } from "./bearer.js";

export interface CallFacts {
  sourceIp: string;
  userAgent: string;
  region: string;
  now: Date;
}

/** Everything the policy conditions may look at for this call. */
export function requestContext(state: SandboxState, caller: RuntimeCaller, facts: CallFacts): RequestContext {
  const p = caller.principal;
  const ctx: Record<string, string> = {
    ...principalContext(state, p),
    "aws:CurrentTime": isoSeconds(facts.now),
    "aws:EpochTime": String(Math.floor(facts.now.getTime() / 1000)),
    "aws:SourceIp": facts.sourceIp,
    "aws:UserAgent": facts.userAgent,
    "aws:RequestedRegion": facts.region,
    // Bedrock runtime is HTTPS-only on AWS; the sandbox's plain HTTP stands in for it.
    "aws:SecureTransport": "true",
    "aws:ViaAWSService": "false",
  };
  if (caller.tokenType) ctx["bedrock:BearerTokenType"] = caller.tokenType;
  if (caller.tokenType === "SHORT_TERM") {
    // A short-term key is a session: signed by a role session, it carries that session's issue
    // time (principalContext set it); signed by a user's access key, the token's own signing time.
    if (p.type !== "assumed-role" && caller.tokenIssuedAt) ctx["aws:TokenIssueTime"] = isoSeconds(caller.tokenIssuedAt);
  }
  // Present for session credentials (short-term keys, role sessions), absent for long-term keys.
  if (caller.tokenType === "SHORT_TERM" || p.type === "assumed-role") ctx["aws:MultiFactorAuthPresent"] = "false";
  const entity = p.type === "user" ? state.users.get(userKey(p.userName)) : p.type === "assumed-role" ? state.roles.get(userKey(p.roleName)) : undefined;
  if (p.type === "assumed-role" && entity) ctx["aws:PrincipalArn"] = entity.arn; // keeps the role's path
  for (const tag of entity?.tags ?? []) ctx[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  return ctx;
}

export function policiesFor(state: SandboxState, caller: RuntimeCaller): PolicyDocument[] | "all" {
  const p = caller.principal;
  if (p.type === "root") return "all"; // the account's admin: no identity policy applies
  return p.type === "user"
    ? identityPolicyDocuments(state, { type: "user", userName: p.userName })
    : identityPolicyDocuments(state, { type: "role", roleName: p.roleName });
}

/**
 * The account's service control policies, then the caller's identity policies: null when both
 * allow, else AWS's AccessDeniedException message (an SCP denial names the service control policy).
 */
export function callDenyMessage(
  state: SandboxState,
  caller: RuntimeCaller,
  policies: PolicyDocument[] | "all",
  action: string,
  resource: string,
  context: RequestContext,
): string | null {
  return scpDenyMessage(state, caller.principal.arn, { action, resource, context }) ?? denyMessage(caller, policies, action, resource, context);
}

/** null when allowed; otherwise AWS's AccessDeniedException message. */
export function denyMessage(
  caller: RuntimeCaller,
  policies: PolicyDocument[] | "all",
  action: string,
  resource: string,
  context: RequestContext,
): string | null {
  if (policies === "all") return null;
  const result = evaluate(policies, { action, resource, context });
  if (result.decision === "Allow") return null;
  const why = result.decision === "ExplicitDeny"
    ? "with an explicit deny in an identity-based policy"
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${caller.principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
