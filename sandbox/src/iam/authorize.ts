import { isoSeconds, now } from "../clock.js";
import { AwsError } from "../http.js";
import { evaluate } from "../policy/evaluate.js";
import { type SandboxState, userKey } from "../state.js";
import type { Principal } from "./credentials.js";
import { identityPolicyDocuments } from "./policies.js";
import { scpDenyMessage } from "../scp.js";

export interface AuthzRequest {
  principal: Principal;
  action: string; // e.g. "iam:CreateUser"
  resource: string;
  sourceIp: string;
  userAgent: string;
  region: string;
  /** Service-specific condition keys (e.g. iam:ServiceSpecificCredentialAgeDays). */
  extra?: Record<string, string | string[]>;
}

/** Global condition keys for a principal, as IAM puts them in the request context. */
export function principalContext(state: SandboxState, p: Principal): Record<string, string> {
  const base: Record<string, string> = { "aws:PrincipalAccount": state.accountId, "aws:PrincipalArn": p.arn };
  switch (p.type) {
    case "root":
      return { ...base, "aws:PrincipalType": "Account", "aws:userid": state.accountId };
    case "user":
      return { ...base, "aws:PrincipalType": "User", "aws:username": p.userName, "aws:userid": p.userId };
    case "assumed-role":
      return {
        ...base,
        // The role's ARN, path included, as IAM sets it (SCPs and policies match on it).
        "aws:PrincipalArn": state.roles.get(userKey(p.roleName))?.arn ?? `arn:aws:iam::${state.accountId}:role/${p.roleName}`,
        "aws:PrincipalType": "AssumedRole",
        "aws:userid": `${p.roleId}:${p.sessionName}`,
        "aws:TokenIssueTime": isoSeconds(p.issuedAt),
        ...(p.sourceIdentity ? { "aws:SourceIdentity": p.sourceIdentity } : {}),
      };
  }
}

/**
 * Identity-policy check for IAM/STS/CloudTrail calls made by IAM users and role sessions (the
 * built-in admin is the account root and is allowed everything its account's SCPs allow). Uses the same evaluator as the
 * Bedrock runtime, so a deny written for keys also governs these APIs.
 */
export function authorize(state: SandboxState, req: AuthzRequest): void {
  const p = req.principal;
  const context = {
    ...principalContext(state, p),
    "aws:CurrentTime": isoSeconds(now(state)),
    "aws:EpochTime": String(Math.floor(now(state).getTime() / 1000)),
    "aws:SourceIp": req.sourceIp,
    "aws:UserAgent": req.userAgent,
    "aws:RequestedRegion": req.region,
    "aws:SecureTransport": "false",
    ...req.extra,
  };
  // Service control policies first: they bind the member account's root user too (src/scp.ts).
  const scpDenied = scpDenyMessage(state, p.arn, { action: req.action, resource: req.resource, context });
  if (scpDenied) throw new AwsError("AccessDenied", scpDenied, 403);
  if (p.type === "root") return;
  const policies = p.type === "user"
    ? identityPolicyDocuments(state, { type: "user", userName: p.userName })
    : identityPolicyDocuments(state, { type: "role", roleName: p.roleName });
  const result = evaluate(policies, { action: req.action, resource: req.resource, context });
  if (result.decision === "Allow") return;
  const why = result.decision === "ExplicitDeny"
    ? "with an explicit deny in an identity-based policy"
    : `because no identity-based policy allows the ${req.action} action`;
  throw new AwsError(
    "AccessDenied",
    `User: ${p.arn} is not authorized to perform: ${req.action} on resource: ${req.resource} ${why}`,
    403,
  );
}
