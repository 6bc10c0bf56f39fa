/**
 * Several AWS accounts in one sandbox, driven with the real SDK v3 clients: each account has its
 * own IAM and CloudTrail; cross-account AssumeRole is decided by the role's trust policy and its
 * sts:ExternalId condition; GetAccessKeyInfo names a key's account; Organizations answers the
 * management account only; a Bedrock key is used, and recorded, in its own account.
 */
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateRoleCommand, CreateServiceSpecificCredentialCommand, CreateUserCommand, ListUsersCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, awsError, clientsFor, control, type Creds, startSandbox } from "./testing/clients.js";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let sb: Started;
const STAGING = "222233334444";
const TEAM = "555566667777";
let staging: ReturnType<typeof clientsFor>;
let team: ReturnType<typeof clientsFor>;
let stagingAdmin: Creds;

const org = (creds: Creds) => new OrganizationsClient({ endpoint: sb.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  sb = await startSandbox();
  const made = (await control(sb.url, "POST", "accounts", { id: STAGING, name: "Staging" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  stagingAdmin = { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey };
  staging = clientsFor(sb.url, stagingAdmin);
  const t = (await control(sb.url, "POST", "accounts", { id: TEAM, name: "Team sandbox" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  team = clientsFor(sb.url, { accessKeyId: t.adminAccessKeyId, secretAccessKey: t.adminSecretAccessKey });
  // The member role in Staging: trusts the management account with an ExternalId.
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "ext-7f3a" } } }],
  };
  await staging.iam.send(new CreateRoleCommand({ RoleName: "Member", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await staging.iam.send(new PutRolePolicyCommand({ RoleName: "Member", PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*", "cloudtrail:LookupEvents"], Resource: "*" }] }) }));
});
afterAll(() => sb?.close());

describe("several accounts", () => {
  it("each has its own identity and IAM", async () => {
    expect((await sb.sts.send(new GetCallerIdentityCommand({}))).Account).toBe("123456789012");
    expect((await staging.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(STAGING);
    await staging.iam.send(new CreateUserCommand({ UserName: "only-in-staging" }));
    const names = async (c: ReturnType<typeof clientsFor>) => ((await c.iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName);
    expect(await names(staging)).toContain("only-in-staging");
    expect(await names(team)).not.toContain("only-in-staging");
    expect(await names(sb)).not.toContain("only-in-staging");
  });

  it("cross-account AssumeRole: allowed with the ExternalId, refused as AWS refuses otherwise", async () => {
    const roleArn = `arn:aws:iam::${STAGING}:role/Member`;
    const ok = await sb.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bedrock-key-console", ExternalId: "ext-7f3a" }));
    const session = clientsFor(sb.url, { accessKeyId: ok.Credentials!.AccessKeyId!, secretAccessKey: ok.Credentials!.SecretAccessKey!, sessionToken: ok.Credentials!.SessionToken! });
    const who = await session.sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: STAGING, Arn: `arn:aws:sts::${STAGING}:assumed-role/Member/bedrock-key-console` });
    // It acts in Staging only.
    expect(((await session.iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName)).toContain("only-in-staging");
    const denied = `User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    for (const input of [{ ExternalId: "wrong-one" }, {}]) {
      expect(await awsError(sb.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "x1", ...input })))).toMatchObject({ name: "AccessDenied", message: denied });
    }
    // A role that does not exist, and a principal the trust policy does not name.
    expect(await awsError(sb.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${STAGING}:role/Nope`, RoleSessionName: "x2" })))).toMatchObject({ name: "AccessDenied" });
    expect(await awsError(team.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "x3", ExternalId: "ext-7f3a" })))).toMatchObject({
      name: "AccessDenied",
      message: `User: arn:aws:iam::${TEAM}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    });
    // GetAccessKeyInfo names the account of a session key and of an administrator key.
    expect((await sb.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: ok.Credentials!.AccessKeyId! }))).Account).toBe(STAGING);
    expect((await sb.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN.accessKeyId }))).Account).toBe("123456789012");
  });

  it("Organizations: the management account lists every account, page by page; a member is refused", async () => {
    const first = await org(ADMIN).send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(first.Accounts?.map((a) => a.Id)).toEqual(["123456789012", STAGING]);
    const second = await org(ADMIN).send(new ListAccountsCommand({ MaxResults: 2, NextToken: first.NextToken! }));
    expect(second.Accounts?.map((a) => [a.Id, a.Name, a.Status])).toEqual([[TEAM, "Team sandbox", "ACTIVE"]]);
    expect(second.NextToken).toBeUndefined();
    expect((await org(ADMIN).send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId).toBe("123456789012");
    expect(await awsError(org(stagingAdmin).send(new ListAccountsCommand({})))).toMatchObject({ name: "AccessDeniedException" });
    await control(sb.url, "POST", `accounts/${TEAM}/suspend`);
    const after = await org(ADMIN).send(new ListAccountsCommand({}));
    expect(after.Accounts?.find((a) => a.Id === TEAM)?.Status).toBe("SUSPENDED");
  });

  it("a Bedrock API key of one account is used and recorded in that account", async () => {
    await staging.iam.send(new CreateUserCommand({ UserName: "bot" }));
    const cred = await staging.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "bot", ServiceName: "bedrock.amazonaws.com" }));
    const token = cred.ServiceSpecificCredential!.ServiceCredentialSecret!;
    const res = await fetch(`${sb.url}/bedrock-runtime/us-east-1/model/amazon.nova-micro-v1:0/converse`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
    });
    // Authenticated in Staging (without a Bedrock policy the call is denied there, which is still Staging's event).
    expect([200, 403]).toContain(res.status);
    const events = async (c: ReturnType<typeof clientsFor>) =>
      ((await c.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "bedrock.amazonaws.com" }] }))).Events ?? []).length;
    expect(await events(staging)).toBeGreaterThan(0);
    expect(await events(sb)).toBe(0);
  });

  it("keeps the other accounts, their IAM and their keys across a restart (state file)", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "sbx-accounts-"));
    const file = path.join(dir, "state.json");
    try {
      const first = await startSandbox({ statePath: file });
      const made = (await control(first.url, "POST", "accounts", { id: "888899990000", name: "Kept" })) as { adminAccessKeyId: string; adminSecretAccessKey: string };
      const creds = { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey };
      await clientsFor(first.url, creds).iam.send(new CreateUserCommand({ UserName: "survivor" }));
      await first.close();
      const second = await startSandbox({ statePath: file });
      try {
        const again = clientsFor(second.url, creds);
        expect((await again.sts.send(new GetCallerIdentityCommand({}))).Account).toBe("888899990000");
        expect(((await again.iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName)).toEqual(["survivor"]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
