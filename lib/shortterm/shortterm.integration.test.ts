import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeysTestEnv, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { getToken } from "@aws/bedrock-token-generator";
import { assumeRole } from "@/lib/aws/sts";
import { ensureShortTermRole } from "./bootstrap";
import { legacySourceIdentityFor } from "./identity";
import { listIssuances, issuanceFilterSchema } from "./queries";
import { generateShortTermKey, revokeShortTermKeys, type ShortTermDeps } from "./service";

let env: KeysTestEnv;
let deps: ShortTermDeps;
beforeAll(async () => {
  env = await createKeysTestEnv();
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  expect(role.created).toBe(true);
  deps = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now: () => new Date(), roleArn: role.roleArn, maxHours: 12, regions: ["us-east-1", "us-west-2"] };
});
afterAll(async () => env?.close());

describe("short-term keys", () => {
  it("bootstrap is idempotent and names the console as the trusted principal", async () => {
    const again = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
    expect(again).toMatchObject({ created: false, roleArn: deps.roleArn, warnings: [] });
    expect(deps.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/bedrock-key-console\/BedrockKeyConsoleShortTerm$/);
  });

  it("issues a working key signed by a session named after the person, recorded without the token", async () => {
    const devA = await env.actor(env.users.devA);
    const audit = recordingAudit();
    const key = await generateShortTermKey(deps, devA, { region: "us-east-1", expiresInMinutes: 60 }, audit);
    expect(key.token).toMatch(/^bedrock-api-key-/);
    const identity = `dev-a@example.com+${devA.id}`;
    expect(key.sourceIdentity).toBe(identity);
    expect(Date.parse(key.expiresAt) - Date.parse(key.issuedAt)).toBe(3_600_000);
    expect((await env.converse(key.token)).status).toBe(200);
    // Made for us-east-1 only.
    expect((await env.converse(key.token, "us.anthropic.claude-3-5-haiku-20241022-v1:0", "us-west-2")).status).toBe(403);

    const row = await env.db.shortTermIssuance.findUniqueOrThrow({ where: { id: key.issuanceId } });
    expect(row).toMatchObject({ userId: devA.id, region: "us-east-1", sourceIdentity: identity });
    expect(JSON.stringify(row)).not.toContain(key.token.slice(16, 60));
    expect(JSON.stringify(audit.details)).not.toContain(key.token);

    const events = await env.aws.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "Converse" }] }));
    const mine = (events.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!)).find((e) => e.userIdentity?.accessKeyId === row.accessKeyId);
    expect(mine.userIdentity.type).toBe("AssumedRole");
    expect(mine.userIdentity.arn).toBe(`arn:aws:sts::123456789012:assumed-role/BedrockKeyConsoleShortTerm/${identity}`);
    expect(mine.userIdentity.sessionContext.sourceIdentity).toBe(identity);
    expect(mine.additionalEventData.callWithBearerToken).toBe(true);
  });

  it("revoking one person's keys: their earlier keys fail, others' work, their new keys work", async () => {
    const admin = await env.actor(env.users.admin);
    const devA = await env.actor(env.users.devA);
    const devB = await env.actor(env.users.devB);
    const aliceOld = await generateShortTermKey(deps, devA, { region: "us-east-1", expiresInMinutes: 30 });
    const bob = await generateShortTermKey(deps, devB, { region: "us-east-1", expiresInMinutes: 30 });
    expect((await env.converse(aliceOld.token)).status).toBe(200);

    const audit = recordingAudit();
    const result = await revokeShortTermKeys(deps, admin, devA.id, audit);
    expect(result.activeKeysRevoked).toBeGreaterThanOrEqual(2);
    expect(audit.targets[0]).toMatchObject({ type: "user", id: devA.id });

    const denied = await env.converse(aliceOld.token);
    expect(denied.status).toBe(403);
    expect(denied.message).toMatch(/explicit deny/);
    expect((await env.converse(bob.token)).status).toBe(200);
    const aliceNew = await generateShortTermKey(deps, devA, { region: "us-east-1", expiresInMinutes: 30 });
    expect((await env.converse(aliceNew.token)).status).toBe(200);

    // A second person's revocation is merged with the first, not written over it.
    await revokeShortTermKeys(deps, admin, devB.id);
    expect((await env.converse(bob.token)).status).toBe(403);
    expect((await env.converse(aliceOld.token)).status).toBe(403);
    expect((await env.converse(aliceNew.token)).status).toBe(200);

    const list = await listIssuances(env.db, admin, issuanceFilterSchema.parse({}));
    expect(list.rows.find((r) => r.id === aliceOld.issuanceId)?.state).toBe("revoked");
    expect(list.rows.find((r) => r.id === aliceNew.issuanceId)?.state).toBe("active");
  });

  it("two people whose emails clean to the same value are revoked separately", async () => {
    const admin = await env.actor(env.users.admin);
    const mk = async (email: string) => {
      const u = await env.db.user.create({ data: { email, name: email, role: "developer", passwordHash: "x" } });
      return env.actor(u);
    };
    const apostrophe = await mk("o'brien@example.com");
    const hyphen = await mk("o-brien@example.com");
    const a = await generateShortTermKey(deps, apostrophe, { region: "us-east-1", expiresInMinutes: 30 });
    const b = await generateShortTermKey(deps, hyphen, { region: "us-east-1", expiresInMinutes: 30 });
    expect(a.sourceIdentity).not.toBe(b.sourceIdentity);
    expect(a.sourceIdentity.startsWith("o-brien@example.com+")).toBe(true); // still readable in CloudTrail

    await revokeShortTermKeys(deps, admin, apostrophe.id);
    expect((await env.converse(a.token)).status).toBe(403);
    expect((await env.converse(b.token)).status).toBe(200);
    await revokeShortTermKeys(deps, admin, hyphen.id);
    expect((await env.converse(b.token)).status).toBe(403);
  });

  it("a key issued before (email-only identity, recorded then) is still revoked", async () => {
    const admin = await env.actor(env.users.admin);
    const u = await env.db.user.create({ data: { email: "legacy@example.com", name: "legacy", role: "developer", passwordHash: "x" } });
    // What the console did before: SourceIdentity = the cleaned email, recorded as such.
    const legacy = legacySourceIdentityFor(u.email);
    const session = await assumeRole(env.aws.sts, { roleArn: deps.roleArn!, sessionName: legacy, sourceIdentity: legacy, durationSeconds: 3600 });
    const token = await getToken({ credentials: session, region: "us-east-1", expiresInSeconds: 1800 });
    const now = new Date();
    await env.db.shortTermIssuance.create({
      data: { userId: u.id, sourceIdentity: legacy, roleArn: deps.roleArn!, region: "us-east-1", accessKeyId: session.accessKeyId, issuedAt: now, expiresAt: new Date(now.getTime() + 1_800_000) },
    });
    expect((await env.converse(token)).status).toBe(200);
    const audit = recordingAudit();
    const result = await revokeShortTermKeys(deps, admin, u.id, audit);
    expect(result.activeKeysRevoked).toBe(1);
    expect(audit.details).toMatchObject({ earlierIdentities: [legacy] });
    expect((await env.converse(token)).status).toBe(403);
  });

  it("lists issuances by scope and enforces limits and configuration", async () => {
    const devA = await env.actor(env.users.devA);
    const leadA = await env.actor(env.users.leadA);
    const leadB = await env.actor(env.users.leadB);
    const own = await listIssuances(env.db, devA, issuanceFilterSchema.parse({}));
    expect(own.rows.every((r) => r.user.id === devA.id)).toBe(true);
    expect((await listIssuances(env.db, leadA, issuanceFilterSchema.parse({}))).rows.every((r) => r.user.email === "dev-a@example.com")).toBe(true);
    expect((await listIssuances(env.db, leadB, issuanceFilterSchema.parse({}))).rows.every((r) => r.user.email === "dev-b@example.com")).toBe(true);

    await expect(generateShortTermKey({ ...deps, maxHours: 1 }, devA, { region: "us-east-1", expiresInMinutes: 120 })).rejects.toMatchObject({
      fieldErrors: { expiresInMinutes: { code: "field.maxHours", params: { max: 1 } } },
    });
    await expect(generateShortTermKey(deps, devA, { region: "eu-west-3", expiresInMinutes: 60 })).rejects.toMatchObject({ fieldErrors: { region: { code: "field.choice" } } });
    await expect(generateShortTermKey({ ...deps, roleArn: undefined }, devA, { region: "us-east-1", expiresInMinutes: 60 })).rejects.toMatchObject({ code: "shortterm.notConfigured" });
    await env.fault("AssumeRole", { code: "AccessDenied", status: 403, message: "not authorized to perform: sts:AssumeRole" }, 1, "sts");
    await expect(generateShortTermKey(deps, devA, { region: "us-east-1", expiresInMinutes: 60 })).rejects.toMatchObject({
      code: "aws.accessDenied",
      params: { action: "sts:AssumeRole" },
    });
  });
});
