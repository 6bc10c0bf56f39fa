import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { awsError, control, startSandbox } from "../testing/clients.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "POST", "reset"));

const err = awsError;

describe("IAM users through the SDK", () => {
  it("creates, gets and lists a user with tags and a path", async () => {
    const created = await s.iam.send(
      new CreateUserCommand({ UserName: "alice", Path: "/team/", Tags: [{ Key: "owner", Value: "ops" }] }),
    );
    expect(created.User).toMatchObject({
      UserName: "alice",
      Path: "/team/",
      Arn: "arn:aws:iam::123456789012:user/team/alice",
      Tags: [{ Key: "owner", Value: "ops" }],
    });
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(created.User?.CreateDate).toBeInstanceOf(Date);
    const got = await s.iam.send(new GetUserCommand({ UserName: "alice" }));
    expect(got.User?.UserId).toBe(created.User?.UserId);
    const listed = await s.iam.send(new ListUsersCommand({}));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(["alice"]);
    expect(listed.IsTruncated).toBe(false);
  });

  it("GetUser without a name answers for the caller (root for the admin pair)", async () => {
    const me = await s.iam.send(new GetUserCommand({}));
    expect(me.User?.Arn).toBe("arn:aws:iam::123456789012:root");
  });

  it("rejects duplicates case-insensitively with EntityAlreadyExists (409)", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "Bob" }));
    const e = await err(s.iam.send(new CreateUserCommand({ UserName: "bob" })));
    expect(e).toMatchObject({ name: "EntityAlreadyExistsException", status: 409, message: "User with name bob already exists." });
  });

  it("validates names and paths with ValidationError (400)", async () => {
    const bad = await err(s.iam.send(new CreateUserCommand({ UserName: "no spaces allowed" })));
    expect(bad.name).toBe("ValidationError");
    expect(bad.status).toBe(400);
    expect(bad.message).toContain("Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    const long = await err(s.iam.send(new CreateUserCommand({ UserName: "x".repeat(65) })));
    expect(long.message).toContain("Member must have length less than or equal to 64");
    const path = await err(s.iam.send(new CreateUserCommand({ UserName: "ok", Path: "nope" })));
    expect(path.name).toBe("ValidationError");
  });

  it("answers NoSuchEntity (404) for unknown users", async () => {
    const e = await err(s.iam.send(new GetUserCommand({ UserName: "ghost" })));
    expect(e).toMatchObject({ name: "NoSuchEntityException", status: 404, message: "The user with name ghost cannot be found." });
  });

  it("pages ListUsers with MaxItems/Marker and filters by PathPrefix", async () => {
    for (let i = 0; i < 7; i++) {
      await s.iam.send(new CreateUserCommand({ UserName: `user-${i}`, Path: i % 2 ? "/odd/" : "/" }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await s.iam.send(new ListUsersCommand({ MaxItems: 3, ...(marker ? { Marker: marker } : {}) }));
      names.push(...(page.Users ?? []).map((u) => u.UserName!));
      marker = page.IsTruncated ? page.Marker : undefined;
      if (page.IsTruncated) expect(page.Marker).toBeTruthy();
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect(names).toEqual(["user-0", "user-1", "user-2", "user-3", "user-4", "user-5", "user-6"]);
    const odd = await s.iam.send(new ListUsersCommand({ PathPrefix: "/odd/" }));
    expect(odd.Users?.map((u) => u.UserName)).toEqual(["user-1", "user-3", "user-5"]);
    const e = await err(s.iam.send(new ListUsersCommand({ MaxItems: 1001 })));
    expect(e.name).toBe("ValidationError");
  });

  it("tags and untags users", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "t" }));
    await s.iam.send(new TagUserCommand({ UserName: "t", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }));
    await s.iam.send(new TagUserCommand({ UserName: "t", Tags: [{ Key: "a", Value: "3" }] }));
    let tags = await s.iam.send(new ListUserTagsCommand({ UserName: "t" }));
    expect(tags.Tags).toEqual([{ Key: "a", Value: "3" }, { Key: "b", Value: "2" }]);
    await s.iam.send(new UntagUserCommand({ UserName: "t", TagKeys: ["a"] }));
    tags = await s.iam.send(new ListUserTagsCommand({ UserName: "t" }));
    expect(tags.Tags).toEqual([{ Key: "b", Value: "2" }]);
    const e = await err(s.iam.send(new TagUserCommand({ UserName: "nobody", Tags: [{ Key: "a", Value: "1" }] })));
    expect(e.name).toBe("NoSuchEntityException");
  });

  it("refuses DeleteUser with DeleteConflict (409) while anything is attached", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "d" }));
    const arn = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess";
    await s.iam.send(new AttachUserPolicyCommand({ UserName: "d", PolicyArn: arn }));
    let e = await err(s.iam.send(new DeleteUserCommand({ UserName: "d" })));
    expect(e).toMatchObject({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must detach all policies first." });
    await s.iam.send(new DetachUserPolicyCommand({ UserName: "d", PolicyArn: arn }));

    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] });
    await s.iam.send(new PutUserPolicyCommand({ UserName: "d", PolicyName: "p", PolicyDocument: doc }));
    e = await err(s.iam.send(new DeleteUserCommand({ UserName: "d" })));
    expect(e.message).toBe("Cannot delete entity, must delete policies first.");
    await s.iam.send(new DeleteUserPolicyCommand({ UserName: "d", PolicyName: "p" }));

    const key = await s.iam.send(new CreateAccessKeyCommand({ UserName: "d" }));
    e = await err(s.iam.send(new DeleteUserCommand({ UserName: "d" })));
    expect(e.message).toBe("Cannot delete entity, must delete access keys first.");
    await s.iam.send(new DeleteAccessKeyCommand({ UserName: "d", AccessKeyId: key.AccessKey!.AccessKeyId! }));

    const cred = await s.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "d", ServiceName: "bedrock.amazonaws.com" }));
    e = await err(s.iam.send(new DeleteUserCommand({ UserName: "d" })));
    expect(e.name).toBe("DeleteConflictException");
    await s.iam.send(
      new DeleteServiceSpecificCredentialCommand({
        UserName: "d",
        ServiceSpecificCredentialId: cred.ServiceSpecificCredential!.ServiceSpecificCredentialId!,
      }),
    );
    await s.iam.send(new DeleteUserCommand({ UserName: "d" }));
    expect((await err(s.iam.send(new GetUserCommand({ UserName: "d" })))).name).toBe("NoSuchEntityException");
  });
});

describe("IAM access keys", () => {
  it("creates (secret once), lists, deactivates and deletes; at most 2 per user", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "k" }));
    const a = await s.iam.send(new CreateAccessKeyCommand({ UserName: "k" }));
    expect(a.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(a.AccessKey?.SecretAccessKey).toHaveLength(40);
    await s.iam.send(new CreateAccessKeyCommand({ UserName: "k" }));
    const third = await err(s.iam.send(new CreateAccessKeyCommand({ UserName: "k" })));
    expect(third).toMatchObject({ name: "LimitExceededException", status: 409 });
    const id = a.AccessKey!.AccessKeyId!;
    await s.iam.send(new UpdateAccessKeyCommand({ UserName: "k", AccessKeyId: id, Status: "Inactive" }));
    const listed = await s.iam.send(new ListAccessKeysCommand({ UserName: "k" }));
    expect(listed.AccessKeyMetadata).toHaveLength(2);
    expect(listed.AccessKeyMetadata?.find((m) => m.AccessKeyId === id)).toMatchObject({ Status: "Inactive", UserName: "k" });
    expect(JSON.stringify(listed)).not.toContain(a.AccessKey!.SecretAccessKey!);
    const bad = await err(s.iam.send(new UpdateAccessKeyCommand({ UserName: "k", AccessKeyId: id, Status: "Expired" as never })));
    expect(bad.name).toBe("ValidationError");
    await s.iam.send(new DeleteAccessKeyCommand({ UserName: "k", AccessKeyId: id }));
    const gone = await err(s.iam.send(new DeleteAccessKeyCommand({ UserName: "k", AccessKeyId: id })));
    expect(gone).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });
});
