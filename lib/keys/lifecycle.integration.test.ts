import { CreateServiceSpecificCredentialCommand, CreateUserCommand, DeleteServiceSpecificCredentialCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { getKeyDetail } from "./detail";
import { refreshInventory } from "./inventory";
import { issueLongTermKey } from "./issue";
import { adoptKey, deleteKey, resetKey, setKeyStatus } from "./lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());

const INVALID_KEY = "Authentication failed: Please make sure your API Key is valid.";

async function userExists(name: string) {
  return env.aws.iam.send(new GetUserCommand({ UserName: name })).then(
    () => true,
    () => false,
  );
}

describe("key lifecycle", () => {
  it("disable → AWS's message → enable → reset (old fails, new works) → disable → delete (IAM user gone)", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Lifecycle", restrictions: { models: ["amazon.nova-lite-v1:0"], cidrs: ["127.0.0.0/8"], notAfter: "2099-01-31" } }));
    expect((await env.converse(issued.secret, "amazon.nova-lite-v1:0")).status).toBe(200);

    const audit = recordingAudit();
    expect(await setKeyStatus(env.deps, admin, issued.keyId, "Inactive", audit)).toEqual({ keyId: issued.keyId, status: "Inactive" });
    expect(audit.targets[0]).toMatchObject({ type: "apiKey", id: issued.keyId, teamId: env.teams.A.id });
    const disabled = await env.converse(issued.secret, "amazon.nova-lite-v1:0");
    expect(disabled.status).toBe(403);
    expect(disabled.message).toBe(INVALID_KEY);

    await setKeyStatus(env.deps, admin, issued.keyId, "Active");
    expect((await env.converse(issued.secret, "amazon.nova-lite-v1:0")).status).toBe(200);

    const reset = await resetKey(env.deps, admin, issued.keyId);
    expect(reset.secret).not.toBe(issued.secret);
    expect(reset.modelId).toBe("amazon.nova-lite-v1:0");
    expect((await env.converse(issued.secret, "amazon.nova-lite-v1:0")).message).toBe(INVALID_KEY);
    expect((await env.converse(reset.secret, "amazon.nova-lite-v1:0")).status).toBe(200);

    // The key page reads the policies back in readable form.
    const detail = await getKeyDetail(env.deps, admin, issued.keyId);
    expect(detail.policies).toMatchObject({
      ok: true,
      managed: ["AmazonBedrockLimitedAccess"],
      inline: ["BedrockKeyConsoleRestrictions"],
      readable: { models: [{ id: "amazon.nova-lite-v1:0", label: "Nova Lite" }], cidrs: ["127.0.0.0/8"], notAfter: "2099-01-31" },
    });
    // And the documents themselves, formatted, the managed one through GetPolicy + GetPolicyVersion.
    if (!detail.policies?.ok) throw new Error("policies should be readable");
    const [managed, inline] = detail.policies.documents;
    expect(managed).toMatchObject({ name: "AmazonBedrockLimitedAccess", kind: "managed" });
    expect(JSON.parse(managed!.json!)).toMatchObject({ Version: "2012-10-17" });
    expect(managed!.json).toContain('\n  "Statement": [');
    expect(inline).toMatchObject({ name: "BedrockKeyConsoleRestrictions", kind: "inline" });
    expect(inline!.json).toContain("127.0.0.0/8");

    const active = await deleteKey(env.deps, admin, issued.keyId, "Lifecycle").catch((e: unknown) => e);
    expect(active).toMatchObject({ code: "keys.deleteRequiresInactive" });
    await setKeyStatus(env.deps, admin, issued.keyId, "Inactive");
    const wrongName = await deleteKey(env.deps, admin, issued.keyId, "something else").catch((e: unknown) => e);
    expect(wrongName).toMatchObject({ fieldErrors: { confirmName: { code: "field.confirmName" } } });
    const deleted = await deleteKey(env.deps, admin, issued.keyId, "Lifecycle");
    expect(deleted).toEqual({ keyId: issued.keyId, userDeleted: true });
    expect(await userExists(issued.iamUserName)).toBe(false);
    expect(await env.db.apiKey.findUnique({ where: { id: issued.keyId }, select: { state: true } })).toEqual({ state: "deleted" });
    expect((await env.converse(reset.secret, "amazon.nova-lite-v1:0")).message).toBe(INVALID_KEY);
  });

  it("refuses to reset an expired key", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Short lived", ageDays: 1 }));
    env.setNow(new Date(Date.now() + 2 * 86_400_000));
    try {
      const error = await resetKey(env.deps, admin, issued.keyId).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "keys.resetExpired", params: { name: "Short lived" } });
    } finally {
      env.tick();
    }
  });

  it("a key deleted outside the console: clear message, record marked gone, nothing else changed", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Deleted in AWS console" }));
    await env.aws.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: issued.iamUserName, ServiceSpecificCredentialId: issued.credentialId }));
    const error = await setKeyStatus(env.deps, admin, issued.keyId, "Inactive").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: "keys.goneOutside", params: { name: "Deleted in AWS console" } });
    expect(await env.db.apiKey.findUnique({ where: { id: issued.keyId }, select: { state: true } })).toEqual({ state: "gone" });
    expect(await userExists(issued.iamUserName)).toBe(true); // nothing else touched
    const again = await setKeyStatus(env.deps, admin, issued.keyId, "Active").catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "keys.alreadyRemoved" });
  });

  it("leads disable and re-enable their teams' keys only; other teams' keys are 'not found'", async () => {
    const admin = await env.actor(env.users.admin);
    const leadA = await env.actor(env.users.leadA);
    const leadB = await env.actor(env.users.leadB);
    const devA = await env.actor(env.users.devA);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Team A key" }));

    await expect(setKeyStatus(env.deps, leadA, key.keyId, "Inactive")).resolves.toMatchObject({ status: "Inactive" });
    await expect(setKeyStatus(env.deps, leadA, key.keyId, "Active")).resolves.toMatchObject({ status: "Active" });
    for (const [who, call] of [
      [leadB, () => setKeyStatus(env.deps, leadB, key.keyId, "Inactive")],
      [devA, () => setKeyStatus(env.deps, devA, key.keyId, "Inactive")],
      [leadA, () => resetKey(env.deps, leadA, key.keyId)],
      [leadA, () => deleteKey(env.deps, leadA, key.keyId, "Team A key")],
      [leadB, () => getKeyDetail(env.deps, leadB, key.keyId)],
    ] as const) {
      const error = await call().catch((e: unknown) => e);
      expect(error, who.email).toMatchObject({ code: "notFound" });
    }
    // The owner (a developer) may read their own key.
    await expect(getKeyDetail(env.deps, devA, key.keyId)).resolves.toMatchObject({ key: { id: key.keyId, can: { disable: false, reset: false } } });
    expect((await env.converse(key.secret)).status).toBe(200);
  });

  it("deleting an unmanaged key removes only the credential; adoption gives it an owner and team", async () => {
    const admin = await env.actor(env.users.admin);
    await env.aws.iam.send(new CreateUserCommand({ UserName: "made-by-hand" }));
    const made = await env.aws.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "made-by-hand", ServiceName: "bedrock.amazonaws.com" }));
    await refreshInventory(env.deps);
    const row = await env.db.apiKey.findFirstOrThrow({ where: { credentialId: made.ServiceSpecificCredential!.ServiceSpecificCredentialId } });
    expect(row).toMatchObject({ managed: false, consoleUser: false, name: "made-by-hand" });

    const wrongTeam = await adoptKey(env.deps, admin, { keyId: row.id, ownerId: env.users.devB.id, teamId: env.teams.A.id, purpose: "" }).catch((e: unknown) => e);
    expect(wrongTeam).toMatchObject({ fieldErrors: { teamId: { code: "field.ownerTeam" } } });
    // The name must be free among current keys (case-insensitive): the adoption changes nothing.
    await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Notebook", ownerId: env.users.devB.id, teamId: env.teams.B.id }));
    const taken = await adoptKey(env.deps, admin, { keyId: row.id, ownerId: env.users.devB.id, teamId: env.teams.B.id, name: "NOTEBOOK", purpose: "" }).catch((e: unknown) => e);
    expect(taken).toMatchObject({ code: "keys.nameTaken", fieldErrors: { name: { code: "field.keyNameTaken" } } });
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ managed: false, name: "made-by-hand" });
    await env.db.apiKey.updateMany({ where: { name: "Notebook", managed: true, consoleUser: true }, data: { state: "deleted" } });

    const audit = recordingAudit();
    await adoptKey(env.deps, admin, { keyId: row.id, ownerId: env.users.devB.id, teamId: env.teams.B.id, name: "Notebook", purpose: "Experiments" }, audit);
    expect(audit.targets[0]).toMatchObject({ id: row.id, teamId: env.teams.B.id, label: "Notebook" });
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ managed: true, ownerId: env.users.devB.id, teamId: env.teams.B.id, name: "Notebook" });
    await expect(adoptKey(env.deps, admin, { keyId: row.id, ownerId: env.users.devB.id, teamId: env.teams.B.id, purpose: "" })).rejects.toMatchObject({ code: "keys.alreadyManaged" });

    await setKeyStatus(env.deps, admin, row.id, "Inactive");
    expect(await deleteKey(env.deps, admin, row.id, "Notebook")).toEqual({ keyId: row.id, userDeleted: false, userKeptBecause: "notConsoleUser" });
    expect(await userExists("made-by-hand")).toBe(true);
  });
});
