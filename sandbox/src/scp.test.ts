/**
 * Service control policies in the sandbox, driven with the real SDK v3 clients: Organizations'
 * policy API (CreatePolicy, AttachPolicy, …) and the SCP semantics on IAM calls and on bearer-token
 * calls through the runtime and bedrock-mantle: an explicit deny wins, no allow at a level denies,
 * an SCP never grants, the management account is not affected, conditions (Null,
 * iam:ServiceSpecificCredentialAgeDays, aws:RequestedRegion) are evaluated as in identity policies.
 */
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, PutRolePolicyCommand, CreateServiceSpecificCredentialCommand, CreateUserCommand, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAIKU, LIMITED_ACCESS } from "./bedrock/testing.js";
import { ADMIN, awsError, clientsFor, control, type Creds, startSandbox } from "./testing/clients.js";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let sb: Started;
const STAGING = "222233334444";
let staging: ReturnType<typeof clientsFor>;
let stagingAdmin: Creds;
let org: OrganizationsClient;
let rootId: string;

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

async function createScp(name: string, content: string): Promise<string> {
  const out = await org.send(new CreatePolicyCommand({ Name: name, Description: name, Type: "SERVICE_CONTROL_POLICY", Content: content }));
  return out.Policy!.PolicySummary!.Id!;
}

beforeAll(async () => {
  sb = await startSandbox();
  const made = (await control(sb.url, "POST", "accounts", { id: STAGING, name: "Staging" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  stagingAdmin = { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey };
  staging = clientsFor(sb.url, stagingAdmin);
  org = new OrganizationsClient({ endpoint: sb.url, region: "us-east-1", credentials: ADMIN, maxAttempts: 1 });
  rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
});
afterAll(() => sb?.close());

describe("Organizations policy API", () => {
  it("FullAWSAccess is attached to the root and to every account by default", async () => {
    const list = await org.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }));
    expect(list.Policies?.map((p) => [p.Id, p.Name, p.AwsManaged])).toEqual([["p-FullAWSAccess", "FullAWSAccess", true]]);
    for (const target of [rootId, STAGING]) {
      const attached = await org.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: "SERVICE_CONTROL_POLICY" }));
      expect(attached.Policies?.map((p) => p.Id)).toEqual(["p-FullAWSAccess"]);
    }
  });

  it("refuses malformed, oversized and principal-naming documents, duplicates, and member accounts", async () => {
    const bad = await awsError(org.send(new CreatePolicyCommand({ Name: "bad", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny",' })));
    expect(bad.name).toBe("MalformedPolicyDocumentException");
    const principal = await awsError(createScp("principal", doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" })));
    expect(principal.name).toBe("MalformedPolicyDocumentException");
    const big = doc({ Effect: "Deny", Action: Array.from({ length: 400 }, (_, i) => `iam:Action${i}`), Resource: "*" });
    expect(big.length).toBeGreaterThan(5120);
    const tooBig = await awsError(createScp("big", big));
    expect(tooBig.name).toBe("ConstraintViolationException");
    await createScp("dup", doc({ Effect: "Deny", Action: "iam:DeleteUser", Resource: "*" }));
    expect((await awsError(createScp("dup", doc({ Effect: "Deny", Action: "iam:DeleteUser", Resource: "*" })))).name).toBe("DuplicatePolicyException");
    const member = new OrganizationsClient({ endpoint: sb.url, region: "us-east-1", credentials: stagingAdmin, maxAttempts: 1 });
    expect((await awsError(member.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" })))).name).toBe("AccessDeniedException");
  });

  it("keeps one SCP on every target and refuses to delete an attached policy", async () => {
    const last = await awsError(org.send(new DetachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: STAGING })));
    expect(last.name).toBe("ConstraintViolationException");
    const id = await createScp("in-use", doc({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }));
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    expect((await awsError(org.send(new DeletePolicyCommand({ PolicyId: id })))).name).toBe("PolicyInUseException");
    await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    await org.send(new DeletePolicyCommand({ PolicyId: id }));
  });
});

describe("SCP semantics", () => {
  it("an explicit deny wins over FullAWSAccess, binds the member's root user, and spares the management account", async () => {
    const id = await createScp("deny-create-user", doc({ Sid: "NoUsers", Effect: "Deny", Action: "iam:CreateUser", Resource: "*" }));
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: rootId }));
    try {
      const err = await awsError(staging.iam.send(new CreateUserCommand({ UserName: "blocked" })));
      expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
      expect(err.message).toBe(`User: arn:aws:iam::${STAGING}:root is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${STAGING}:user/blocked with an explicit deny in a service control policy`);
      // The management account is not affected by SCPs, even attached at the root.
      await sb.iam.send(new CreateUserCommand({ UserName: "management-user" }));
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: rootId }));
    }
    await staging.iam.send(new CreateUserCommand({ UserName: "allowed-again" }));
  });

  it("with no SCP allowing an action at a level, the action is denied", async () => {
    const id = await createScp("bedrock-only", doc({ Effect: "Allow", Action: ["bedrock:*", "iam:CreateUser"], Resource: "*" }));
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    await org.send(new DetachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: STAGING }));
    try {
      const err = await awsError(staging.iam.send(new ListUsersCommand({})));
      expect(err.message).toBe(`User: arn:aws:iam::${STAGING}:root is not authorized to perform: iam:ListUsers on resource: * because no service control policy allows the iam:ListUsers action`);
      await staging.iam.send(new CreateUserCommand({ UserName: "still-allowed" }));
    } finally {
      await org.send(new AttachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: STAGING }));
      await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    }
  });

  it("an SCP never grants: the identity policies must still allow the call", async () => {
    await staging.iam.send(new CreateUserCommand({ UserName: "nobody" }));
    const key = await staging.iam.send(new CreateAccessKeyCommand({ UserName: "nobody" }));
    const nobody = clientsFor(sb.url, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    const err = await awsError(nobody.iam.send(new ListUsersCommand({})));
    expect(err.message).toContain("because no identity-based policy allows the iam:ListUsers action");
  });

  it("conditions see the principal's ARN with the role's path, as IAM sets aws:PrincipalArn", async () => {
    const roleArn = `arn:aws:iam::${STAGING}:role/console-path/Console`;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] };
    await staging.iam.send(new CreateRoleCommand({ RoleName: "Console", Path: "/console-path/", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await staging.iam.send(new PutRolePolicyCommand({ RoleName: "Console", PolicyName: "iam", PolicyDocument: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }) }));
    const id = await createScp("console-only", doc({ Effect: "Deny", Action: "iam:ListUsers", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": roleArn } } }));
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    try {
      const c = (await sb.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "console" }))).Credentials!;
      const asRole = clientsFor(sb.url, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
      expect((await asRole.iam.send(new ListUsersCommand({}))).Users).toBeDefined();
      expect((await awsError(staging.iam.send(new ListUsersCommand({})))).message).toContain("with an explicit deny in a service control policy");
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    }
  });

  it("conditions: a Null check and iam:ServiceSpecificCredentialAgeDays refuse keys with no expiry or too long a life", async () => {
    const bedrock = { "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com" };
    const id = await createScp(
      "key-age",
      doc(
        { Sid: "NoExpiry", Effect: "Deny", Action: "iam:CreateServiceSpecificCredential", Resource: "*", Condition: { StringEquals: bedrock, Null: { "iam:ServiceSpecificCredentialAgeDays": "true" } } },
        { Sid: "TooLong", Effect: "Deny", Action: "iam:CreateServiceSpecificCredential", Resource: "*", Condition: { StringEquals: bedrock, NumericGreaterThan: { "iam:ServiceSpecificCredentialAgeDays": "90" } } },
      ),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    try {
      await staging.iam.send(new CreateUserCommand({ UserName: "key-user" }));
      const create = (days?: number) =>
        staging.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "key-user", ServiceName: "bedrock.amazonaws.com", ...(days ? { CredentialAgeDays: days } : {}) }));
      const never = await awsError(create());
      expect(never.message).toMatch(/iam:CreateServiceSpecificCredential on resource: arn:aws:iam::222233334444:user\/key-user with an explicit deny in a service control policy$/);
      expect((await awsError(create(91))).name).toBe("AccessDenied");
      expect((await create(90)).ServiceSpecificCredential?.ExpirationDate).toBeInstanceOf(Date);
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    }
  });

  it("bearer-token calls outside the allowed regions are refused through the runtime and bedrock-mantle", async () => {
    await staging.iam.send(new CreateUserCommand({ UserName: "BedrockAPIKey-regions" }));
    await staging.iam.send(new AttachUserPolicyCommand({ UserName: "BedrockAPIKey-regions", PolicyArn: LIMITED_ACCESS }));
    await staging.iam.send(new PutUserPolicyCommand({ UserName: "BedrockAPIKey-regions", PolicyName: "none", PolicyDocument: doc({ Effect: "Deny", Action: "iam:*", Resource: "*" }) }));
    const cred = await staging.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "BedrockAPIKey-regions", ServiceName: "bedrock.amazonaws.com", CredentialAgeDays: 30 }));
    const apiKey = cred.ServiceSpecificCredential!.ServiceCredentialSecret!;
    const id = await createScp(
      "regions",
      doc({ Effect: "Deny", Action: ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1"] } } }),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    const converse = async (region: string) => {
      const client = new BedrockRuntimeClient({ region, endpoint: `${sb.url}/bedrock-runtime/${region}`, token: { token: apiKey }, authSchemePreference: ["httpBearerAuth"], maxAttempts: 1 });
      try {
        return await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
      } finally {
        client.destroy();
      }
    };
    const mantle = (region: string) =>
      new OpenAI({ apiKey, baseURL: `${sb.url}/bedrock-mantle/${region}/v1`, maxRetries: 0 }).chat.completions.create({ model: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: "Hello" }] });
    try {
      expect((await converse("us-east-1")).output?.message?.role).toBe("assistant");
      expect((await mantle("us-east-1")).choices[0]?.message.role).toBe("assistant");
      const runtimeErr = await awsError(converse("eu-west-1"));
      expect(runtimeErr).toMatchObject({ name: "AccessDeniedException", status: 403 });
      expect(runtimeErr.message).toBe(
        `User: arn:aws:iam::${STAGING}:user/BedrockAPIKey-regions is not authorized to perform: bedrock:CallWithBearerToken on resource: * with an explicit deny in a service control policy`,
      );
      const mantleErr = (await mantle("eu-west-1").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(mantleErr).toBeInstanceOf(OpenAI.APIError);
      expect(mantleErr.status).toBe(403);
      expect(mantleErr.message).toContain("bedrock-mantle:CallWithBearerToken on resource: * with an explicit deny in a service control policy");
      // bedrock-runtime's OpenAI-compatible door too.
      const openAiRuntime = (await new OpenAI({ apiKey, baseURL: `${sb.url}/bedrock-runtime/eu-west-1/openai/v1`, maxRetries: 0 })
        .chat.completions.create({ model: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: "Hello" }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(openAiRuntime.status).toBe(403);
      expect(openAiRuntime.message).toContain("bedrock:CallWithBearerToken on resource: * with an explicit deny in a service control policy");
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: STAGING }));
    }
    expect((await converse("eu-west-1")).output?.message?.role).toBe("assistant");
  });
});
