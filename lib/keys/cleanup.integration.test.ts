import { ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryCleanup, retryPendingCleanups } from "./cleanup";
import { getKeyDetail } from "./detail";
import { refreshInventory } from "./inventory";
import { issueLongTermKey } from "./issue";
import { deleteKey, setKeyStatus } from "./lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  // One attempt per call: an injected fault is not retried away by the SDK.
  env = await createKeysTestEnv({ maxAttempts: 1 });
});
afterAll(async () => env?.close());

/** Every IAM call a key's deletion makes, in order. */
const DELETION_STEPS = [
  "ListServiceSpecificCredentials",
  "DeleteServiceSpecificCredential",
  "ListAttachedUserPolicies",
  "DetachUserPolicy",
  "ListUserPolicies",
  "DeleteUserPolicy",
  "DeleteUser",
];

/** Console-made users that hold no credential: orphans nobody can see in the key list. */
async function orphans(): Promise<string[]> {
  const out: string[] = [];
  for (const user of await env.consoleUsers()) {
    const creds = await env.aws.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: user, ServiceName: "bedrock.amazonaws.com" }));
    if ((creds.ServiceSpecificCredentials ?? []).length === 0) out.push(user);
  }
  return out;
}

describe("unfinished clean-ups after a key's deletion", () => {
  it("a fault at each of the 7 deletion steps leaves 0 orphans after the retries", async () => {
    const admin = await env.actor(env.users.admin);
    const pendingAfterDelete: string[] = [];
    for (const step of DELETION_STEPS) {
      const name = `Fault at ${step}`;
      const key = await issueLongTermKey(
        env.deps,
        admin,
        issueInput(env, { name, extraPolicies: ["AmazonBedrockMarketplaceAccess"], restrictions: { models: [], cidrs: ["10.0.0.0/8"], notAfter: null } }),
      );
      await setKeyStatus(env.deps, admin, key.keyId, "Inactive");
      await env.fault(step, { code: "ServiceFailure", status: 500, message: "injected" });
      const audit = recordingAudit();
      const result = await deleteKey(env.deps, admin, key.keyId, name, audit).catch((e: unknown) => e);
      await env.clearFaults();
      if (step === "ListServiceSpecificCredentials" || step === "DeleteServiceSpecificCredential") {
        // Before the credential goes: the deletion fails as a whole and the key stays.
        expect(result).toMatchObject({ code: "aws.unavailable" });
        await setKeyStatus(env.deps, admin, key.keyId, "Inactive"); // still there, still manageable
        await deleteKey(env.deps, admin, key.keyId, name);
        continue;
      }
      // After: the key is deleted, the unfinished clean-up is recorded, said so and shown.
      expect(result, step).toMatchObject({ keyId: key.keyId, userDeleted: false, cleanupPending: true });
      expect(audit.details).toMatchObject({ cleanupPending: true, userCleanupFailed: key.iamUserName });
      expect(await env.db.keyCleanup.findUnique({ where: { iamUserName: key.iamUserName } })).toMatchObject({ apiKeyId: key.keyId, reason: "deleteFailed", lastError: "ServiceFailure" });
      expect((await getKeyDetail(env.deps, admin, key.keyId).catch(() => null))?.key).toMatchObject({ cleanup: { attempts: 1, lastError: "ServiceFailure" } });
      pendingAfterDelete.push(key.iamUserName);
    }
    expect((await orphans()).sort()).toEqual([...pendingAfterDelete].sort());
    expect(pendingAfterDelete).toHaveLength(5);

    // The scheduled retry removes them all.
    expect(await retryPendingCleanups(env.deps)).toEqual({ status: "done", removed: 5, failed: 0, kept: 0 });
    expect(await orphans()).toEqual([]);
    expect(await env.db.keyCleanup.count()).toBe(0);
    const audited = await env.db.auditEntry.findMany({ where: { action: "keys.cleanup" }, select: { result: true, targetId: true } });
    expect(audited).toHaveLength(5);
  });

  it("a refresh finds a console-made user without credentials; an on-demand retry deletes it, one with a credential is kept", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Left behind" }));
    // A clean-up the console never recorded (e.g. an older version): only the credential is gone.
    await env.aws.iam.send(new (await import("@aws-sdk/client-iam")).DeleteServiceSpecificCredentialCommand({ UserName: key.iamUserName, ServiceSpecificCredentialId: key.credentialId }));
    const summary = await refreshInventory(env.deps);
    expect(summary.orphans).toBe(1);
    expect(await env.db.keyCleanup.findUnique({ where: { iamUserName: key.iamUserName } })).toMatchObject({ reason: "foundByRefresh", apiKeyId: null });
    expect((await refreshInventory(env.deps)).orphans).toBe(0); // recorded once

    await env.fault("DeleteUser", { code: "ServiceFailure", status: 500, message: "injected" });
    expect(await retryCleanup(env.deps, key.iamUserName)).toBe("failed");
    await env.clearFaults();
    expect(await env.db.keyCleanup.findUnique({ where: { iamUserName: key.iamUserName } })).toMatchObject({ attempts: 1, lastError: "ServiceFailure" });
    const audit = recordingAudit();
    expect(await retryCleanup(env.deps, key.iamUserName, audit)).toBe("removed");
    expect(audit.details).toMatchObject({ outcome: "removed", iamUserName: key.iamUserName });
    expect(await orphans()).toEqual([]);

    // A user that holds a credential is never deleted by a clean-up.
    const live = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Still used" }));
    await env.db.keyCleanup.create({ data: { iamUserName: live.iamUserName, reason: "foundByRefresh", since: new Date() } });
    expect(await retryCleanup(env.deps, live.iamUserName)).toBe("keptHasCredential");
    expect((await env.converse(live.secret)).status).toBe(200);
  });
});
