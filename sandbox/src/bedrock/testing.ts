/**
 * Helpers for the Bedrock runtime integration tests (and the benchmark): an in-process sandbox,
 * real AWS SDK clients pointed at it, and the few IAM steps every test repeats. Keys are made at
 * run time through the IAM API; nothing key-shaped is stored in the repository.
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { type CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  type IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { Sandbox } from "../server.js";
import { ADMIN, clientsFor, startSandbox } from "../testing/clients.js";

export { ADMIN };
export const LIMITED_ACCESS = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess";
export const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const US_HAIKU = `us.${HAIKU}`;

export interface Harness {
  sandbox: Sandbox;
  iam: IAMClient;
  sts: STSClient;
  cloudtrail: (region?: string) => CloudTrailClient;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  // LookupEvents throttling (2/s, as on AWS) is off so tests can look up freely.
  const sandbox = await startSandbox({ lookupEventsRatePerSecond: 0 });
  const trails = new Map<string, CloudTrailClient>([["us-east-1", sandbox.cloudtrail]]);
  const cloudtrail = (region = "us-east-1") => {
    let c = trails.get(region);
    if (!c) {
      const clients = clientsFor(sandbox.url, ADMIN, region);
      clients.iam.destroy();
      clients.sts.destroy();
      trails.set(region, (c = clients.cloudtrail));
    }
    return c;
  };
  return {
    sandbox,
    iam: sandbox.iam,
    sts: sandbox.sts,
    cloudtrail,
    async close() {
      sandbox.iam.destroy();
      sandbox.sts.destroy();
      for (const c of trails.values()) c.destroy();
      await sandbox.close();
    },
  };
}

/** A Bedrock runtime SDK client using a bearer key; the region goes in the endpoint's path prefix. */
export function runtimeClient(url: string, token: string, region = "us-east-1"): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region,
    endpoint: `${url}/bedrock-runtime/${region}`,
    token: { token },
    authSchemePreference: ["httpBearerAuth"],
    maxAttempts: 1,
  });
}

/** A key user as the AWS console makes one: `BedrockAPIKey-xxxx` with AmazonBedrockLimitedAccess. */
export async function createKeyUser(
  iam: IAMClient,
  userName: string,
  opts: { inlinePolicy?: object; credentialAgeDays?: number; managed?: boolean } = {},
): Promise<{ userName: string; apiKey: string; credentialId: string }> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (opts.managed !== false) await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: LIMITED_ACCESS }));
  if (opts.inlinePolicy) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "restrict", PolicyDocument: JSON.stringify(opts.inlinePolicy) }));
  }
  const out = await iam.send(
    new CreateServiceSpecificCredentialCommand({
      UserName: userName,
      ServiceName: "bedrock.amazonaws.com",
      ...(opts.credentialAgeDays ? { CredentialAgeDays: opts.credentialAgeDays } : {}),
    }),
  );
  const cred = out.ServiceSpecificCredential!;
  return { userName, apiKey: cred.ServiceCredentialSecret!, credentialId: cred.ServiceSpecificCredentialId! };
}

/** An IAM user with an access key pair (to sign short-term keys) and the given policies. */
export async function createSigningUser(iam: IAMClient, userName: string, inlinePolicy?: object) {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: LIMITED_ACCESS }));
  if (inlinePolicy) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "restrict", PolicyDocument: JSON.stringify(inlinePolicy) }));
  }
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

/** A role the account may assume, with Bedrock access, as the console's per-person signer. */
export async function createSignerRole(iam: IAMClient, roleName: string): Promise<string> {
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }],
  };
  const role = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const allow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:CallWithBearerToken", "bedrock:InvokeModel*"], Resource: "*" }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "bedrock", PolicyDocument: JSON.stringify(allow) }));
  return role.Role!.Arn!;
}

export async function assumeAs(sts: STSClient, roleArn: string, person: string) {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: person, SourceIdentity: person }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

export const HELLO = { messages: [{ role: "user", content: [{ text: "Hello" }] }] };

/** Plain HTTP, as curl or `requests` would call: returns status, parsed body and headers. */
export async function post(
  url: string,
  path: string,
  token: string | undefined,
  body: unknown = HELLO,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, headers: res.headers };
}

export const conversePath = (modelId: string, region?: string) =>
  `${region ? `/bedrock-runtime/${region}` : ""}/model/${encodeURIComponent(modelId)}/converse`;

/** The parts of a CloudTrail record the tests look at. */
export interface TrailRecord {
  requestID: string;
  eventID: string;
  eventTime: string;
  eventName: string;
  awsRegion: string;
  userIdentity: { type: string; userName?: string; accessKeyId?: string; [key: string]: unknown };
  additionalEventData?: { callWithBearerToken?: boolean; inferenceRegion?: string };
  errorCode?: string;
  errorMessage?: string;
  [key: string]: unknown;
}

/** CloudTrail records (parsed CloudTrailEvent) of one event name in a region, newest first. */
export async function trailRecords(h: Harness, eventName: string, region = "us-east-1"): Promise<TrailRecord[]> {
  const out = await h.cloudtrail(region).send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: eventName }], MaxResults: 50 }),
  );
  return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as TrailRecord);
}
