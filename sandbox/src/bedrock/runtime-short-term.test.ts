import { getToken } from "@aws/bedrock-token-generator";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { PutRolePolicyCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoSeconds, now, setClock } from "../clock.js";
import { SHORT_TERM_PREFIX } from "./short-term-token.js";
import {
  ADMIN,
  assumeAs,
  conversePath,
  createSignerRole,
  createSigningUser,
  type Harness,
  HELLO,
  post,
  runtimeClient,
  startHarness,
  trailRecords,
  US_HAIKU,
} from "./testing.js";

const INVALID = "Authentication failed: Please make sure your API Key is valid.";

let h: Harness;
let roleArn: string;
beforeAll(async () => {
  h = await startHarness();
  roleArn = await createSignerRole(h.iam, "BedrockKeyConsoleSigner");
});
afterAll(async () => {
  await h.close();
});

const call = (token: string, region?: string, headers: Record<string, string> = {}) =>
  post(h.sandbox.url, conversePath(US_HAIKU, region), token, HELLO, headers);

describe("short-term keys (bedrock-api-key-…)", () => {
  it("a token signed with an IAM user's access key works, and stops when the access key is deactivated", async () => {
    const creds = await createSigningUser(h.iam, "st-user-1");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    expect(token.startsWith(SHORT_TERM_PREFIX)).toBe(true);
    expect((await call(token)).status).toBe(200);
    await h.iam.send(new UpdateAccessKeyCommand({ UserName: "st-user-1", AccessKeyId: creds.accessKeyId, Status: "Inactive" }));
    expect((await call(token)).json).toEqual({ message: INVALID });
  });

  it("the account admin's token works through the SDK's bearer auth", async () => {
    const token = await getToken({ credentials: ADMIN, region: "us-west-2" });
    const client = runtimeClient(h.sandbox.url, token, "us-west-2");
    const out = await client.send(new ConverseCommand({ modelId: US_HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    client.destroy();
    expect(out.stopReason).toBe("end_turn");
  });

  it("a tampered signature fails", async () => {
    const token = await getToken({ credentials: ADMIN, region: "us-east-1" });
    const url = Buffer.from(token.slice(SHORT_TERM_PREFIX.length), "base64").toString("utf8");
    const forged = url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === "a" ? "b" : "a"}`);
    expect(forged).not.toBe(url);
    const r = await call(SHORT_TERM_PREFIX + Buffer.from(forged).toString("base64"));
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ message: INVALID });
  });

  it("a token used in another region fails", async () => {
    const token = await getToken({ credentials: ADMIN, region: "us-west-2" });
    expect((await call(token, "us-west-2")).status).toBe(200);
    const r = await call(token, "us-east-1");
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ message: INVALID });
  });

  it("an expired token says so once the clock passes X-Amz-Expires", async () => {
    const token = await getToken({ credentials: ADMIN, region: "us-east-1", expiresInSeconds: 900 });
    expect((await call(token)).status).toBe(200);
    setClock(h.sandbox.state, { advanceSeconds: 901 });
    try {
      const r = await call(token);
      expect(r.status).toBe(403);
      expect(r.headers.get("x-amzn-errortype")).toMatch(/^AccessDeniedException:/);
      expect(r.json).toEqual({ message: "Bearer Token has expired" });
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("a token signed with role credentials works, expires with the session, and is recorded as AssumedRole", async () => {
    const creds = await assumeAs(h.sts, roleArn, "alice@example.com");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    const ok = await call(token, undefined, { "user-agent": "aws-sdk-js/3.1163.0 test" });
    expect(ok.status).toBe(200);
    const rec = (await trailRecords(h, "Converse")).find((r) => r.userIdentity?.accessKeyId === creds.accessKeyId);
    expect(rec?.userIdentity).toMatchObject({
      type: "AssumedRole",
      principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}:alice@example\.com$/),
      arn: "arn:aws:sts::123456789012:assumed-role/BedrockKeyConsoleSigner/alice@example.com",
      accountId: "123456789012",
      accessKeyId: creds.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: "Role", arn: roleArn, accountId: "123456789012", userName: "BedrockKeyConsoleSigner" },
        attributes: { mfaAuthenticated: "false", creationDate: expect.stringMatching(/Z$/) },
        sourceIdentity: "alice@example.com",
      },
    });
    expect(rec?.userAgent).toBe("aws-sdk-js/3.1163.0 test");
    // The session lasts an hour (AssumeRole's default): the 12-hour token dies with it.
    setClock(h.sandbox.state, { advanceSeconds: 3_601 });
    try {
      expect((await call(token)).json).toEqual({ message: "Bearer Token has expired" });
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("revoking one person's older sessions (aws:TokenIssueTime + aws:SourceIdentity) leaves others and newer tokens working", async () => {
    const role = "RevocationSigner";
    const arn = await createSignerRole(h.iam, role);
    const aliceOld = await getToken({ credentials: await assumeAs(h.sts, arn, "alice"), region: "us-east-1" });
    const bob = await getToken({ credentials: await assumeAs(h.sts, arn, "bob"), region: "us-east-1" });
    expect((await call(aliceOld)).status).toBe(200);
    setClock(h.sandbox.state, { advanceSeconds: 10 });
    try {
      const revokedBefore = isoSeconds(now(h.sandbox.state));
      const revoke = {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { DateLessThan: { "aws:TokenIssueTime": revokedBefore }, StringEquals: { "aws:SourceIdentity": "alice" } },
          },
        ],
      };
      await h.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "revoke-alice", PolicyDocument: JSON.stringify(revoke) }));
      const denied = await call(aliceOld);
      expect(denied.status).toBe(403);
      expect(denied.json.message).toBe(
        `User: arn:aws:sts::123456789012:assumed-role/${role}/alice is not authorized to perform: bedrock:CallWithBearerToken on resource: * with an explicit deny in an identity-based policy`,
      );
      expect((await call(bob)).status).toBe(200);
      const aliceNew = await getToken({ credentials: await assumeAs(h.sts, arn, "alice"), region: "us-east-1" });
      expect((await call(aliceNew)).status).toBe(200);
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("a user-signed token carries aws:TokenIssueTime = its signing time, so a user's revocation reaches it", async () => {
    const creds = await createSigningUser(h.iam, "st-user-2");
    const token = await getToken({ credentials: creds, region: "us-east-1" });
    setClock(h.sandbox.state, { advanceSeconds: 5 });
    try {
      const revoke = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": isoSeconds(now(h.sandbox.state)) } } }] };
      await h.iam.send(new PutUserPolicyCommand({ UserName: "st-user-2", PolicyName: "AWSRevokeOlderSessions", PolicyDocument: JSON.stringify(revoke) }));
      const r = await call(token);
      expect(r.json.message).toBe(
        "User: arn:aws:iam::123456789012:user/st-user-2 is not authorized to perform: bedrock:CallWithBearerToken on resource: * with an explicit deny in an identity-based policy",
      );
    } finally {
      setClock(h.sandbox.state, { offsetSeconds: 0 });
    }
  });

  it("a deny on SHORT_TERM bearer tokens leaves long-term keys alone", async () => {
    const creds = await createSigningUser(h.iam, "st-user-3", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "bedrock:CallWithBearerToken", Resource: "*", Condition: { StringEquals: { "bedrock:BearerTokenType": "SHORT_TERM" } } }],
    });
    const r = await call(await getToken({ credentials: creds, region: "us-east-1" }));
    expect(r.status).toBe(403);
    expect(r.json.message).toContain("with an explicit deny");
  });
});
