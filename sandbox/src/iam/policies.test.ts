import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  AttachUserPolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { awsError, clientsFor, control, startSandbox } from "../testing/clients.js";
import { identityPolicyDocuments } from "./policies.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "POST", "reset"));

const err = awsError;

const LIMITED = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess";
const MARKETPLACE = "arn:aws:iam::aws:policy/AmazonBedrockMarketplaceAccess";
const DENY_OLD = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": "2030-01-01T00:00:00Z" } } }],
};
const TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] };

describe("managed policies on users", () => {
  it("attaches, lists and detaches AWS managed policies", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "u" }));
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: LIMITED }));
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: MARKETPLACE }));
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: LIMITED })); // idempotent
    const listed = await s.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "u" }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: "AmazonBedrockLimitedAccess", PolicyArn: LIMITED },
      { PolicyName: "AmazonBedrockMarketplaceAccess", PolicyArn: MARKETPLACE },
    ]);
    const docs = identityPolicyDocuments(s.state, { type: "user", userName: "u" });
    expect(JSON.stringify(docs[0])).toContain("bedrock:CallWithBearerToken");
    await s.iam.send(new DetachUserPolicyCommand({ UserName: "u", PolicyArn: MARKETPLACE }));
    const again = await err(s.iam.send(new DetachUserPolicyCommand({ UserName: "u", PolicyArn: MARKETPLACE })));
    expect(again).toMatchObject({ name: "NoSuchEntityException", status: 404 });
    const unknown = await err(s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" })));
    expect(unknown).toMatchObject({ name: "NoSuchEntityException", message: "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable." });
    const invalid = await err(s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: "not-an-arn-at-all-really" })));
    expect(invalid.name).toBe("InvalidInputException");
  });

  it("GetPolicy / GetPolicyVersion / ListPolicies describe the AWS managed documents", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "u" }));
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: LIMITED }));
    const p = await s.iam.send(new GetPolicyCommand({ PolicyArn: LIMITED }));
    expect(p.Policy).toMatchObject({ PolicyName: "AmazonBedrockLimitedAccess", AttachmentCount: 1, IsAttachable: true });
    const v = await s.iam.send(new GetPolicyVersionCommand({ PolicyArn: LIMITED, VersionId: p.Policy!.DefaultVersionId! }));
    const doc = JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)) as { Statement: Array<{ Sid: string }> };
    expect(doc.Statement.map((st) => st.Sid)).toContain("BedrockAPIs");
    const list = await s.iam.send(new ListPoliciesCommand({ Scope: "AWS", OnlyAttached: true }));
    expect(list.Policies?.map((x) => x.PolicyName)).toEqual(["AmazonBedrockLimitedAccess"]);
    const missing = await err(s.iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/Nope" })));
    expect(missing.name).toBe("NoSuchEntityException");
  });
});

describe("inline policies", () => {
  it("puts, gets (URL-encoded as AWS does), lists and deletes user policies", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "u" }));
    const text = JSON.stringify(DENY_OLD);
    await s.iam.send(new PutUserPolicyCommand({ UserName: "u", PolicyName: "RevokeOlderSessions", PolicyDocument: text }));
    const got = await s.iam.send(new GetUserPolicyCommand({ UserName: "u", PolicyName: "RevokeOlderSessions" }));
    expect(got.PolicyDocument).toBe(encodeURIComponent(text));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(DENY_OLD);
    const names = await s.iam.send(new ListUserPoliciesCommand({ UserName: "u" }));
    expect(names.PolicyNames).toEqual(["RevokeOlderSessions"]);
    const malformed = await err(s.iam.send(new PutUserPolicyCommand({ UserName: "u", PolicyName: "x", PolicyDocument: "{not json" })));
    expect(malformed).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    const big = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: Array.from({ length: 200 }, (_, i) => `bedrock:Action${i}`), Resource: "*" }] };
    const tooBig = await err(s.iam.send(new PutUserPolicyCommand({ UserName: "u", PolicyName: "big", PolicyDocument: JSON.stringify(big) })));
    expect(tooBig).toMatchObject({ name: "LimitExceededException", status: 409 });
    const missing = await err(s.iam.send(new GetUserPolicyCommand({ UserName: "u", PolicyName: "nope" })));
    expect(missing).toMatchObject({ name: "NoSuchEntityException", message: "The user policy with name nope cannot be found." });
    const badName = await err(s.iam.send(new PutUserPolicyCommand({ UserName: "u", PolicyName: "bad name", PolicyDocument: text })));
    expect(badName.name).toBe("ValidationError");
  });
});

describe("roles", () => {
  it("creates, gets, lists, attaches, puts inline, and deletes with DeleteConflict rules", async () => {
    const created = await s.iam.send(
      new CreateRoleCommand({ RoleName: "KeyIssuer", AssumeRolePolicyDocument: JSON.stringify(TRUST), MaxSessionDuration: 7200, Description: "d" }),
    );
    expect(created.Role).toMatchObject({ RoleName: "KeyIssuer", Arn: "arn:aws:iam::123456789012:role/KeyIssuer" });
    expect(created.Role?.RoleId).toMatch(/^AROA/);
    const got = await s.iam.send(new GetRoleCommand({ RoleName: "KeyIssuer" }));
    expect(got.Role?.MaxSessionDuration).toBe(7200);
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(TRUST);
    expect((await s.iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(["KeyIssuer"]);
    const dup = await err(s.iam.send(new CreateRoleCommand({ RoleName: "keyissuer", AssumeRolePolicyDocument: JSON.stringify(TRUST) })));
    expect(dup).toMatchObject({ name: "EntityAlreadyExistsException", status: 409 });
    const noPrincipal = await err(
      s.iam.send(new CreateRoleCommand({ RoleName: "x", AssumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] }) })),
    );
    expect(noPrincipal.name).toBe("MalformedPolicyDocumentException");

    await s.iam.send(new AttachRolePolicyCommand({ RoleName: "KeyIssuer", PolicyArn: LIMITED }));
    expect((await s.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "KeyIssuer" }))).AttachedPolicies).toHaveLength(1);
    await s.iam.send(new PutRolePolicyCommand({ RoleName: "KeyIssuer", PolicyName: "p", PolicyDocument: JSON.stringify(DENY_OLD) }));
    expect((await s.iam.send(new GetRolePolicyCommand({ RoleName: "KeyIssuer", PolicyName: "p" }))).RoleName).toBe("KeyIssuer");
    expect((await s.iam.send(new ListRolePoliciesCommand({ RoleName: "KeyIssuer" }))).PolicyNames).toEqual(["p"]);
    expect(identityPolicyDocuments(s.state, { type: "role", roleName: "KeyIssuer" })).toHaveLength(2);

    let e = await err(s.iam.send(new DeleteRoleCommand({ RoleName: "KeyIssuer" })));
    expect(e).toMatchObject({ name: "DeleteConflictException", status: 409 });
    await s.iam.send(new DetachRolePolicyCommand({ RoleName: "KeyIssuer", PolicyArn: LIMITED }));
    e = await err(s.iam.send(new DeleteRoleCommand({ RoleName: "KeyIssuer" })));
    expect(e.message).toBe("Cannot delete entity, must delete policies first.");
    await s.iam.send(new DeleteRolePolicyCommand({ RoleName: "KeyIssuer", PolicyName: "p" }));
    await s.iam.send(new DeleteRoleCommand({ RoleName: "KeyIssuer" }));
    e = await err(s.iam.send(new GetRoleCommand({ RoleName: "KeyIssuer" })));
    expect(e).toMatchObject({ name: "NoSuchEntityException", message: "The role with name KeyIssuer cannot be found." });
    const badDuration = await err(
      s.iam.send(new CreateRoleCommand({ RoleName: "r2", AssumeRolePolicyDocument: JSON.stringify(TRUST), MaxSessionDuration: 60 })),
    );
    expect(badDuration.name).toBe("ValidationError");
  });
});

describe("role resources in identity policies", () => {
  it("CreateRole is checked against the role's ARN with its Path; a role that does not exist yet has no path", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "role-maker" }));
    const grant = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:CreateRole", "iam:GetRole"], Resource: "arn:aws:iam::123456789012:role/service-role/*" }] };
    await s.iam.send(new PutUserPolicyCommand({ UserName: "role-maker", PolicyName: "roles", PolicyDocument: JSON.stringify(grant) }));
    const key = await s.iam.send(new CreateAccessKeyCommand({ UserName: "role-maker" }));
    const maker = clientsFor(s.url, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    const trust = JSON.stringify(TRUST);
    const denied = await err(maker.iam.send(new CreateRoleCommand({ RoleName: "Plain", AssumeRolePolicyDocument: trust })));
    expect(denied.name).toBe("AccessDenied");
    expect(denied.message).toContain("on resource: arn:aws:iam::123456789012:role/Plain");
    // GetRole of a role that does not exist: the path is unknown, so role/service-role/* does not match.
    expect((await err(maker.iam.send(new GetRoleCommand({ RoleName: "Delivery" })))).name).toBe("AccessDenied");
    const made = await maker.iam.send(new CreateRoleCommand({ RoleName: "Delivery", Path: "/service-role/", AssumeRolePolicyDocument: trust }));
    expect(made.Role?.Arn).toBe("arn:aws:iam::123456789012:role/service-role/Delivery");
    expect((await maker.iam.send(new GetRoleCommand({ RoleName: "Delivery" }))).Role?.Path).toBe("/service-role/");
  });
});
