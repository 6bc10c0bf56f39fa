import "server-only";
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { callAws } from "./errors";

/** STS operations: per-person role sessions for short-term keys, and "who is the console?". */

export interface RoleSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleArn: string | null;
}

export async function assumeRole(
  sts: STSClient,
  input: { roleArn: string; sessionName: string; sourceIdentity?: string; externalId?: string; durationSeconds: number },
): Promise<RoleSession> {
  const out = await callAws("sts", "AssumeRole", () =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        ...(input.sourceIdentity ? { SourceIdentity: input.sourceIdentity } : {}),
        ...(input.externalId ? { ExternalId: input.externalId } : {}),
        DurationSeconds: input.durationSeconds,
      }),
    ),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error("AssumeRole returned no credentials");
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: new Date(c.Expiration),
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? null,
  };
}

export async function getCallerIdentity(sts: STSClient): Promise<{ account: string; arn: string }> {
  const out = await callAws("sts", "GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
  return { account: out.Account ?? "", arn: out.Arn ?? "" };
}

/** The account an access key id (AKIA… or ASIA…) belongs to. */
export async function getAccessKeyInfo(sts: STSClient, accessKeyId: string): Promise<string | null> {
  const out = await callAws("sts", "GetAccessKeyInfo", () => sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId })));
  return out.Account ?? null;
}
