import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { callAws, isAwsKind } from "@/lib/aws/errors";
import { BEDROCK_LIMITED_ACCESS, decodePolicyDocument, managedPolicyArn } from "@/lib/aws/iam-mapping";
import { MAX_SESSION_SECONDS } from "./revocation-policy";

/**
 * Creates the short-term key role when it is missing (scripts/aws-bootstrap.ts, tests).
 * Deliberately not `server-only`: it runs from a plain `tsx` script at install time, like
 * lib/db/client.ts. It needs the clients passed in and reads no configuration.
 */

export const DEFAULT_ROLE_NAME = "BedrockKeyConsoleShortTerm";
export const DEFAULT_ROLE_PATH = "/bedrock-key-console/";

/**
 * The console's principal as a trust policy must name it. STS reports an assumed role as
 * `arn:aws:sts::<acct>:assumed-role/<Role>/<session>`; trust policies need the role's IAM ARN.
 * (A role with a path needs its full ARN: pass it explicitly then.)
 */
export function trustPrincipalFor(callerArn: string): string {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

/**
 * Only the console may assume the role, and only while naming a person: every session must carry
 * a SourceIdentity (the condition), which is what CloudTrail shows and revocation matches on.
 */
export function shortTermTrustPolicy(principalArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConsoleAssumesPerPerson",
        Effect: "Allow",
        Principal: { AWS: principalArn },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        Condition: { StringLike: { "sts:SourceIdentity": "*" } },
      },
    ],
  });
}

export interface BootstrapResult {
  roleArn: string;
  created: boolean;
  principalArn: string;
  /** Set when an existing role trusts someone else / lacks the policy: the script warns. */
  warnings: string[];
}

export async function ensureShortTermRole(
  clients: { iam: IAMClient; sts: STSClient },
  opts: { roleName?: string; path?: string; principalArn?: string } = {},
): Promise<BootstrapResult> {
  const roleName = opts.roleName ?? DEFAULT_ROLE_NAME;
  const path = opts.path ?? DEFAULT_ROLE_PATH;
  const caller = await callAws("sts", "GetCallerIdentity", () => clients.sts.send(new GetCallerIdentityCommand({})));
  const principalArn = opts.principalArn ?? trustPrincipalFor(caller.Arn ?? "");
  const warnings: string[] = [];

  const existing = await callAws("iam", "GetRole", () => clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).catch((error: unknown) => {
    if (isAwsKind(error, "NotFound")) return null;
    throw error;
  });
  if (existing?.Role?.Arn) {
    const trust = decodePolicyDocument(existing.Role.AssumeRolePolicyDocument) ?? "";
    if (!trust.includes(principalArn)) warnings.push(`the role's trust policy does not name ${principalArn}`);
    if ((existing.Role.MaxSessionDuration ?? 3600) < MAX_SESSION_SECONDS) {
      warnings.push(`MaxSessionDuration is ${existing.Role.MaxSessionDuration ?? 3600}s: short-term keys cannot last longer than that`);
    }
    const attached = await callAws("iam", "ListAttachedRolePolicies", () =>
      clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    );
    if (!attached.AttachedPolicies?.some((p) => p.PolicyArn === managedPolicyArn(BEDROCK_LIMITED_ACCESS))) {
      warnings.push(`${BEDROCK_LIMITED_ACCESS} is not attached`);
    }
    return { roleArn: existing.Role.Arn, created: false, principalArn, warnings };
  }

  const created = await callAws("iam", "CreateRole", () =>
    clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        Path: path,
        AssumeRolePolicyDocument: shortTermTrustPolicy(principalArn),
        MaxSessionDuration: MAX_SESSION_SECONDS,
        Description: "Signs Bedrock short-term API keys issued by Bedrock Key Console, one session per person",
        Tags: [{ Key: "managed-by", Value: "bedrock-key-console" }],
      }),
    ),
  );
  await callAws("iam", "AttachRolePolicy", () =>
    clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: managedPolicyArn(BEDROCK_LIMITED_ACCESS) })),
  );
  return { roleArn: created.Role?.Arn ?? "", created: true, principalArn, warnings };
}
