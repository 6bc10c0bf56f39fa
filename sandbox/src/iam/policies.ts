import { type SandboxState, userKey } from "../state.js";
import { AWS_MANAGED_POLICIES, type AwsManagedPolicy } from "./aws-managed-policies.js";

export type ConditionBlock = Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  NotPrincipal?: "*" | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

const MANAGED_BY_ARN = new Map<string, AwsManagedPolicy>(
  AWS_MANAGED_POLICIES.map((p) => [`arn:aws:iam::aws:policy${p.path}${p.name}`, p]),
);

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return MANAGED_BY_ARN.get(arn);
}

export function awsManagedPolicyArns(): string[] {
  return [...MANAGED_BY_ARN.keys()];
}

/**
 * Parses a policy document the way IAM accepts it: JSON, an object with a Statement that is an
 * object or a non-empty array of objects with Effect Allow/Deny. Returns an error message in
 * IAM's words when it is not acceptable (the caller raises MalformedPolicyDocument).
 */
export function parsePolicyDocument(text: string): { ok: true; doc: PolicyDocument } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: "Syntax errors in policy." };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { ok: false, message: "Syntax errors in policy." };
  }
  const doc = parsed as Record<string, unknown>;
  const version = doc.Version;
  if (version !== undefined && version !== "2012-10-17" && version !== "2008-10-17") {
    return { ok: false, message: "The policy failed legacy parsing" };
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  if (statements.length === 0) return { ok: false, message: "Syntax errors in policy." };
  for (const s of statements) {
    if (!s || typeof s !== "object") return { ok: false, message: "Syntax errors in policy." };
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") return { ok: false, message: "Syntax errors in policy." };
    if (st.Action === undefined && st.NotAction === undefined) {
      return { ok: false, message: "Policy statement must contain actions." };
    }
  }
  return { ok: true, doc: parsed as PolicyDocument };
}

function parseStored(text: string): PolicyDocument | null {
  const r = parsePolicyDocument(text);
  return r.ok ? r.doc : null;
}

/** Attached managed policies (AWS managed documents) followed by inline policies, parsed. */
export function identityPolicyDocuments(
  state: SandboxState,
  principal: { type: "user"; userName: string } | { type: "role"; roleName: string },
): PolicyDocument[] {
  const entity = principal.type === "user"
    ? state.users.get(userKey(principal.userName))
    : state.roles.get(userKey(principal.roleName));
  if (!entity) return [];
  const docs: PolicyDocument[] = [];
  for (const arn of entity.attachedPolicies) {
    const managed = awsManagedPolicy(arn);
    if (managed) docs.push(managed.document);
  }
  for (const text of Object.values(entity.inlinePolicies)) {
    const doc = parseStored(text);
    if (doc) docs.push(doc);
  }
  return docs;
}
