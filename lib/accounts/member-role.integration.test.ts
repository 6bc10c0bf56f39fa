/**
 * docs/multi-account/member-role.template.json is the tested member role: its trust policy and
 * permissions, taken from the template itself, are created in the sandbox, and the console does
 * everything it does in a member account through that role — list, issue, disable, enable,
 * reset, delete, read the key's policies, read usage. A missing grant fails here, not in a
 * customer's account.
 */
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getKeyDetail } from "@/lib/keys/detail";
import { refreshInventory } from "@/lib/keys/inventory";
import { issueLongTermKey } from "@/lib/keys/issue";
import { deleteKey, resetKey, setKeyStatus } from "@/lib/keys/lifecycle";
import { KEY_PATH } from "@/tests/support/keys-env";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { CHAINED_MAX_MINUTES, generateShortTermKey, revokeShortTermKeys, type ShortTermDeps } from "@/lib/shortterm/service";
import { startUsageSync } from "@/lib/usage/sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { type AccountRef, createAccountAccess } from "./access";
import { memberRoleFromTemplate } from "./member-template";
import { probeAccount } from "./service";

const OWN = "123456789012";
const EXTERNAL_ID = "member-template-ext-9b2c";
let env: UsageTestEnv;
let member: AccountRef;

beforeAll(async () => {
  env = await createUsageTestEnv();
  const role = memberRoleFromTemplate({ accountId: OWN, consoleRoleArn: `arn:aws:iam::${OWN}:root`, externalId: EXTERNAL_ID, keyIamPath: KEY_PATH.replace(/^\/|\/$/g, "") });
  const created = await env.aws.iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
  for (const p of role.policies) await env.aws.iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
  member = { id: OWN, roleArn: created.Role!.Arn!, externalId: EXTERNAL_ID };
});
afterAll(() => env?.close());

describe("the documented member role", () => {
  it("is assumed only with its ExternalId", async () => {
    const access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
    expect(await probeAccount(access, member)).toMatchObject({ ok: true });
    expect(await probeAccount(access, { ...member, externalId: "guess" })).toMatchObject({ ok: false, code: "AccessDenied" });
  });

  it("lets the console do everything it does in a member account", async () => {
    const access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
    await access.ensureDefault(); // the account rows the records point at
    const memberIam = access.clientsFor(member).iam;
    // Through the member role only: the console's own IAM client is not even handed in.
    const deps = { ...env.deps, iam: memberIam, iamFor: async () => memberIam };
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(deps, admin, {
      idempotencyToken: crypto.randomUUID(),
      name: "Member role check",
      purpose: "template test",
      ownerId: env.users.devA.id,
      teamId: env.teams.A.id,
      ageDays: 30,
      extraPolicies: ["AmazonBedrockMarketplaceAccess"],
      restrictions: { models: ["amazon.nova-micro-v1:0"], cidrs: ["10.0.0.0/8"], notAfter: null },
    }).catch((e: { code?: string; params?: unknown }) => {
      throw new Error(`issue refused: ${e.code} ${JSON.stringify(e.params)}`);
    });
    const detail = await getKeyDetail(deps, admin, issued.keyId);
    expect(detail.policies?.ok).toBe(true);
    expect(await refreshInventory({ ...deps, account: { id: OWN, isDefault: true } })).toMatchObject({ listed: 1 });
    expect(await setKeyStatus(deps, admin, issued.keyId, "Inactive")).toMatchObject({ status: "Inactive" });
    expect(await setKeyStatus(deps, admin, issued.keyId, "Active")).toMatchObject({ status: "Active" });
    const reset = await resetKey(deps, admin, issued.keyId);
    expect(reset.secret).not.toBe(issued.secret);
    await setKeyStatus(deps, admin, issued.keyId, "Inactive");
    expect(await deleteKey(deps, admin, issued.keyId, "Member role check")).toMatchObject({ userDeleted: true });

    // Usage: LookupEvents through the role.
    const to = Date.now() - 60_000;
    await env.insertEvents(generateEvents(30, { seed: 5, from: to - 86_400_000, to }).map((r) => ({ ...r, awsRegion: "us-east-1" })));
    const outcome = await startUsageSync(
      env.syncDeps({ regions: [], memberAccounts: async () => [{ accountId: "999988887777", name: "Member", regions: ["us-east-1"], clientFor: (region) => access.cloudTrailFor({ ...member, roleArn: member.roleArn! }, region) }] }),
      "manual",
    );
    if (outcome.status !== "started") throw new Error("not started");
    expect(await outcome.done).toMatchObject({ status: "success", inserted: 30 });
  });

  it("signs short-term keys in a member account through its signing role, at most an hour, and revokes them there", async () => {
    const access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
    const clients = access.clientsFor(member);
    // The account's signing role, trusting the member role (what aws-bootstrap makes, run as the member role).
    const signing = await ensureShortTermRole(env.aws, { principalArn: member.roleArn! });
    const memberSigning = { id: "999988887777", name: "Member", iam: clients.iam, sts: clients.sts, signingRoleArn: signing.roleArn };
    const deps: ShortTermDeps = {
      db: env.db,
      iam: env.aws.iam,
      sts: env.aws.sts,
      now: () => new Date(),
      roleArn: undefined, // not even set up in the own account: the member's role is used
      maxHours: 12,
      regions: ["us-east-1"],
      accountFor: async (id) => (id === memberSigning.id ? memberSigning : null),
      signingAccounts: async () => [memberSigning],
    };
    const dev = await env.actor(env.users.devA);
    await expect(generateShortTermKey(deps, dev, { region: "us-east-1", expiresInMinutes: 120, accountId: memberSigning.id })).rejects.toMatchObject({
      fieldErrors: { expiresInMinutes: { code: "field.chainedMaxMinutes", params: { max: CHAINED_MAX_MINUTES } } },
    });
    await expect(generateShortTermKey(deps, dev, { region: "us-east-1", expiresInMinutes: 30, accountId: "111111111111" })).rejects.toMatchObject({ code: "invalidInput" });
    const key = await generateShortTermKey(deps, dev, { region: "us-east-1", expiresInMinutes: 45, accountId: memberSigning.id });
    expect(key.token).toMatch(/^bedrock-api-key-/);
    expect(Date.parse(key.expiresAt) - Date.parse(key.issuedAt)).toBe(45 * 60_000);
    const works = await env.converse(key.token);
    expect(works.status).toBe(200);
    const revoked = await revokeShortTermKeys({ ...deps, roleArn: signing.roleArn, iam: env.aws.iam }, await env.actor(env.users.admin), env.users.devA.id);
    expect(revoked).toMatchObject({ accounts: { done: [memberSigning.id], failed: [] } });
    expect((await env.converse(key.token)).status).toBe(403);
  });
});
