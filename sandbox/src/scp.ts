/**
 * Service control policies (issue 16): the Organizations policies of type
 * SERVICE_CONTROL_POLICY, attached to the organisation's root or to accounts, and their effect on
 * every call made in a member account — IAM, CloudTrail, CloudWatch Logs, S3, SQS, Bedrock's
 * control plane, the runtime and bedrock-mantle.
 *
 * AWS's SCP evaluation logic ("SCP evaluation", AWS Organizations User Guide):
 * - an SCP never grants: it sets the most a principal of the account may do, and the identity
 *   policies must still allow the call;
 * - an explicit Deny in any SCP that applies wins;
 * - at each level from the root down to the account, at least one attached SCP must Allow the
 *   action, else the call is denied (FullAWSAccess, attached by default to the root and to every
 *   account, is what normally provides that Allow);
 * - SCPs bind every principal of a member account, its root user included, and nothing in the
 *   management account.
 * Conditions are evaluated by the same evaluator as identity policies (src/policy/evaluate.ts),
 * on the same request context.
 *
 * The sandbox has no organizational units: the levels are the root and the account.
 */
import { managementAccount } from "./accounts.js";
import { evaluate } from "./policy/evaluate.js";
import type { PolicyDocument, RequestContext } from "./policy/types.js";
import type { SandboxState } from "./state.js";

export const SCP_TYPE = "SERVICE_CONTROL_POLICY";
export const ORG_ID = "o-sandbox0001";
export const ROOT_ID = "r-sb01";
export const FULL_AWS_ACCESS_ID = "p-FullAWSAccess";
/** AWS Organizations' limit on an SCP document, in characters. */
export const SCP_MAX_CHARS = 5_120;

export interface OrgPolicy {
  id: string;
  name: string;
  description: string;
  awsManaged: boolean;
  content: string;
}

export interface OrgPolicies {
  policies: OrgPolicy[];
  /** Target id (the root id or an account id) → attached policy ids. A missing account = FullAWSAccess only. */
  attachments: Record<string, string[]>;
}

const FULL_AWS_ACCESS: OrgPolicy = {
  id: FULL_AWS_ACCESS_ID,
  name: "FullAWSAccess",
  description: "Allows access to every operation",
  awsManaged: true,
  content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
};

const EXTENSION = "organizationPolicies";

/** The organisation's policies, kept with the management account (persisted in its extensions). */
export function orgPolicies(state: SandboxState): OrgPolicies {
  const management = managementAccount(state);
  let p = management.extensions[EXTENSION] as OrgPolicies | undefined;
  if (!p) {
    p = { policies: [FULL_AWS_ACCESS], attachments: { [ROOT_ID]: [FULL_AWS_ACCESS_ID] } };
    management.extensions[EXTENSION] = p;
  }
  return p;
}

export function policyArn(state: SandboxState, policy: OrgPolicy): string {
  return policy.awsManaged
    ? `arn:aws:organizations::aws:policy/service_control_policy/${policy.id}`
    : `arn:aws:organizations::${managementAccount(state).accountId}:policy/${ORG_ID}/service_control_policy/${policy.id}`;
}

export function attachedTo(state: SandboxState, targetId: string): string[] {
  const p = orgPolicies(state);
  return p.attachments[targetId] ?? (targetId === ROOT_ID ? [] : [FULL_AWS_ACCESS_ID]);
}

const parsed = new Map<string, PolicyDocument | null>();
function documentOf(content: string): PolicyDocument | null {
  let doc = parsed.get(content);
  if (doc === undefined) {
    try {
      doc = JSON.parse(content) as PolicyDocument;
    } catch {
      doc = null;
    }
    if (parsed.size > 1000) parsed.clear();
    parsed.set(content, doc);
  }
  return doc;
}

export type ScpDecision = { decision: "Allow" } | { decision: "ExplicitDeny" | "ImplicitDeny"; policyId?: string };

/** The SCPs' verdict on one request made in `account` (Allow when SCPs do not apply). */
export function scpDecision(account: SandboxState, request: { action: string; resource: string; context: RequestContext }): ScpDecision {
  const management = managementAccount(account);
  if (account === management || !account.org.member) return { decision: "Allow" };
  const p = orgPolicies(account);
  const byId = new Map(p.policies.map((x) => [x.id, x]));
  const levels = [attachedTo(account, ROOT_ID), attachedTo(account, account.accountId)].map((ids) =>
    ids.map((id) => byId.get(id)).filter((x): x is OrgPolicy => x !== undefined),
  );
  let implicit = false;
  for (const level of levels) {
    const docs = level.map((x) => documentOf(x.content)).filter((d): d is PolicyDocument => d !== null);
    const result = evaluate(docs, request);
    if (result.decision === "ExplicitDeny") {
      const policy = result.matchedStatement ? level.filter((x) => documentOf(x.content) !== null)[result.matchedStatement.policyIndex] : undefined;
      return { decision: "ExplicitDeny", ...(policy ? { policyId: policy.id } : {}) };
    }
    if (result.decision === "ImplicitDeny") implicit = true;
  }
  return implicit ? { decision: "ImplicitDeny" } : { decision: "Allow" };
}

/** AWS's AccessDenied message when SCPs refuse the request, else null. */
export function scpDenyMessage(account: SandboxState, principalArn: string, request: { action: string; resource: string; context: RequestContext }): string | null {
  const d = scpDecision(account, request);
  if (d.decision === "Allow") return null;
  const why = d.decision === "ExplicitDeny"
    ? "with an explicit deny in a service control policy"
    : `because no service control policy allows the ${request.action} action`;
  return `User: ${principalArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}
