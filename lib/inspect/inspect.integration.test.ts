import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { generateShortTermKey, revokeShortTermKeys, type ShortTermDeps } from "@/lib/shortterm/service";
import { inspectKey, type InspectDeps } from "./service";

let env: KeysTestEnv;
let st: ShortTermDeps;
let deps: InspectDeps;
beforeAll(async () => {
  env = await createKeysTestEnv();
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  st = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now: () => new Date(), roleArn: role.roleArn, maxHours: 12, regions: ["us-east-1"] };
  deps = { db: env.db, now: () => new Date(), accountId: async () => "123456789012" };
});
afterAll(async () => env?.close());

describe("key inspector", () => {
  it("identifies a long-term key, its record and owner, and lets a lead of its team contain it", async () => {
    const admin = await env.actor(env.users.admin);
    const leadA = await env.actor(env.users.leadA);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Leaked key" }));
    const audit = recordingAudit();
    const result = await inspectKey(deps, leadA, `Bearer ${issued.secret}`, audit);
    expect(result).toMatchObject({
      kind: "long-term",
      userName: issued.iamUserName,
      accountId: "123456789012",
      sameAccount: true,
      matches: [{ keyId: issued.keyId, name: "Leaked key", status: "Active", owner: { email: "dev-a@example.com" }, team: { name: "Payments" }, canDisable: true }],
    });
    expect(JSON.stringify(result)).not.toContain(issued.secret.slice(10));
    expect(JSON.stringify(audit)).not.toContain(issued.secret.slice(10));
    expect(audit.targets[0]).toMatchObject({ type: "apiKey", id: issued.keyId, teamId: env.teams.A.id });

    // Contain: disable through the normal service, then the key is refused.
    await setKeyStatus(env.deps, leadA, issued.keyId, "Inactive");
    expect((await env.converse(issued.secret)).status).toBe(403);
    expect(await inspectKey(deps, leadA, issued.secret)).toMatchObject({ matches: [{ status: "Inactive", canDisable: false }] });

    // Another team's lead learns nothing about the record.
    expect(await inspectKey(deps, await env.actor(env.users.leadB), issued.secret)).toMatchObject({ kind: "long-term", matches: [] });
  });

  it("names a key from another account as such", async () => {
    const other = `ABSK${Buffer.from(`BedrockAPIKey-zz-at-210987654321:${"k".repeat(40)}`).toString("base64")}`;
    expect(await inspectKey(deps, await env.actor(env.users.admin), other)).toEqual({
      kind: "long-term",
      userName: "BedrockAPIKey-zz",
      accountId: "210987654321",
      accountName: null,
      sameAccount: false,
      matches: [],
    });
  });

  it("a key of a registered member account is matched in that account only (issue 14)", async () => {
    const admin = await env.actor(env.users.admin);
    await env.db.awsAccount.create({ data: { id: "210987654321", name: "Staging", roleArn: "arn:aws:iam::210987654321:role/M", externalId: "ext-1" } });
    // The same IAM user name in the console's own account and in Staging.
    const mine = await env.db.apiKey.create({ data: { credentialId: "ACCAINSPECTOWN000001", iamUserName: "BedrockAPIKey-twin", name: "Own twin", state: "present" } });
    const theirs = await env.db.apiKey.create({ data: { accountId: "210987654321", credentialId: "ACCAINSPECTSTAGING01", iamUserName: "BedrockAPIKey-twin", name: "Staging twin", state: "present" } });
    const withNames = { ...deps, accountName: async (id: string) => (await env.db.awsAccount.findUnique({ where: { id } }))?.name ?? null };
    const key = (account: string) => `ABSK${Buffer.from(`BedrockAPIKey-twin-at-${account}:${"k".repeat(40)}`).toString("base64")}`;
    const staging = await inspectKey(withNames, admin, key("210987654321"));
    expect(staging).toMatchObject({ kind: "long-term", accountName: "Staging", sameAccount: true });
    expect(staging.kind === "long-term" && staging.matches.map((m) => m.keyId)).toEqual([theirs.id]);
    const own = await inspectKey(withNames, admin, key("123456789012"));
    expect(own.kind === "long-term" && own.matches.map((m) => m.keyId)).toEqual([mine.id]);
  });

  it("identifies a short-term key's issuer, and revoking shows up", async () => {
    const admin = await env.actor(env.users.admin);
    const devB = await env.actor(env.users.devB);
    const key = await generateShortTermKey(st, devB, { region: "us-east-1", expiresInMinutes: 45 });
    const before = await inspectKey(deps, admin, key.token);
    expect(before).toMatchObject({
      kind: "short-term",
      region: "us-east-1",
      expired: false,
      temporaryCredentials: true,
      issuance: { id: key.issuanceId, person: { email: "dev-b@example.com" }, sourceIdentity: `dev-b@example.com+${devB.id}`, revoked: false },
      canRevoke: true,
    });
    await revokeShortTermKeys(st, admin, devB.id);
    expect(await inspectKey(deps, admin, key.token)).toMatchObject({ issuance: { revoked: true } });
    // A lead of another team sees the token's facts but not whose it is.
    expect(await inspectKey(deps, await env.actor(env.users.leadA), key.token)).toMatchObject({ kind: "short-term", issuance: null, canRevoke: false });
  });

  it("explains garbage without echoing it", async () => {
    const admin = await env.actor(env.users.admin);
    expect(await inspectKey(deps, admin, "hello world")).toEqual({ kind: "invalid", reason: "unknownPrefix" });
    expect(await inspectKey(deps, admin, "ABSK$$$")).toEqual({ kind: "invalid", reason: "badEncoding" });
    expect(await inspectKey(deps, admin, "bedrock-api-key-aGVsbG8=")).toEqual({ kind: "invalid", reason: "badFormat" });
  });
});
