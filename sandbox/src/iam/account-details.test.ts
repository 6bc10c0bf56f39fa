import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteUserCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  ListMFADevicesCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { awsError, control, startSandbox } from "../testing/clients.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "POST", "reset"));

const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] });

describe("account-wide IAM reads (posture)", () => {
  it("GetAccountAuthorizationDetails pages users with inline documents, attached policies and their documents", async () => {
    for (let i = 0; i < 5; i++) await s.iam.send(new CreateUserCommand({ UserName: `u${i}`, Path: i % 2 ? "/keys/" : "/" }));
    await s.iam.send(new PutUserPolicyCommand({ UserName: "u1", PolicyName: "wide", PolicyDocument: doc }));
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "u2", PolicyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" }));
    const users: { UserName?: string }[] = [];
    const policies: { Arn?: string; PolicyVersionList?: { Document?: string }[] }[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await s.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["User", "AWSManagedPolicy"], MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      users.push(...(out.UserDetailList ?? []));
      policies.push(...(out.Policies ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    expect(pages).toBe(3);
    expect(users.map((u) => u.UserName)).toEqual(["u0", "u1", "u2", "u3", "u4"]);
    const u1 = users[1] as { Path?: string; UserPolicyList?: { PolicyName?: string; PolicyDocument?: string }[]; GroupList?: string[] };
    expect(u1.Path).toBe("/keys/");
    expect(u1.UserPolicyList?.[0]?.PolicyName).toBe("wide");
    expect(JSON.parse(decodeURIComponent(u1.UserPolicyList![0]!.PolicyDocument!))).toEqual(JSON.parse(doc));
    expect((users[2] as { AttachedManagedPolicies?: { PolicyName?: string }[] }).AttachedManagedPolicies?.map((p) => p.PolicyName)).toEqual(["AmazonBedrockFullAccess"]);
    // Only the managed policies in use are listed, with their document.
    expect(policies.map((p) => p.Arn)).toEqual(["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]);
    expect(decodeURIComponent(policies[0]!.PolicyVersionList![0]!.Document!)).toContain("bedrock:*");
    expect((await awsError(s.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["Nope" as "User"] })))).name).toBe("ValidationError");
  });

  it("the credential report: not present until generated, one row per user, reused for four hours", async () => {
    expect((await awsError(s.iam.send(new GetCredentialReportCommand({})))).name).toBe("CredentialReportNotPresentException");
    await s.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await s.iam.send(new CreateUserCommand({ UserName: "bob" }));
    await s.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
    await s.iam.send(new CreateLoginProfileCommand({ UserName: "bob", Password: "Correct-Horse-9" }));
    expect((await s.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    const read = async () => {
      const out = await s.iam.send(new GetCredentialReportCommand({}));
      const lines = Buffer.from(out.Content!).toString("utf8").trim().split("\n").map((l) => l.split(","));
      const header = lines[0]!;
      return lines.slice(1).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
    };
    let rows = await read();
    expect(rows.map((r) => r.user)).toEqual(["<root_account>", "alice", "bob"]);
    expect(rows[1]).toMatchObject({ password_enabled: "false", access_key_1_active: "true", mfa_active: "false" });
    expect(rows[2]).toMatchObject({ password_enabled: "true", access_key_1_active: "false", access_key_1_last_rotated: "N/A" });
    // Within four hours IAM keeps the report it has: a new key shows only after that.
    await s.iam.send(new CreateAccessKeyCommand({ UserName: "bob" }));
    expect((await s.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
    expect((await read())[2]!.access_key_1_active).toBe("false");
    await control(s.url, "POST", "clock", { advanceSeconds: 4 * 3600 });
    expect((await awsError(s.iam.send(new GetCredentialReportCommand({})))).name).toBe("CredentialReportExpiredException");
    expect((await s.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    rows = await read();
    expect(rows[2]!.access_key_1_active).toBe("true");
  });

  it("login profiles and virtual MFA devices, and DeleteUser refusing while they exist", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "carol" }));
    await s.iam.send(new CreateLoginProfileCommand({ UserName: "carol", Password: "Correct-Horse-9" }));
    expect((await awsError(s.iam.send(new CreateLoginProfileCommand({ UserName: "carol", Password: "x" })))).name).toBe("EntityAlreadyExistsException");
    expect((await s.iam.send(new GetLoginProfileCommand({ UserName: "carol" }))).LoginProfile?.UserName).toBe("carol");
    const device = await s.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "carol-phone" }));
    const seed = Buffer.from(device.VirtualMFADevice!.Base32StringSeed!).toString("utf8");
    const totp = new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 });
    const serial = device.VirtualMFADevice!.SerialNumber!;
    expect((await awsError(s.iam.send(new EnableMFADeviceCommand({ UserName: "carol", SerialNumber: serial, AuthenticationCode1: "000000", AuthenticationCode2: "000000" })))).name).toBe("InvalidAuthenticationCodeException");
    const t = Date.now();
    await s.iam.send(new EnableMFADeviceCommand({ UserName: "carol", SerialNumber: serial, AuthenticationCode1: totp.generate({ timestamp: t - 30_000 }), AuthenticationCode2: totp.generate({ timestamp: t }) }));
    expect((await s.iam.send(new ListMFADevicesCommand({ UserName: "carol" }))).MFADevices?.map((d) => d.SerialNumber)).toEqual([serial]);
    expect((await awsError(s.iam.send(new DeleteUserCommand({ UserName: "carol" })))).name).toBe("DeleteConflictException");
  });
});
