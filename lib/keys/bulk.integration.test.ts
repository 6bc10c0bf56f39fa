/**
 * Bulk actions against the sandbox and a real database: each key acted on through the single-key
 * service, one failure reported without stopping the rest, scope checked per key on the server,
 * and bad batches refused before anything changes.
 */
import { ListUserTagsCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import { listBedrockCredentials } from "@/lib/aws/iam";
import { BULK_MAX_KEYS, type KeyAuditWriter, runBulk } from "./bulk";
import { issueLongTermKey } from "./issue";
import { setKeyStatus } from "./lifecycle";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import type { KeyActor } from "./types";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv({ maxAttempts: 1 });
});
afterAll(async () => env?.close());

/** Per-key entries written as the action chain writes them: to the audit chain, as the actor. */
function writer(actor: KeyActor): KeyAuditWriter {
  return async (e) => {
    await appendAudit(env.db, { action: e.action, result: e.result, actorId: actor.id, actorEmail: actor.email, targetType: e.target?.type ?? null, targetId: e.target?.id ?? null, targetLabel: e.target?.label ?? null, teamId: e.target?.teamId ?? null, details: e.details });
  };
}

async function issueMany(n: number, overrides: Record<string, unknown> = {}) {
  const admin = await env.actor(env.users.admin);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await issueLongTermKey(env.deps, admin, issueInput(env, overrides))).keyId);
  return ids;
}

async function statuses(ids: string[]) {
  const rows = await env.db.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, ownerId: true, teamId: true, state: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    if (error instanceof ActionError) return { code: error.code, params: error.params };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("bulk actions", () => {
  it("disables 50 keys with one injected IAM failure: 49 done, 1 failed with its reason, each audited, plus a summary", async () => {
    const ids = await issueMany(50);
    const admin = await env.actor(env.users.admin);
    // The 1st UpdateServiceSpecificCredential call of the batch fails (not retried: maxAttempts 1).
    await env.fault("UpdateServiceSpecificCredential", { code: "AccessDenied", status: 403, message: "not authorized to perform: iam:UpdateServiceSpecificCredential" }, 1);
    const summary = recordingAudit();
    const result = await runBulk(env.deps, admin, { keyIds: ids, operation: { op: "disable" } }, summary, writer(admin));

    expect([result.done, result.failed, result.skipped]).toEqual([49, 1, 0]);
    expect(result.items).toHaveLength(50);
    const failed = result.items.find((i) => i.outcome === "failed")!;
    expect(failed.code).toBe("aws.accessDenied");

    // The database and IAM agree: 49 inactive, the failed one still active.
    const rows = await statuses(ids);
    expect(ids.filter((id) => rows.get(id)!.status === "Inactive")).toHaveLength(49);
    expect(rows.get(failed.keyId)!.status).toBe("Active");
    const iam = await listBedrockCredentials(env.aws.iam, new Date());
    const credentialIds = new Set((await env.db.apiKey.findMany({ where: { id: { in: ids } }, select: { credentialId: true } })).map((k) => k.credentialId));
    const mine = iam.items.filter((c) => credentialIds.has(c.credentialId));
    expect(mine.filter((c) => c.status === "Inactive")).toHaveLength(49);

    // One keys.disable entry per key, as the row action writes it, tied to the batch.
    const entries = await env.db.auditEntry.findMany({ where: { action: "keys.disable" } });
    const ofBatch = entries.filter((e) => JSON.parse(e.details).bulkId === result.bulkId);
    expect(ofBatch).toHaveLength(50);
    expect(ofBatch.filter((e) => e.result === "success")).toHaveLength(49);
    const failure = ofBatch.find((e) => e.result === "failure")!;
    expect(failure.targetId).toBe(failed.keyId);
    expect(JSON.parse(failure.details)).toMatchObject({ reason: "aws.accessDenied", awsErrorCode: "AccessDenied" });
    expect(summary.details).toMatchObject({ op: "disable", requested: 50, done: 49, failed: [{ keyId: failed.keyId, reason: "aws.accessDenied" }], skipped: [] });

    // Re-enable in bulk: the same 50, no fault — all done.
    const enabled = await runBulk(env.deps, admin, { keyIds: ids, operation: { op: "enable" } }, recordingAudit(), writer(admin));
    expect(enabled.done).toBe(50);
  }, 120_000);

  it("a lead cannot act on other teams' keys: refused as unknown, nothing changed; their own key elsewhere is skipped", async () => {
    const [b1, b2] = await issueMany(2, { ownerId: env.users.devB.id, teamId: env.teams.B.id });
    const leadA = await env.actor(env.users.leadA);
    const before = await env.db.auditEntry.count();
    expect(await codeOf(runBulk(env.deps, leadA, { keyIds: [b1!, b2!], operation: { op: "disable" } }, recordingAudit(), writer(leadA)))).toMatchObject({ code: "bulk.unknownKeys" });
    expect([...(await statuses([b1!, b2!])).values()].map((r) => r.status)).toEqual(["Active", "Active"]);
    expect(await env.db.auditEntry.count()).toBe(before);

    // The lead also belongs to team B (not as lead) and owns a key there: visible, but not theirs to disable.
    await env.db.teamMembership.create({ data: { userId: env.users.leadA.id, teamId: env.teams.B.id, isLead: false } });
    const [own] = await issueMany(1, { ownerId: env.users.leadA.id, teamId: env.teams.B.id });
    const [a1] = await issueMany(1);
    const lead = await env.actor(env.users.leadA);
    const result = await runBulk(env.deps, lead, { keyIds: [a1!, own!], operation: { op: "disable" } }, recordingAudit(), writer(lead));
    expect(result.items.map((i) => [i.keyId, i.outcome, i.code ?? null])).toEqual([
      [a1, "done", null],
      [own, "skipped", "notAllowed"],
    ]);
    expect((await statuses([own!])).get(own!)!.status).toBe("Active");

    // Moving a key into a team the lead does not lead: refused per key, nothing changed.
    const moved = await runBulk(env.deps, lead, { keyIds: [a1!], operation: { op: "team", teamId: env.teams.B.id } }, recordingAudit(), writer(lead));
    expect(moved.items[0]).toMatchObject({ outcome: "failed", code: "bulk.teamNotLed" });
    expect((await statuses([a1!])).get(a1!)!.teamId).toBe(env.teams.A.id);
  }, 60_000);

  it("refuses bad batches before changing anything: empty, too many, unknown ids, a wrong delete count", async () => {
    const admin = await env.actor(env.users.admin);
    const [k] = await issueMany(1);
    const run = (keyIds: string[], operation: Parameters<typeof runBulk>[2]["operation"] = { op: "disable" }) =>
      codeOf(runBulk(env.deps, admin, { keyIds, operation }, recordingAudit(), writer(admin)));
    const before = await env.db.auditEntry.count();
    expect(await run([])).toMatchObject({ code: "bulk.empty" });
    expect(await run(Array.from({ length: BULK_MAX_KEYS + 1 }, (_, i) => `k${i}`))).toMatchObject({ code: "bulk.tooMany", params: { max: 500, count: 501 } });
    expect(await run([k!, "doesnotexist"])).toMatchObject({ code: "bulk.unknownKeys", params: { count: 1 } });
    await setKeyStatus(env.deps, admin, k!, "Inactive");
    expect(await run([k!], { op: "delete", confirmCount: 2 })).toMatchObject({ code: "bulk.confirmCount", params: { count: 1 } });
    expect((await statuses([k!])).get(k!)).toMatchObject({ state: "present", status: "Inactive" });
    expect(await env.db.auditEntry.count()).toBe(before);
  });

  it("deletes only disabled keys, each through the single delete (IAM user gone), and reports the active one", async () => {
    const admin = await env.actor(env.users.admin);
    const [d1, d2, live] = await issueMany(3);
    await setKeyStatus(env.deps, admin, d1!, "Inactive");
    await setKeyStatus(env.deps, admin, d2!, "Inactive");
    const users = await env.db.apiKey.findMany({ where: { id: { in: [d1!, d2!] } }, select: { iamUserName: true } });
    const result = await runBulk(env.deps, admin, { keyIds: [d1!, d2!, live!], operation: { op: "delete", confirmCount: 3 } }, recordingAudit(), writer(admin));
    expect(result.items.map((i) => [i.outcome, i.code ?? null])).toEqual([
      ["done", null],
      ["done", null],
      ["failed", "keys.deleteRequiresInactive"],
    ]);
    const remaining = await env.consoleUsers();
    for (const u of users) expect(remaining).not.toContain(u.iamUserName);
    expect((await statuses([live!])).get(live!)!.state).toBe("present");
  });

  it("changes owner and team, tagging the console's IAM user; an owner outside the key's team is refused per key", async () => {
    const admin = await env.actor(env.users.admin);
    const [k1, k2] = await issueMany(2);
    const toDevA2 = await runBulk(env.deps, admin, { keyIds: [k1!, k2!], operation: { op: "owner", ownerId: env.users.devA2.id } }, recordingAudit(), writer(admin));
    expect(toDevA2.done).toBe(2);
    const rows = await statuses([k1!, k2!]);
    expect(rows.get(k1!)!.ownerId).toBe(env.users.devA2.id);
    const user = (await env.db.apiKey.findUniqueOrThrow({ where: { id: k1! }, select: { iamUserName: true } })).iamUserName;
    const tags = await env.aws.iam.send(new ListUserTagsCommand({ UserName: user }));
    expect(tags.Tags).toContainEqual({ Key: "owner", Value: "dev-a2@example.com" });
    const entry = (await env.db.auditEntry.findMany({ where: { action: "keys.change_owner", targetId: k1! } }))[0]!;
    expect(JSON.parse(entry.details)).toMatchObject({ owner: { from: "dev-a@example.com", to: "dev-a2@example.com" }, bulkId: toDevA2.bulkId });

    const toDevB = await runBulk(env.deps, admin, { keyIds: [k1!], operation: { op: "owner", ownerId: env.users.devB.id } }, recordingAudit(), writer(admin));
    expect(toDevB.items[0]).toMatchObject({ outcome: "failed", code: "bulk.ownerNotInTeam" });
    expect((await statuses([k1!])).get(k1!)!.ownerId).toBe(env.users.devA2.id);
  });
});
