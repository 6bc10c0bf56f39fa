/**
 * Many AWS accounts (issue 14) against the sandbox: the console's own account registered without
 * any step, member roles assumed with their ExternalId (refused as AWS refuses), a failing account
 * isolated from the refresh of the others, and a key never acted on through another account's
 * credentials.
 */
import { CreateRoleCommand, ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInventoryRefresh } from "@/lib/keys/inventory-job";
import { issueLongTermKey } from "@/lib/keys/issue";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { type AccountAccess, createAccountAccess } from "./access";
import { addAccountSchema } from "./schema";
import { addAccount, listAccounts, probeAccount, updateAccount } from "./service";

const OWN = "123456789012"; // the sandbox's account
const MISSING = "210987654321";
let env: KeysTestEnv;
let access: AccountAccess;
let memberRoleArn: string;

beforeAll(async () => {
  env = await createKeysTestEnv({ maxAttempts: 1 });
  access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "console-ext-7f3a" } } }],
  };
  const role = await env.aws.iam.send(new CreateRoleCommand({ RoleName: "BedrockKeyConsoleMember", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  memberRoleArn = role.Role!.Arn!;
});
afterAll(() => env?.close());

const deps = () => ({ db: env.db, access, now: () => new Date(), defaultRegions: ["us-east-1"] });

describe("the console's own account", () => {
  it("is registered on first use, and keys recorded before accounts are filed under it", async () => {
    const key = await issueLongTermKey(env.deps, await env.actor(env.users.admin), issueInput(env));
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).accountId).toBeNull();
    expect(await access.ensureDefault()).toBe(OWN);
    expect(await env.db.awsAccount.findUniqueOrThrow({ where: { id: OWN } })).toMatchObject({ source: "default", roleArn: null, status: "active" });
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).accountId).toBe(OWN);
    const [own] = await listAccounts(deps());
    expect(own).toMatchObject({ id: OWN, source: "default", roleArn: null, keys: 1, regions: ["us-east-1"], defaultRegions: true });
  });
});

describe("member roles", () => {
  it("are assumed with their ExternalId; a wrong or missing one is refused as AWS refuses it", async () => {
    expect(await probeAccount(access, { id: OWN, roleArn: memberRoleArn, externalId: "console-ext-7f3a" })).toMatchObject({ ok: true });
    for (const externalId of ["console-ext-wrong", null]) {
      const probe = await probeAccount(access, { id: OWN, roleArn: memberRoleArn, externalId });
      expect(probe).toMatchObject({ ok: false, code: "AccessDenied", key: "accounts.assumeDenied", params: { role: memberRoleArn } });
    }
  });

  it("a role that belongs to another account than the one registered is refused before anything is stored", () => {
    const parsed = addAccountSchema.safeParse({ id: "111122223333", name: "Staging", roleArn: memberRoleArn, externalId: "console-ext-7f3a", regions: "" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["roleArn", "field.roleArnAccount"]]);
    for (const bad of [{ id: "12345" }, { roleArn: "arn:aws:iam::111122223333:user/x" }, { externalId: "x" }, { regions: "us-east-1, mars-1" }]) {
      expect(addAccountSchema.safeParse({ id: "111122223333", name: "S", roleArn: "arn:aws:iam::111122223333:role/M", externalId: "ext-ok", regions: "", ...bad }).success).toBe(false);
    }
  });

  it("adding an account that the console cannot reach stores nothing and says what to fix", async () => {
    const audit = recordingAudit();
    const input = addAccountSchema.parse({ id: MISSING, name: "Team sandbox", roleArn: `arn:aws:iam::${MISSING}:role/BedrockKeyConsoleMember`, externalId: "console-ext-7f3a", regions: "us-west-2" });
    await expect(addAccount(deps(), input, audit)).rejects.toMatchObject({ code: "accounts.assumeDenied" });
    expect(await env.db.awsAccount.findUnique({ where: { id: MISSING } })).toBeNull();
    expect(audit.details).toMatchObject({ awsErrorCode: "AccessDenied" });
    // The account that is already there cannot be added twice.
    await expect(addAccount(deps(), { ...input, id: OWN, roleArn: memberRoleArn }, recordingAudit())).rejects.toMatchObject({ code: "accounts.exists" });
  });
});

describe("an account that fails", () => {
  it("shows its own error and never breaks the refresh of the others, nor loses its keys", async () => {
    // Registered earlier, its member role deleted since: AssumeRole is refused.
    await env.db.awsAccount.create({ data: { id: MISSING, name: "Team sandbox", roleArn: `arn:aws:iam::${MISSING}:role/Gone`, externalId: "console-ext-7f3a" } });
    const other = await env.db.apiKey.create({ data: { accountId: MISSING, credentialId: "ACCAOTHERACCOUNTKEY01", iamUserName: "someone", name: "Other account's key", state: "present" } });
    const outcome = await runInventoryRefresh({ ...env.deps, accounts: access }, "manual");
    if (outcome.status !== "done") throw new Error("refresh busy");
    expect(outcome.accounts).toBe(2);
    expect(outcome.failedAccounts).toEqual([{ id: MISSING, name: "Team sandbox", code: "AccessDenied" }]);
    expect(outcome.listed).toBeGreaterThanOrEqual(1); // the own account was refreshed
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: other.id } })).state).toBe("present");
    const failing = (await listAccounts(deps())).find((a) => a.id === MISSING)!;
    expect(failing.lastError).toEqual({ key: "accounts.assumeDenied", params: { role: `arn:aws:iam::${MISSING}:role/Gone` } });
    expect(failing.lastErrorCode).toBe("AccessDenied");
    expect((await env.db.inventoryRefresh.findUniqueOrThrow({ where: { id: outcome.refreshId } })).result).toBe("partial");
  });

  it("a key in one account is never acted on with another account's credentials", async () => {
    // A real key in the sandbox's (own) account, whose record says it lives in the failing one:
    // disabling it must go through that account's role and fail, not fall back to our own.
    const issued = await issueLongTermKey(env.deps, await env.actor(env.users.admin), issueInput(env));
    await env.db.apiKey.update({ where: { id: issued.keyId }, data: { accountId: MISSING } });
    const keyDeps = { ...env.deps, iamFor: (id: string | null) => access.iamFor(id) };
    await expect(setKeyStatus(keyDeps, await env.actor(env.users.admin), issued.keyId, "Inactive")).rejects.toMatchObject({ code: "accounts.assumeDenied" });
    const live = await env.aws.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: issued.iamUserName, ServiceName: "bedrock.amazonaws.com" }));
    expect(live.ServiceSpecificCredentials?.map((c) => [c.ServiceSpecificCredentialId, c.Status])).toEqual([[issued.credentialId, "Active"]]);
  });
});

describe("teams and accounts", () => {
  it("an account that names teams gets keys of those teams only; one that names none is open to all", async () => {
    const admin = await env.actor(env.users.admin);
    const keyDeps = { ...env.deps, accounts: access, iamFor: (id: string | null) => access.iamFor(id) };
    // The own account, limited to team B: team A's key is refused before anything exists in AWS.
    const audit = recordingAudit();
    await updateAccount(deps(), { accountId: OWN, name: "Production", regions: [], externalId: "", signingRoleArn: "", policyMaxKeyAgeDays: null, policyModels: null, teams: [env.teams.B.id] }, audit);
    expect(audit.details).toMatchObject({ before: { teams: [] }, after: { name: "Production", teams: ["Research"] } });
    const before = await env.db.apiKey.count();
    await expect(issueLongTermKey(keyDeps, admin, issueInput(env))).rejects.toMatchObject({ code: "invalidInput", fieldErrors: { accountId: { code: "field.accountNotForTeam", params: { team: "Payments" } } } });
    expect(await env.db.apiKey.count()).toBe(before);
    const ok = await issueLongTermKey(keyDeps, admin, issueInput(env, { ownerId: env.users.devB.id, teamId: env.teams.B.id }));
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: ok.keyId } })).accountId).toBe(OWN);
    // Open again: none named.
    await updateAccount(deps(), { accountId: OWN, name: "Production", regions: [], externalId: "", signingRoleArn: "", policyMaxKeyAgeDays: null, policyModels: null, teams: [] }, recordingAudit());
    await expect(issueLongTermKey(keyDeps, admin, issueInput(env))).resolves.toMatchObject({ name: expect.any(String) });
    // An unknown team id changes nothing.
    await expect(updateAccount(deps(), { accountId: OWN, name: "Renamed", regions: [], externalId: "", signingRoleArn: "", policyMaxKeyAgeDays: null, policyModels: null, teams: ["no-such-team"] }, recordingAudit())).rejects.toMatchObject({ code: "invalidInput" });
    expect((await env.db.awsAccount.findUniqueOrThrow({ where: { id: OWN } })).name).toBe("Production");
  });
});
