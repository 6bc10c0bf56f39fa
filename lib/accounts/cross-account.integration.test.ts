/**
 * The console across three sandbox accounts (issue 14), through the member role the docs deploy:
 * an account is added after a real cross-account AssumeRole with its ExternalId; keys issued in it
 * live in its IAM only, are listed by the refresh under it, and every lifecycle step goes through
 * its role; a key of account B can never be acted on through account C's credentials; usage is
 * read per account.
 */
import { CreateRoleCommand, ListServiceSpecificCredentialsCommand, ListUsersCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "@/lib/aws/clients";
import { runInventoryRefresh } from "@/lib/keys/inventory-job";
import { issueLongTermKey } from "@/lib/keys/issue";
import { deleteKey, setKeyStatus } from "@/lib/keys/lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, KEY_PATH, recordingAudit } from "@/tests/support/keys-env";
import { type AccountAccess, createAccountAccess } from "./access";
import { memberRoleFromTemplate } from "./member-template";
import { addAccountSchema } from "./schema";
import { addAccount, listAccounts } from "./service";

const OWN = "123456789012";
const STAGING = "222233334444";
const SANDBOX_TEAM = "555566667777";
let env: KeysTestEnv;
let access: AccountAccess;
const admins = new Map<string, ReturnType<typeof createAwsClients>>();

async function memberAccount(id: string, name: string, externalId: string) {
  const res = await fetch(`${env.sandbox.url}/_sandbox/accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id, name }) });
  const made = (await res.json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  const clients = createAwsClients({ region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1, credentials: { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey } });
  admins.set(id, clients);
  const role = memberRoleFromTemplate({ accountId: id, consoleRoleArn: `arn:aws:iam::${OWN}:root`, externalId, keyIamPath: KEY_PATH.replace(/^\/|\/$/g, "") });
  await clients.iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
  for (const p of role.policies) await clients.iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
  return `arn:aws:iam::${id}:role/${role.roleName}`;
}

const userNames = async (id: string) => ((await (admins.get(id) ?? env.aws).iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName);

beforeAll(async () => {
  env = await createKeysTestEnv({ maxAttempts: 1 });
  access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
  await memberAccount(STAGING, "Staging", "ext-staging-1");
  await memberAccount(SANDBOX_TEAM, "Team sandbox", "ext-team-2");
});
afterAll(() => env?.close());

const accountsDeps = () => ({ db: env.db, access, now: () => new Date(), defaultRegions: ["us-east-1"] });
const keyDeps = () => ({ ...env.deps, accounts: access, iamFor: (id: string | null) => access.iamFor(id) });

describe("three accounts", () => {
  it("adds member accounts after a real AssumeRole with their ExternalId; a wrong ExternalId stores nothing", async () => {
    const input = (id: string, name: string, externalId: string) =>
      addAccountSchema.parse({ id, name, roleArn: `arn:aws:iam::${id}:role/BedrockKeyConsoleMember`, externalId, regions: "us-east-1" });
    await expect(addAccount(accountsDeps(), input(STAGING, "Staging", "ext-guess"), recordingAudit())).rejects.toMatchObject({ code: "accounts.assumeDenied" });
    expect(await env.db.awsAccount.findUnique({ where: { id: STAGING } })).toBeNull();
    await addAccount(accountsDeps(), input(STAGING, "Staging", "ext-staging-1"), recordingAudit());
    await addAccount(accountsDeps(), input(SANDBOX_TEAM, "Team sandbox", "ext-team-2"), recordingAudit());
    expect((await listAccounts(accountsDeps())).map((a) => [a.id, a.source, a.lastError])).toEqual([
      [OWN, "default", null],
      [STAGING, "manual", null],
      [SANDBOX_TEAM, "manual", null],
    ]);
  });

  it("a key issued in Staging lives in Staging's IAM only, is listed under Staging, and every step goes through Staging's role", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(keyDeps(), admin, issueInput(env, { accountId: STAGING, name: "Staging bot" }));
    expect(await userNames(STAGING)).toContain(key.iamUserName);
    expect(await userNames(SANDBOX_TEAM)).not.toContain(key.iamUserName);
    expect(await userNames(OWN)).not.toContain(key.iamUserName);
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).accountId).toBe(STAGING);

    // A key made in the Team sandbox outside the console: found by the refresh, filed under it.
    const teamAdmin = admins.get(SANDBOX_TEAM)!;
    const { CreateUserCommand, CreateServiceSpecificCredentialCommand } = await import("@aws-sdk/client-iam");
    await teamAdmin.iam.send(new CreateUserCommand({ UserName: "notebook" }));
    const outside = await teamAdmin.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "notebook", ServiceName: "bedrock.amazonaws.com" }));
    const outcome = await runInventoryRefresh(keyDeps(), "manual");
    if (outcome.status !== "done") throw new Error("busy");
    expect(outcome).toMatchObject({ accounts: 3, failedAccounts: [] });
    const found = await env.db.apiKey.findUniqueOrThrow({ where: { credentialId: outside.ServiceSpecificCredential!.ServiceSpecificCredentialId! } });
    expect(found).toMatchObject({ accountId: SANDBOX_TEAM, managed: false, state: "present" });
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).state).toBe("present");

    await setKeyStatus(keyDeps(), admin, key.keyId, "Inactive");
    const live = await admins.get(STAGING)!.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: key.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
    expect(live.ServiceSpecificCredentials?.[0]?.Status).toBe("Inactive");
    expect(await deleteKey(keyDeps(), admin, key.keyId, "Staging bot")).toMatchObject({ userDeleted: true });
    expect(await userNames(STAGING)).not.toContain(key.iamUserName);
  });

  it("a key recorded in Staging is never acted on through the Team sandbox's credentials", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(keyDeps(), admin, issueInput(env, { accountId: STAGING, name: "Crossed wires" }));
    // Someone (or a bug) files it under the Team sandbox: the console asks that account, which has no such key.
    await env.db.apiKey.update({ where: { id: key.keyId }, data: { accountId: SANDBOX_TEAM } });
    await expect(setKeyStatus(keyDeps(), admin, key.keyId, "Inactive")).rejects.toMatchObject({ code: "keys.goneOutside" });
    const live = await admins.get(STAGING)!.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: key.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
    expect(live.ServiceSpecificCredentials?.[0]?.Status).toBe("Active");
  });
});

describe("discovery from AWS Organizations", () => {
  it("registers the organisation's new accounts by the role-name convention, checks each, and pauses those that left", async () => {
    const ENG = "666677778888";
    await memberAccount(ENG, "Engineering", "ext-org-shared");
    // Deployed but not yet reachable: an account whose StackSet instance has not run.
    await fetch(`${env.sandbox.url}/_sandbox/accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "999900001111", name: "New hire" }) });
    const { discoverAccounts } = await import("./discovery");
    const audit = recordingAudit();
    const input = { roleName: "BedrockKeyConsoleMember", externalId: "ext-org-shared", regions: [] };
    const result = await discoverAccounts({ ...accountsDeps(), organizations: env.aws.organizations }, input, audit);
    expect(result.found).toBe(5);
    expect(result.added.sort()).toEqual([ENG, "999900001111"]);
    expect(result.failing).toEqual(["999900001111"]);
    const accounts = await listAccounts(accountsDeps());
    expect(accounts.find((a) => a.id === ENG)).toMatchObject({ source: "organizations", lastError: null });
    expect(accounts.find((a) => a.id === "999900001111")).toMatchObject({ source: "organizations", lastErrorCode: "AccessDenied" });
    expect(audit.details).toMatchObject({ found: 5, roleName: "BedrockKeyConsoleMember" });

    // Engineering leaves the organisation: the next discovery pauses it and says why.
    await fetch(`${env.sandbox.url}/_sandbox/accounts/${ENG}/leave`, { method: "POST" });
    const again = await discoverAccounts({ ...accountsDeps(), organizations: env.aws.organizations }, input, recordingAudit());
    expect(again.removed).toEqual([ENG]);
    expect((await listAccounts(accountsDeps())).find((a) => a.id === ENG)).toMatchObject({ status: "paused", lastError: { key: "accounts.leftOrganization" } });
  });
});

describe("the policy per account", () => {
  it("an account's own maximum key age and models bind keys there; other accounts follow the organisation", async () => {
    const { updateAccount } = await import("./service");
    await updateAccount(
      accountsDeps(),
      { accountId: STAGING, name: "Staging", regions: ["us-east-1"], externalId: "", signingRoleArn: "", teams: [], policyMaxKeyAgeDays: 7, policyModels: ["amazon.nova-micro-v1:0"] },
      recordingAudit(),
    );
    const admin = await env.actor(env.users.admin);
    const before = await env.db.apiKey.count();
    await expect(issueLongTermKey(keyDeps(), admin, issueInput(env, { accountId: STAGING, ageDays: 30 }))).rejects.toMatchObject({ code: "policy.refused" });
    await expect(issueLongTermKey(keyDeps(), admin, issueInput(env, { accountId: STAGING, ageDays: 7 }))).rejects.toMatchObject({ code: "policy.refused" }); // no model chosen: every model is beyond the list
    expect(await env.db.apiKey.count()).toBe(before);
    const ok = await issueLongTermKey(keyDeps(), admin, issueInput(env, { accountId: STAGING, ageDays: 7, restrictions: { models: ["amazon.nova-micro-v1:0"], cidrs: [], notAfter: null } }));
    expect(ok.iamUserName).toMatch(/^BedrockAPIKey-/);
    // The own account: the organisation's policy (no maximum here), a 30-day key for any model.
    await expect(issueLongTermKey(keyDeps(), admin, issueInput(env, { ageDays: 30 }))).resolves.toMatchObject({ name: expect.any(String) });
  });
});
