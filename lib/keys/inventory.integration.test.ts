import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  GetUserCommand,
  ListUsersCommand,
  UpdateServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "@/lib/aws/clients";
import { refreshInventory } from "./inventory";
import { INVENTORY_LEASE, runInventoryRefresh } from "./inventory-job";
import { issueLongTermKey } from "./issue";
import { acquireLease } from "./lease";
import { exportKeysCsv, listKeys } from "./queries";
import { keyFilterSchema } from "./schemas";
import { secretShapesIn } from "@/lib/testing/secret-shapes";
import { ADMIN_CREDENTIALS, createKeysTestEnv, issueInput, KEY_PATH, type KeysTestEnv } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());

const filters = (f: Record<string, unknown> = {}) => keyFilterSchema.parse(f);

async function handMadeKey(userName: string, path = "/") {
  await env.aws.iam.send(new CreateUserCommand({ UserName: userName, Path: path }));
  const out = await env.aws.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com" }));
  return out.ServiceSpecificCredential!.ServiceSpecificCredentialId!;
}

describe("inventory refresh", () => {
  it("lists every key, records unmanaged ones, and costs one list call per 1,000 keys once they are known", async () => {
    const admin = await env.actor(env.users.admin);
    const managed = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Managed one" }));
    const outside = await handMadeKey("analyst-notebook");

    const first = await refreshInventory(env.deps);
    expect(first.listed).toBe(2);
    expect(first.created).toBe(1);
    // New key outside the console's path: one ListUsers page, no tag reads.
    expect(first.calls).toEqual({ ListServiceSpecificCredentials: 1, ListUsers: 1, ListUserTags: 0 });
    expect(await env.db.apiKey.findFirstOrThrow({ where: { credentialId: outside } })).toMatchObject({ managed: false, name: "analyst-notebook", state: "present" });

    const steady = await refreshInventory(env.deps);
    // One credential listing and one ListUsers page (users without a credential are orphans).
    expect(steady).toMatchObject({ created: 0, updated: 0, gone: [], orphans: 0, totalCalls: 2 });

    // A status change made in the AWS console shows up; a deleted key is marked gone.
    await env.aws.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: managed.iamUserName, ServiceSpecificCredentialId: managed.credentialId, Status: "Inactive" }));
    await env.aws.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "analyst-notebook", ServiceSpecificCredentialId: outside }));
    const changed = await refreshInventory(env.deps);
    expect(changed.updated).toBe(1);
    expect(changed.gone.map((g) => g.name)).toEqual(["analyst-notebook"]);
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: managed.keyId } })).toMatchObject({ status: "Inactive" });
  });

  it("re-links a console-made key without a record through its IAM user's tags", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Restored from backup", purpose: "Recovery" }));
    await env.db.apiKey.delete({ where: { id: issued.keyId } }); // e.g. an older database backup
    const summary = await refreshInventory(env.deps);
    expect(summary.relinked).toBe(1);
    expect(summary.calls.ListUserTags).toBe(1);
    const row = await env.db.apiKey.findFirstOrThrow({ where: { credentialId: issued.credentialId } });
    expect(row).toMatchObject({ managed: true, consoleUser: true, name: "Restored from backup", purpose: "Recovery", ownerId: env.users.devA.id, teamId: env.teams.A.id });
  });

  it("does not mistake a key issued while the refresh lists IAM for a deleted one", async () => {
    const admin = await env.actor(env.users.admin);
    const { iam } = createAwsClients({ region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1, credentials: ADMIN_CREDENTIALS });
    let issuedMeanwhile: string | undefined;
    iam.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        // The listing is done; a key is issued (and saved) before the refresh writes.
        if (context.commandName === "ListServiceSpecificCredentialsCommand" && !issuedMeanwhile) {
          issuedMeanwhile = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Issued mid-refresh" }))).keyId;
        }
        return out;
      },
      { step: "initialize", name: "issueDuringListing" },
    );
    const summary = await refreshInventory({ ...env.deps, iam });
    expect(summary.gone).toEqual([]);
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: issuedMeanwhile! }, select: { state: true } })).toEqual({ state: "present" });
  });

  it("runs one refresh at a time (database lease) and records the run", async () => {
    expect(await acquireLease(env.db, INVENTORY_LEASE, "someone-else", 60_000, new Date())).toBe(true);
    expect(await runInventoryRefresh(env.deps, "manual")).toEqual({ status: "busy" });
    await env.db.jobLease.update({ where: { name: INVENTORY_LEASE }, data: { expiresAt: new Date(0) } }); // the holder crashed
    const done = await runInventoryRefresh(env.deps, "schedule");
    expect(done.status).toBe("done");
    const audit = await env.db.auditEntry.findFirstOrThrow({ where: { action: "keys.refresh" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorEmail: "system", result: "success" });
    expect(await env.db.inventoryRefresh.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({ result: "success", trigger: "schedule" });
  });
});

describe("inventory queries", () => {
  it("scopes by role: admin all, lead their teams, developer their own; filters, sorts, pages", async () => {
    const admin = await env.actor(env.users.admin);
    await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Research key", ownerId: env.users.devB.id, teamId: env.teams.B.id, ageDays: 5 }));
    await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Second payments key", ownerId: env.users.devA2.id }));
    await handMadeKey("hand-made-2", "/");
    await refreshInventory(env.deps);

    const all = await listKeys(env.db, admin, filters());
    const leadA = await listKeys(env.db, await env.actor(env.users.leadA), filters());
    const devB = await listKeys(env.db, await env.actor(env.users.devB), filters());
    expect(all.total).toBeGreaterThan(leadA.total);
    expect(leadA.rows.map((r) => r.name)).toContain("Second payments key");
    expect(leadA.rows.filter((r) => r.team?.name !== "Payments")).toEqual([]);
    expect(devB.rows.map((r) => r.name)).toEqual(["Research key"]);
    expect(devB.rows[0]!.can).toEqual({ disable: false, enable: false, reset: false, delete: false, adopt: false });
    expect(leadA.rows.find((r) => r.status === "Active")!.can.disable).toBe(true);

    expect((await listKeys(env.db, admin, filters({ managed: "unmanaged" }))).rows.map((r) => r.name)).toContain("hand-made-2");
    expect((await listKeys(env.db, admin, filters({ expiringWithinDays: "7" }))).rows.map((r) => r.name)).toEqual(["Research key"]);
    const inactive = await listKeys(env.db, admin, filters({ status: "Inactive" }));
    expect(inactive.rows.map((r) => r.name)).toContain("Managed one"); // disabled in the first test
    expect(inactive.rows.filter((r) => r.status !== "Inactive")).toEqual([]);
    expect((await listKeys(env.db, admin, filters({ q: "dev-b@" }))).rows.map((r) => r.name)).toEqual(["Research key"]);
    // The search box ignores case on both databases (PostgreSQL's LIKE does not by itself).
    expect((await listKeys(env.db, admin, filters({ q: "rESEARCH KE" }))).rows.map((r) => r.name)).toEqual(["Research key"]);
    expect((await listKeys(env.db, admin, filters({ teamId: env.teams.B.id }))).total).toBe(1);
    const byName = await listKeys(env.db, admin, filters({ sort: "name", dir: "asc", pageSize: "25" }));
    expect(byName.rows.map((r) => r.name)).toEqual([...byName.rows.map((r) => r.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const removed = await listKeys(env.db, admin, filters({ presence: "removed" }));
    expect(removed.rows.map((r) => r.name)).toContain("analyst-notebook"); // deleted in the first test
    expect(removed.rows.filter((r) => r.state === "present")).toEqual([]);
    const page2 = await listKeys(env.db, admin, filters({ page: "2", pageSize: "25" }));
    expect(page2.rows).toEqual([]);
    expect(page2.pages).toBe(1);
    // Expired: derived from the expiry date even before IAM reports it.
    const later = new Date(Date.now() + 6 * 86_400_000);
    expect((await listKeys(env.db, admin, filters({ status: "Expired" }), later)).rows.map((r) => r.name)).toContain("Research key");
  });

  it("exports the scoped, filtered inventory as streamed CSV", async () => {
    const leadB = await env.actor(env.users.leadB);
    const text = await new Response(exportKeysCsv(env.db, leadB, filters(), new Date(), 1)).text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("name,iam_user,credential_id,owner,team,status,managed,state,created,expires,last_used,purpose,account_id,account");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["Research key"]);
    expect(secretShapesIn(text)).toEqual([]);
    const adminCsv = await new Response(exportKeysCsv(env.db, await env.actor(env.users.admin), filters({ presence: "all" }), new Date(), 2)).text();
    expect(adminCsv.trim().split("\r\n").length - 1).toBe(await env.db.apiKey.count({ where: { state: { in: ["present", "gone", "deleted"] } } }));
  });

  it("the CSV export quotes ;-separated cells and neutralises formulas (CSV injection in ; locales)", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await env.db.apiKey.findFirstOrThrow({ where: { name: "Research key" } });
    await env.db.apiKey.update({ where: { id: key.id }, data: { name: "=1+1", purpose: "x;=cmd|' /C calc'!A0" } });
    try {
      const text = await new Response(exportKeysCsv(env.db, admin, filters({ presence: "all" }))).text();
      const line = text.split("\r\n").find((l) => l.includes("calc"));
      expect(line).toMatch(/^"'=1\+1",/);
      // then the account columns, empty for a row from before accounts
      expect(line).toMatch(/,"x;=cmd\|' \/C calc'!A0",,$/);
    } finally {
      await env.db.apiKey.update({ where: { id: key.id }, data: { name: key.name, purpose: key.purpose } });
    }
  });

  it("issues keys under the configured IAM path", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Path check" }));
    // What IAM itself says about the user, not what the test configured.
    const user = await env.aws.iam.send(new GetUserCommand({ UserName: issued.iamUserName }));
    expect(user.User?.Path).toBe(KEY_PATH);
    expect(user.User?.UserName).toMatch(/^BedrockAPIKey-/);
    const outsidePath = await env.aws.iam.send(new ListUsersCommand({ PathPrefix: "/", MaxItems: 1000 }));
    const consoleMade = (outsidePath.Users ?? []).filter((u) => u.UserName!.startsWith("BedrockAPIKey-"));
    expect(consoleMade.length).toBeGreaterThan(0);
    expect(consoleMade.filter((u) => u.Path !== KEY_PATH).map((u) => u.UserName)).toEqual([]);
  });
});
