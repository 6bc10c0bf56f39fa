import "server-only";
import { DeleteRolePolicyCommand, GetRolePolicyCommand, type IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { callAws, isAwsKind } from "./errors";
import { decodePolicyDocument } from "./iam-mapping";

/** Inline policies on a role: the short-term key revocation policy lives on the short-term role. */

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
