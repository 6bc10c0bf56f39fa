import { ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "./issue";
import { deleteKey, setKeyStatus } from "./lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());

async function iamStatus(userName: string, credentialId: string): Promise<string | null> {
  const out = await env.aws.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com" })).catch(() => null);
  return out?.ServiceSpecificCredentials?.find((c) => c.ServiceSpecificCredentialId === credentialId)?.Status ?? null;
}

describe("lifecycle operations on one key are serialised", () => {
  it("enable racing a delete (IAM latency) ends consistent: never state=deleted with status=Active", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Racy" }));
    await setKeyStatus(env.deps, admin, issued.keyId, "Inactive");

    // The delete reads "Inactive" from IAM, then waits on the credential deletion; the enable runs
    // in that window.
    await env.latency("DeleteServiceSpecificCredential", 400);
    const del = deleteKey(env.deps, admin, issued.keyId, "Racy");
    await new Promise((r) => setTimeout(r, 150));
    const enable = setKeyStatus(env.deps, admin, issued.keyId, "Active");
    const [d, e] = await Promise.allSettled([del, enable]);
    await env.clearFaults();

    const row = await env.db.apiKey.findUniqueOrThrow({ where: { id: issued.keyId }, select: { state: true, status: true } });
    expect(row.state === "deleted" && row.status === "Active").toBe(false);
    // Exactly one of them won; the other was told someone else is changing the key.
    expect([d.status, e.status].sort()).toEqual(["fulfilled", "rejected"]);
    const loser = d.status === "rejected" ? d.reason : e.status === "rejected" ? e.reason : null;
    expect(loser).toMatchObject({ code: "conflict" });
    // The record matches IAM.
    const live = await iamStatus(issued.iamUserName, issued.credentialId);
    if (row.state === "deleted") expect(live).toBeNull();
    else expect(live).toBe(row.status);
  });

  it("a delete arriving while an enable waits in IAM is refused; the key stays present and Active", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Stale status" }));
    await setKeyStatus(env.deps, admin, issued.keyId, "Inactive");
    // The enable waits in IAM; the delete is refused meanwhile (lease), so the end is consistent.
    await env.latency("UpdateServiceSpecificCredential", 400);
    const enable = setKeyStatus(env.deps, admin, issued.keyId, "Active");
    await new Promise((r) => setTimeout(r, 150));
    const del = await deleteKey(env.deps, admin, issued.keyId, "Stale status").catch((x: unknown) => x);
    await enable;
    await env.clearFaults();
    expect(del).toMatchObject({ code: "conflict" });
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: issued.keyId }, select: { state: true, status: true } })).toEqual({ state: "present", status: "Active" });
  });
});
