/**
 * AWS Organizations' policy operations for SERVICE_CONTROL_POLICY (issue 16), with the inputs,
 * outputs and errors of the Organizations API reference: policy ids `p-` + 8 lowercase
 * characters/digits, `ConstraintViolationException` with Reason POLICY_CONTENT_LIMIT_EXCEEDED
 * (5,120 characters) or MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED (a target must keep one SCP),
 * `MalformedPolicyDocumentException`, `DuplicatePolicyException`, `PolicyInUseException`, … The
 * effect of attached policies on every call is src/scp.ts. Other policy types (tag, backup, AI
 * opt-out, …) are refused as not enabled.
 */
import { randomBytes } from "node:crypto";
import { allAccounts, managementAccount } from "./accounts.js";
import { AwsError } from "./http.js";
import { parsePolicyDocument } from "./iam/policies.js";
import { attachedTo, ORG_ID, orgPolicies, type OrgPolicy, policyArn, ROOT_ID, SCP_MAX_CHARS, SCP_TYPE } from "./scp.js";
import type { SandboxState } from "./state.js";

class ConstraintViolation extends AwsError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super("ConstraintViolationException", message, 400);
  }
}

type Input = Record<string, unknown>;

const str = (input: Input, name: string, required = true): string | undefined => {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw new AwsError("InvalidInputException", `You provided a value that does not match the required pattern. (${name} is required)`, 400);
    return undefined;
  }
  if (typeof v !== "string") throw new AwsError("InvalidInputException", `You provided a value that does not match the required pattern. (${name} must be a string)`, 400);
  return v;
};

function summary(state: SandboxState, p: OrgPolicy) {
  return { Id: p.id, Arn: policyArn(state, p), Name: p.name, Description: p.description, Type: SCP_TYPE, AwsManaged: p.awsManaged };
}

function checkType(input: Input, name: "Type" | "Filter") {
  const type = str(input, name);
  if (type !== SCP_TYPE) {
    throw new AwsError("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.", 400);
  }
}

function checkContent(content: string) {
  if (content.length > SCP_MAX_CHARS) {
    throw new ConstraintViolation("You have exceeded the maximum size of a policy document.", "POLICY_CONTENT_LIMIT_EXCEEDED");
  }
  const parsed = parsePolicyDocument(content);
  if (!parsed.ok) throw new AwsError("MalformedPolicyDocumentException", "The provided policy document does not meet the requirements of the specified policy type.", 400);
  const statements = Array.isArray(parsed.doc.Statement) ? parsed.doc.Statement : [parsed.doc.Statement];
  for (const st of statements) {
    if (!st || typeof st !== "object") continue;
    // SCPs govern the principals of an account; they name none (AWS refuses Principal elements).
    if ("Principal" in st || "NotPrincipal" in st) {
      throw new AwsError("MalformedPolicyDocumentException", "The provided policy document does not meet the requirements of the specified policy type.", 400);
    }
  }
}

function findPolicy(state: SandboxState, id: string | undefined): OrgPolicy {
  const p = orgPolicies(state).policies.find((x) => x.id === id);
  if (!p) throw new AwsError("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.", 400);
  return p;
}

function checkTarget(state: SandboxState, targetId: string | undefined): string {
  if (targetId === ROOT_ID) return targetId;
  const account = targetId ? managementAccount(state).accounts.get(targetId) : undefined;
  if (!account || !account.org.member) throw new AwsError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.", 400);
  return targetId!;
}

function targets(state: SandboxState): string[] {
  return [ROOT_ID, ...allAccounts(state).filter((a) => a.org.member).map((a) => a.accountId)];
}

/** Runs one policy operation; undefined when `action` is not one of them. */
export function policyOperation(state: SandboxState, action: string, input: Input): unknown {
  const org = orgPolicies(state);
  switch (action) {
    case "ListRoots":
      return {
        Roots: [{ Id: ROOT_ID, Arn: `arn:aws:organizations::${managementAccount(state).accountId}:root/${ORG_ID}/${ROOT_ID}`, Name: "Root", PolicyTypes: [{ Type: SCP_TYPE, Status: "ENABLED" }] }],
      };
    case "CreatePolicy": {
      checkType(input, "Type");
      const name = str(input, "Name")!;
      const content = str(input, "Content")!;
      const description = str(input, "Description", false) ?? "";
      if (!/^[\s\S]{1,128}$/.test(name)) throw new AwsError("InvalidInputException", "You provided a value that does not match the required pattern. (Name)", 400);
      if (org.policies.some((p) => p.name === name)) throw new AwsError("DuplicatePolicyException", "A policy with the same name already exists.", 400);
      checkContent(content);
      const policy: OrgPolicy = { id: `p-${randomBytes(4).toString("hex")}`, name, description, awsManaged: false, content };
      org.policies.push(policy);
      return { Policy: { PolicySummary: summary(state, policy), Content: policy.content } };
    }
    case "UpdatePolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      if (policy.awsManaged) throw new AwsError("PolicyChangesInProgressException", "You can't change an AWS managed policy.", 400);
      const content = str(input, "Content", false);
      if (content !== undefined) checkContent(content);
      const name = str(input, "Name", false);
      if (name !== undefined && org.policies.some((p) => p !== policy && p.name === name)) throw new AwsError("DuplicatePolicyException", "A policy with the same name already exists.", 400);
      Object.assign(policy, {
        ...(content !== undefined ? { content } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(input.Description !== undefined ? { description: str(input, "Description") } : {}),
      });
      return { Policy: { PolicySummary: summary(state, policy), Content: policy.content } };
    }
    case "DescribePolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      return { Policy: { PolicySummary: summary(state, policy), Content: policy.content } };
    }
    case "DeletePolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      if (policy.awsManaged) throw new AwsError("AccessDeniedException", "You can't delete an AWS managed policy.", 400);
      if (targets(state).some((t) => attachedTo(state, t).includes(policy.id))) {
        throw new AwsError("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.", 400);
      }
      org.policies.splice(org.policies.indexOf(policy), 1);
      return {};
    }
    case "ListPolicies":
      checkType(input, "Filter");
      return { Policies: org.policies.map((p) => summary(state, p)) };
    case "ListPoliciesForTarget": {
      checkType(input, "Filter");
      const target = checkTarget(state, str(input, "TargetId"));
      const ids = attachedTo(state, target);
      return { Policies: org.policies.filter((p) => ids.includes(p.id)).map((p) => summary(state, p)) };
    }
    case "ListTargetsForPolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      const management = managementAccount(state);
      return {
        Targets: targets(state)
          .filter((t) => attachedTo(state, t).includes(policy.id))
          .map((t) =>
            t === ROOT_ID
              ? { TargetId: t, Arn: `arn:aws:organizations::${management.accountId}:root/${ORG_ID}/${ROOT_ID}`, Name: "Root", Type: "ROOT" }
              : { TargetId: t, Arn: `arn:aws:organizations::${management.accountId}:account/${ORG_ID}/${t}`, Name: management.accounts.get(t)!.org.name, Type: "ACCOUNT" },
          ),
      };
    }
    case "AttachPolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      const target = checkTarget(state, str(input, "TargetId"));
      const ids = attachedTo(state, target);
      if (ids.includes(policy.id)) throw new AwsError("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.", 400);
      if (ids.length >= 5) throw new ConstraintViolation("You have attached the maximum number of policies of this type to the target.", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED");
      org.attachments[target] = [...ids, policy.id];
      return {};
    }
    case "DetachPolicy": {
      const policy = findPolicy(state, str(input, "PolicyId"));
      const target = checkTarget(state, str(input, "TargetId"));
      const ids = attachedTo(state, target);
      if (!ids.includes(policy.id)) throw new AwsError("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.", 400);
      // Every root, OU and account keeps at least one SCP (AWS refuses to detach the last one).
      if (ids.length === 1) throw new ConstraintViolation("You can't detach the last service control policy from a target.", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED");
      org.attachments[target] = ids.filter((id) => id !== policy.id);
      return {};
    }
    default:
      return undefined;
  }
}

