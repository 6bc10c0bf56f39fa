import "server-only";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { callAws, isAwsKind } from "./errors";
import { decodePolicyDocument } from "./iam-mapping";

/** IAM role operations for short-term keys (revocation policy) and the bootstrap script. */

export interface RoleInfo {
  arn: string;
  roleName: string;
  maxSessionDuration: number;
  trustPolicy: string | null;
}

/** The role, or null when it does not exist. */
export async function getRole(iam: IAMClient, roleName: string): Promise<RoleInfo | null> {
  try {
    const out = await callAws("iam", "GetRole", () => iam.send(new GetRoleCommand({ RoleName: roleName })));
    const role = out.Role;
    if (!role?.Arn || !role.RoleName) return null;
    return {
      arn: role.Arn,
      roleName: role.RoleName,
      maxSessionDuration: role.MaxSessionDuration ?? 3600,
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
    };
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return null;
    throw error;
  }
}

export async function createRole(
  iam: IAMClient,
  input: { roleName: string; path: string; trustPolicy: string; maxSessionDuration: number; description: string; tags: Record<string, string> },
): Promise<RoleInfo> {
  const out = await callAws("iam", "CreateRole", () =>
    iam.send(
      new CreateRoleCommand({
        RoleName: input.roleName,
        Path: input.path,
        AssumeRolePolicyDocument: input.trustPolicy,
        MaxSessionDuration: input.maxSessionDuration,
        Description: input.description,
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
  return {
    arn: out.Role?.Arn ?? "",
    roleName: out.Role?.RoleName ?? input.roleName,
    maxSessionDuration: out.Role?.MaxSessionDuration ?? input.maxSessionDuration,
    trustPolicy: input.trustPolicy,
  };
}

export async function attachRolePolicy(iam: IAMClient, roleName: string, policyArn: string): Promise<void> {
  await callAws("iam", "AttachRolePolicy", () => iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
}

/** The inline policy's JSON text, or null when the role has no policy of that name. */
export async function getRolePolicyDocument(iam: IAMClient, roleName: string, policyName: string): Promise<string | null> {
  try {
    const out = await callAws("iam", "GetRolePolicy", () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
    return decodePolicyDocument(out.PolicyDocument);
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return null;
    throw error;
  }
}

export async function putRolePolicy(iam: IAMClient, roleName: string, policyName: string, document: string): Promise<void> {
  await callAws("iam", "PutRolePolicy", () =>
    iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: document })),
  );
}

export async function deleteRolePolicy(iam: IAMClient, roleName: string, policyName: string): Promise<void> {
  try {
    await callAws("iam", "DeleteRolePolicy", () => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
  } catch (error) {
    if (!isAwsKind(error, "NotFound")) throw error;
  }
}

/** `arn:aws:iam::123456789012:role/some/path/Name` → `Name` (IAM role APIs take the name, not the ARN). */
export function roleNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** `arn:aws:iam::123456789012:role/...` → `123456789012`. */
export function accountIdFromArn(arn: string): string | null {
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? null;
}
