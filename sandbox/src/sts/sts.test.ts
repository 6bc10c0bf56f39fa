import { Sha256 } from "@aws-crypto/sha256-js";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { awsError, ADMIN, clientsFor, control, type Creds, startSandbox } from "../testing/clients.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "POST", "reset"));

const err = awsError;

const ACCOUNT_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "123456789012" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }],
});

async function userWithKey(name: string, policy?: object): Promise<Creds> {
  await s.iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await s.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "p", PolicyDocument: JSON.stringify(policy) }));
  const k = await s.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
}

describe("STS", () => {
  it("GetCallerIdentity for the admin pair and an IAM user", async () => {
    expect(await s.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: "123456789012",
      Arn: "arn:aws:iam::123456789012:root",
      UserId: "123456789012",
    });
    const creds = await userWithKey("carol");
    const me = await clientsFor(s.url, creds).sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:iam::123456789012:user/carol");
    expect(me.UserId).toMatch(/^AIDA/);
  });

  it("AssumeRole returns temporary credentials that work, with source identity and issue time", async () => {
    const role = await s.iam.send(new CreateRoleCommand({ RoleName: "Issuer", AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const r = await s.sts.send(
      new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "alice@example.com", SourceIdentity: "alice", DurationSeconds: 900 }),
    );
    expect(r.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(r.Credentials?.SessionToken).toBeTruthy();
    expect(r.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(850_000);
    expect(r.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    expect(r.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.Role!.RoleId}:alice@example.com`,
      Arn: "arn:aws:sts::123456789012:assumed-role/Issuer/alice@example.com",
    });
    expect(r.SourceIdentity).toBe("alice");
    const temp = clientsFor(s.url, {
      accessKeyId: r.Credentials!.AccessKeyId!,
      secretAccessKey: r.Credentials!.SecretAccessKey!,
      sessionToken: r.Credentials!.SessionToken!,
    });
    const me = await temp.sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:sts::123456789012:assumed-role/Issuer/alice@example.com");
    const session = s.state.sessions.get(r.Credentials!.AccessKeyId!);
    expect(session?.sourceIdentity).toBe("alice");
    expect(typeof session?.issuedAt).toBe("number");
  });

  it("validates session name, duration and the role's MaxSessionDuration", async () => {
    const role = await s.iam.send(new CreateRoleCommand({ RoleName: "R", AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const arn = role.Role!.Arn!;
    expect((await err(s.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "a" })))).name).toBe("ValidationError");
    expect((await err(s.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "bad name" })))).name).toBe("ValidationError");
    expect((await err(s.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "ok", DurationSeconds: 899 })))).name).toBe("ValidationError");
    const beyond = await err(s.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "ok", DurationSeconds: 7200 })));
    expect(beyond).toMatchObject({
      name: "ValidationError",
      status: 400,
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    });
    const missing = await err(s.sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/Nope", RoleSessionName: "ok" })));
    expect(missing).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("checks the trust policy: a named user needs no identity policy, account trust does", async () => {
    const bob = await userWithKey("bob");
    const dave = await userWithKey("dave", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] });
    const eve = await userWithKey("eve");
    const named = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:user/bob" }, Action: "sts:AssumeRole" }],
    });
    await s.iam.send(new CreateRoleCommand({ RoleName: "Named", AssumeRolePolicyDocument: named }));
    await s.iam.send(new CreateRoleCommand({ RoleName: "Account", AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const as = (c: Creds, role: string) =>
      clientsFor(s.url, c).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::123456789012:role/${role}`, RoleSessionName: "s1" }));
    await expect(as(bob, "Named")).resolves.toBeTruthy();
    expect((await err(as(eve, "Named"))).name).toBe("AccessDenied");
    await expect(as(dave, "Account")).resolves.toBeTruthy();
    const denied = await err(as(eve, "Account"));
    expect(denied).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(denied.message).toContain("arn:aws:iam::123456789012:user/eve is not authorized to perform: sts:AssumeRole");
  });

  it("expired temporary credentials answer ExpiredToken after the clock moves", async () => {
    const role = await s.iam.send(new CreateRoleCommand({ RoleName: "R", AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const r = await s.sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "short", DurationSeconds: 900 }));
    const temp = clientsFor(s.url, {
      accessKeyId: r.Credentials!.AccessKeyId!,
      secretAccessKey: r.Credentials!.SecretAccessKey!,
      sessionToken: r.Credentials!.SessionToken!,
    });
    await control(s.url, "POST", "clock", { advanceSeconds: 901 });
    const e = await err(temp.sts.send(new GetCallerIdentityCommand({})));
    expect(e).toMatchObject({ name: "ExpiredToken", status: 403 });
    const noToken = clientsFor(s.url, { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey! });
    expect((await err(noToken.sts.send(new GetCallerIdentityCommand({})))).name).toBe("InvalidClientTokenId");
  });
});

describe("SigV4 authentication", () => {
  it("wrong secret → SignatureDoesNotMatch; unknown or inactive key → InvalidClientTokenId", async () => {
    const wrong = clientsFor(s.url, { accessKeyId: ADMIN.accessKeyId, secretAccessKey: "x".repeat(40) });
    expect(await err(wrong.iam.send(new ListUsersCommand({})))).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
    expect(await err(wrong.sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
    const unknown = clientsFor(s.url, { accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: "x".repeat(40) });
    expect(await err(unknown.iam.send(new ListUsersCommand({})))).toMatchObject({
      name: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
    });
    const ct = await err(unknown.cloudtrail.send(new LookupEventsCommand({})));
    expect(ct.name).toBe("UnrecognizedClientException");
    const ctSig = await err(wrong.cloudtrail.send(new LookupEventsCommand({})));
    expect(ctSig.name).toBe("InvalidSignatureException");
    const creds = await userWithKey("inactive");
    await s.iam.send(new UpdateAccessKeyCommand({ UserName: "inactive", AccessKeyId: creds.accessKeyId, Status: "Inactive" }));
    expect((await err(clientsFor(s.url, creds).sts.send(new GetCallerIdentityCommand({})))).name).toBe("InvalidClientTokenId");
  });

  it("accepts query-presigned requests and rejects a tampered one", async () => {
    const signer = new SignatureV4({ credentials: ADMIN, region: "us-east-1", service: "sts", sha256: Sha256 });
    const url = new URL(s.url);
    const request = new HttpRequest({
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: url.host },
    });
    const signed = await signer.presign(request, { expiresIn: 300 });
    const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
    const ok = await fetch(`${s.url}/?${qs}`);
    const text = await ok.text();
    expect(ok.status).toBe(200);
    expect(text).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(text).toContain("<Arn>arn:aws:iam::123456789012:root</Arn>");
    const tampered = await fetch(`${s.url}/?${qs.replace("GetCallerIdentity", "GetCallerIdentitx")}`);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("unsigned requests get MissingAuthenticationToken in the IAM error format", async () => {
    const res = await fetch(`${s.url}/`, { method: "POST", body: "Action=ListUsers&Version=2010-05-08", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
    expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/);
  });

  it("IAM users are subject to their identity policies for IAM calls", async () => {
    const none = await userWithKey("nopolicy");
    const e = await err(clientsFor(s.url, none).iam.send(new ListUsersCommand({})));
    expect(e).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(e.message).toBe(
      "User: arn:aws:iam::123456789012:user/nopolicy is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action",
    );
    const reader = await userWithKey("reader", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:List*", Resource: "*" }] });
    await expect(clientsFor(s.url, reader).iam.send(new ListUsersCommand({}))).resolves.toBeTruthy();
    const create = await err(clientsFor(s.url, reader).iam.send(new CreateUserCommand({ UserName: "x" })));
    expect(create.message).toContain("iam:CreateUser on resource: arn:aws:iam::123456789012:user/x");
  });
});
