/**
 * Offboarding against the sandbox and a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql): deactivation, requests cancelled, keys handed over and disabled,
 * short-term keys revoked — one operation, per-item results, a failing step reported and recorded.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import type { KeyAuditWriter } from "@/lib/keys/bulk";
import { issueLongTermKey } from "@/lib/keys/issue";
import type { KeyActor } from "@/lib/keys/types";
import { decideRequest } from "@/lib/requests/decide";
import { submitRequest } from "@/lib/requests/service";
import { createRequestsTestEnv, type RequestsTestEnv } from "@/tests/support/requests-env";
import { generateShortTermKey } from "@/lib/shortterm/service";
import { offboardUser, type OffboardDeps } from "./offboard";
import { deactivateUser } from "./service";

let env: RequestsTestEnv;
let deps: OffboardDeps;
let admin: KeyActor;
beforeAll(async () => {
  env = await createRequestsTestEnv();
  deps = { db: env.db, keys: env.keyDeps, shortTerm: env.shortTerm };
  admin = await env.actor(env.users.admin);
});
afterAll(async () => env?.close());
// The console's clock is fixed between ticks; revocation cutoffs are taken from it, so keep it current.
beforeEach(() => env.tick());

const writer: KeyAuditWriter = async (e) => {
  await appendAudit(env.db, { action: e.action, result: e.result, actorId: admin.id, actorEmail: admin.email, targetType: e.target?.type ?? null, targetId: e.target?.id ?? null, targetLabel: e.target?.label ?? null, teamId: e.target?.teamId ?? null, details: e.details });
};

const request = (keyName: string) => ({ kind: "long-term" as const, teamId: env.teams.A.id, keyName, purpose: "Pilot", justification: "Needed for the pilot", duration: 30, models: [] });

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("offboarding", () => {
  it("deactivates, cancels the pending request, hands keys over, disables them, revokes short-term keys; one failure reported", async () => {
    const devA = await env.actor(env.users.devA);
    const keys = [];
    for (const name of ["Leaver one", "Leaver two", "Leaver three"]) keys.push(await issueLongTermKey(env.keyDeps, admin, env.issueInput({ name })));
    const { requestId, status } = await submitRequest(env.deps, devA, request("Leaver pending"), env.audit());
    expect(status).toBe("pending");
    const shortKey = await generateShortTermKey(env.shortTerm, devA, { region: "us-east-1", expiresInMinutes: 60 });
    expect((await env.converse(shortKey.token)).status).toBe(200);
    const versionBefore = (await env.db.user.findUniqueOrThrow({ where: { id: devA.id } })).sessionVersion;

    // One disable is refused by IAM (an error the SDK does not retry): reported, the rest go on.
    await env.fault("UpdateServiceSpecificCredential", { code: "AccessDenied", status: 403, message: "not authorized to perform: iam:UpdateServiceSpecificCredential" }, 1);
    const summary = env.audit();
    env.tick();
    const result = await offboardUser(deps, admin, { userId: devA.id, disableKeys: true, revokeShortTerm: true, newOwnerId: env.users.devA2.id }, summary, writer);
    await env.clearFaults();

    const user = await env.db.user.findUniqueOrThrow({ where: { id: devA.id } });
    expect(user.active).toBe(false);
    expect(user.sessionVersion).toBe(versionBefore + 1);
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("cancelled");

    const rows = await env.db.apiKey.findMany({ where: { id: { in: keys.map((k) => k.keyId) } }, select: { id: true, ownerId: true, status: true } });
    expect(rows.every((r) => r.ownerId === env.users.devA2.id)).toBe(true);
    expect(rows.filter((r) => r.status === "Inactive")).toHaveLength(2);
    const stillActive = rows.find((r) => r.status === "Active")!;

    const steps = result.items.map((i) => [i.step, i.outcome]);
    expect(steps).toContainEqual(["deactivate", "done"]);
    expect(result.items.filter((i) => i.step === "cancelRequest")).toEqual([{ step: "cancelRequest", targetId: requestId, label: "Leaver pending", outcome: "done" }]);
    expect(result.items.filter((i) => i.step === "handOver" && i.outcome === "done")).toHaveLength(3);
    const failed = result.items.filter((i) => i.outcome === "failed");
    expect(failed).toEqual([expect.objectContaining({ step: "disableKey", targetId: stillActive.id, code: "aws.accessDenied" })]);
    expect(result.items.find((i) => i.step === "revokeShortTerm")).toMatchObject({ outcome: "done", params: { count: 1 } });
    expect((await env.converse(shortKey.token)).status).toBe(403);

    // Recorded: the operation's summary, and each key's own entries.
    expect(summary.targets[0]).toMatchObject({ type: "user", id: devA.id });
    expect(summary.details).toMatchObject({ keys: 3, failed: [{ step: "disableKey", targetId: stillActive.id, reason: "aws.accessDenied" }], requestsCancelled: [requestId], sessionsEnded: true });
    const entries = await env.db.auditEntry.findMany({ where: { targetId: stillActive.id } });
    expect(entries.map((e) => [e.action, e.result])).toEqual(expect.arrayContaining([["keys.change_owner", "success"], ["keys.disable", "failure"]]));

    // The request cannot be approved (or picked up) later.
    const leadA = await env.actor(env.users.leadA);
    expect((await refusal(decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" } as never, env.audit()))).code).toBe("requests.notPending");
  }, 60_000);

  it("refuses a bad new owner before changing anything", async () => {
    const devB = await env.actor(env.users.devB);
    const self = await refusal(offboardUser(deps, admin, { userId: devB.id, disableKeys: true, revokeShortTerm: false, newOwnerId: devB.id }, env.audit(), writer));
    expect(self.fieldErrors).toHaveProperty("newOwnerId");
    const inactive = await refusal(offboardUser(deps, admin, { userId: devB.id, disableKeys: true, revokeShortTerm: false, newOwnerId: env.users.devA.id }, env.audit(), writer));
    expect(inactive.fieldErrors).toHaveProperty("newOwnerId");
    expect((await env.db.user.findUniqueOrThrow({ where: { id: devB.id } })).active).toBe(true);
    expect((await refusal(offboardUser(deps, admin, { userId: admin.id, disableKeys: false, revokeShortTerm: false, newOwnerId: null }, env.audit(), writer))).code).toBe("users.selfDeactivate");
  });

  it("a hand-over to someone outside a key's team fails for that key only and leaves it with its owner", async () => {
    const leadB = await env.actor(env.users.leadB);
    const key = await issueLongTermKey(env.keyDeps, admin, env.issueInput({ name: "Research bot", ownerId: env.users.leadB.id, teamId: env.teams.B.id }));
    const result = await offboardUser(deps, admin, { userId: leadB.id, disableKeys: false, revokeShortTerm: false, newOwnerId: env.users.devA2.id }, env.audit(), writer);
    expect(result.items.find((i) => i.step === "handOver")).toMatchObject({ targetId: key.keyId, outcome: "failed", code: "bulk.ownerNotInTeam" });
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).ownerId).toBe(leadB.id);
    expect((await env.db.user.findUniqueOrThrow({ where: { id: leadB.id } })).active).toBe(false);
  });

  it("plain deactivation (no offboarding) still cancels open requests, reports one in pick-up and the keys left", async () => {
    const devB = await env.actor(env.users.devB);
    await issueLongTermKey(env.keyDeps, admin, env.issueInput({ name: "Left behind", ownerId: devB.id, teamId: env.teams.B.id }));
    const { requestId } = await submitRequest(env.deps, devB, { ...request("B pending"), teamId: env.teams.B.id }, env.audit());
    // An approved request whose key is being issued right now: left to finish, reported.
    const now = new Date();
    const claimed = await env.db.keyRequest.create({
      data: { requesterId: devB.id, teamId: env.teams.B.id, kind: "long-term", keyName: "B in pick-up", purpose: "x", requestedDuration: 30, status: "approved", approvedDuration: 30, pickupBy: new Date(now.getTime() + 3_600_000), pickupClaimedUntil: new Date(now.getTime() + 300_000) },
    });
    const result = await deactivateUser(env.db, admin, devB.id, undefined, now);
    expect(result.requests.cancelled.map((r) => r.id)).toEqual([requestId]);
    expect(result.requests.inPickup).toEqual([{ id: claimed.id, label: "B in pick-up" }]);
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: claimed.id } })).status).toBe("approved");
    expect(result.keysOwned).toBe(1);
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("cancelled");
  });
});
