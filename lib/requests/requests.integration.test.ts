import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { getKeyDetail } from "@/lib/keys/detail";
import type { KeyActor } from "@/lib/keys/types";
import { decideRequest } from "./decide";
import { expireApprovals, remindExpiringApprovals } from "./expiry";
import { pickUpRequest } from "./pickup";
import { listMyRequests, listQueue } from "./queries";
import { queueFilterSchema } from "./schemas";
import { cancelRequest, submitRequest } from "./service";
import { createRequestsTestEnv, type RequestsTestEnv } from "@/tests/support/requests-env";

let env: RequestsTestEnv;
let admin: KeyActor, leadA: KeyActor, leadB: KeyActor, devA: KeyActor, devA2: KeyActor, devB: KeyActor;
const HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createRequestsTestEnv();
  admin = await env.actor(env.users.admin);
  leadA = await env.actor(env.users.leadA);
  leadB = await env.actor(env.users.leadB);
  devA = await env.actor(env.users.devA);
  devA2 = await env.actor(env.users.devA2);
  devB = await env.actor(env.users.devB);
});
afterAll(async () => env?.close());
beforeEach(() => env.tick());

const longTerm = (overrides: Record<string, unknown> = {}) => ({
  kind: "long-term" as const,
  teamId: env.teams.A.id,
  keyName: "Checkout bot",
  purpose: "Payments assistant",
  justification: "Needed for the checkout assistant pilot",
  duration: 30,
  models: [HAIKU, NOVA],
  ...overrides,
});

const error = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ActionError);
const notificationsOf = (userId: string) => env.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("submitting a request", () => {
  it("records it as pending and tells the team's leads and the admins, not the requester or other teams", async () => {
    const audit = env.audit();
    const { requestId, status } = await submitRequest(env.deps, devA, longTerm(), audit);
    expect(status).toBe("pending");
    expect(audit.targets[0]).toMatchObject({ type: "keyRequest", id: requestId, teamId: env.teams.A.id, label: "Checkout bot" });
    expect(audit.details).toMatchObject({ kind: "long-term", team: "Payments", duration: 30, autoApproved: false });
    for (const u of [leadA, admin]) expect((await notificationsOf(u.id)).some((n) => n.kind === "request.submitted" && n.href === `/requests/${requestId}`)).toBe(true);
    for (const u of [devA, leadB, devB]) expect((await notificationsOf(u.id)).some((n) => n.href === `/requests/${requestId}`)).toBe(false);
  });

  it("refuses a team the requester is not in, and asks beyond the policy, changing nothing", async () => {
    const before = await env.db.keyRequest.count();
    expect(await error(submitRequest(env.deps, devA, longTerm({ teamId: env.teams.B.id }), env.audit()))).toMatchObject({
      code: "invalidInput",
      fieldErrors: { teamId: { code: "requests.notYourTeam" } },
    });
    await env.setPolicy({ maxKeyAgeDays: 90, allowedModels: [HAIKU] });
    try {
      const e = await error(submitRequest(env.deps, devA, longTerm({ duration: 365 }), env.audit()));
      expect(e).toMatchObject({
        code: "policy.refused",
        fieldErrors: { durationDays: { code: "policy.tooLong", params: { max: 90 } }, models: { code: "policy.modelsNotAllowed", params: { models: "Nova Lite" } } },
      });
      const st = await error(submitRequest(env.deps, devA, { ...longTerm(), kind: "short-term", keyName: "", models: [], duration: 721 }, env.audit()));
      expect(st).toMatchObject({ fieldErrors: { durationMinutes: { code: "policy.shortTermTooLong", params: { max: 720 } } } });
    } finally {
      await env.setPolicy({ maxKeyAgeDays: null, allowedModels: [] });
    }
    expect(await env.db.keyRequest.count()).toBe(before);
  });

  it("is approved at once when the policy needs no approval for that kind", async () => {
    await env.setPolicy({ longTermRequiresApproval: false });
    try {
      const { requestId, status } = await submitRequest(env.deps, devA, longTerm({ keyName: "Auto approved" }), env.audit());
      expect(status).toBe("approved");
      const row = await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
      expect(row).toMatchObject({ autoApproved: true, approvedDuration: 30, decidedById: null });
      expect(row.pickupBy!.getTime() - row.decidedAt!.getTime()).toBe(72 * 3_600_000);
    } finally {
      await env.setPolicy({ longTermRequiresApproval: true });
    }
  });
});

describe("deciding", () => {
  it("nobody decides their own request; leads only their teams'; developers nobody's", async () => {
    const { requestId } = await submitRequest(env.deps, leadA, longTerm({ keyName: "Lead's own" }), env.audit());
    expect(await error(decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "requests.ownRequest" });
    expect(await error(decideRequest(env.deps, leadB, { requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "notFound" });
    expect(await error(decideRequest(env.deps, devA2, { requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "notFound" });
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("pending");
    // An admin (or another lead of the team) can.
    await expect(decideRequest(env.deps, admin, { requestId, decision: "approve", comment: "ok" }, env.audit())).resolves.toMatchObject({ status: "approved" });
  });

  it("approves with a shorter duration and fewer models, records what was narrowed, tells the requester", async () => {
    const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: "Narrowed" }), env.audit());
    const audit = env.audit();
    await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "One week is enough", approvedDuration: 7, approvedModels: [HAIKU] }, audit);
    expect(audit.details).toMatchObject({ decision: "approved", narrowed: { duration: [30, 7], modelsRemoved: [NOVA] }, comment: "One week is enough" });
    const [view] = (await listMyRequests(env.db, devA, env.deps.now())).filter((r) => r.id === requestId);
    expect(view).toMatchObject({ status: "approved", approved: { duration: 7, models: [HAIKU] }, can: { pickUp: true, cancel: true, decide: false } });
    expect(view!.history.map((h) => h.type)).toEqual(["submitted", "approved"]);
    expect(view!.history[1]).toMatchObject({ by: "lead-a", comment: "One week is enough", narrowed: { duration: [30, 7] } });
    const note = (await notificationsOf(devA.id)).find((n) => n.kind === "request.approved" && n.href === `/requests/${requestId}`);
    expect(JSON.parse(note!.params)).toMatchObject({ decider: "lead-a@example.com", label: "Narrowed" });
  });

  it("refuses to widen what was asked, and deciding twice", async () => {
    const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: "Widen", models: [HAIKU] }), env.audit());
    expect(await error(decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "", approvedDuration: 60, approvedModels: [HAIKU, NOVA] }, env.audit()))).toMatchObject({
      fieldErrors: { approvedDuration: { code: "requests.longerThanRequested", params: { max: 30 } }, approvedModels: { code: "requests.modelsNotRequested" } },
    });
    await decideRequest(env.deps, leadA, { requestId, decision: "deny", comment: "Use the shared key" }, env.audit());
    expect(await error(decideRequest(env.deps, admin, { requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "requests.alreadyDenied", params: { by: "lead-a" } });
    const row = await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({ status: "denied", decisionComment: "Use the shared key", decidedById: leadA.id, approvedDuration: null });
  });

  it("two approvers at once: exactly one decision, the other is told who decided", async () => {
    for (let round = 0; round < 5; round++) {
      const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: `Race ${round}` }), env.audit());
      const results = await Promise.allSettled([
        decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "yes" }, env.audit()),
        decideRequest(env.deps, admin, { requestId, decision: "deny", comment: "no" }, env.audit()),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(ActionError);
      expect(["requests.alreadyApproved", "requests.alreadyDenied"]).toContain((lost[0]!.reason as ActionError).code);
      const row = await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
      const winner = (won[0] as PromiseFulfilledResult<{ status: string }>).value.status;
      expect(row.status).toBe(winner);
      expect(row.decidedById).toBe(winner === "approved" ? leadA.id : admin.id);
    }
  });

  it("the approvals queue holds the teams a lead leads, never their own requests", async () => {
    await submitRequest(env.deps, devB, longTerm({ teamId: env.teams.B.id, keyName: "Research key" }), env.audit());
    const queueA = await listQueue(env.db, leadA, queueFilterSchema.parse({ status: "all" }), env.deps.now());
    expect(queueA.rows.length).toBeGreaterThan(0);
    expect(queueA.rows.every((r) => r.team.id === env.teams.A.id && r.requester.id !== leadA.id)).toBe(true);
    const queueB = await listQueue(env.db, leadB, queueFilterSchema.parse({}), env.deps.now());
    expect(queueB.rows.map((r) => r.label)).toEqual(["Research key"]);
    const adminQueue = await listQueue(env.db, admin, queueFilterSchema.parse({ teamId: env.teams.B.id }), env.deps.now());
    expect(adminQueue.rows.every((r) => r.team.id === env.teams.B.id && r.status === "pending")).toBe(true);
  });
});

describe("picking up", () => {
  it("the requester gets a working key within the approved limits, once; nobody else can pick it up", async () => {
    const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: "Picked up" }), env.audit());
    await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "", approvedDuration: 7, approvedModels: [HAIKU] }, env.audit());

    expect(await error(pickUpRequest(env.deps, leadA, { requestId }, env.audit()))).toMatchObject({ code: "requests.notRequester" });
    expect(await error(pickUpRequest(env.deps, devA2, { requestId }, env.audit()))).toMatchObject({ code: "notFound" });

    const audit = env.audit();
    const result = await pickUpRequest(env.deps, devA, { requestId }, audit);
    if (result.kind !== "long-term") throw new Error("expected a long-term key");
    expect(result.key.secret).toMatch(/^ABSK/);
    expect(Date.parse(result.key.expiresAt!) - Date.parse(result.key.createdAt)).toBe(7 * DAY);
    expect(JSON.stringify(audit.details)).not.toContain(result.key.secret);
    expect(result.keyAudit).toMatchObject({ action: "keys.issue", target: { type: "apiKey", id: result.key.keyId }, details: { via: "request", requestId } });

    // Linked both ways; owned by the requester in the request's team.
    const key = await env.db.apiKey.findUniqueOrThrow({ where: { id: result.key.keyId }, include: { request: true } });
    expect(key).toMatchObject({ ownerId: devA.id, teamId: env.teams.A.id, name: "Picked up", createdById: devA.id });
    expect(key.request?.id).toBe(requestId);
    expect((await getKeyDetail(env.keyDeps, devA, result.key.keyId)).key.request).toEqual({ id: requestId, label: "Picked up" });
    const [view] = (await listMyRequests(env.db, devA, env.deps.now())).filter((r) => r.id === requestId);
    expect(view).toMatchObject({ status: "picked_up", keyId: result.key.keyId });
    expect(view!.history.at(-1)).toMatchObject({ type: "pickedUp", keyId: result.key.keyId });

    expect((await env.converse(result.key.secret, HAIKU)).status).toBe(200);
    expect((await env.converse(result.key.secret, "us.amazon.nova-lite-v1:0")).status).toBe(403);
    expect(await error(pickUpRequest(env.deps, devA, { requestId }, env.audit()))).toMatchObject({ code: "requests.alreadyPickedUp" });

    // It expires when the approval said: 7 days on the sandbox's clock.
    try {
      await env.sandboxClock(7 * 86_400 - 120);
      expect((await env.converse(result.key.secret, HAIKU)).status).toBe(200);
      await env.sandboxClock(180);
      const expired = await env.converse(result.key.secret, HAIKU);
      expect(expired.status).toBe(403);
      expect(expired.message).toBe("Authentication failed: Please make sure your API Key is valid.");
    } finally {
      await env.resetSandboxClock();
    }
  });

  it("a name a current key already has is refused at submission, at approval and at pick-up", async () => {
    const first = await submitRequest(env.deps, devA, longTerm({ keyName: "Shared name" }), env.audit());
    const second = await submitRequest(env.deps, devA, longTerm({ keyName: "SHARED NAME" }), env.audit());
    await decideRequest(env.deps, leadA, { requestId: first.requestId, decision: "approve", comment: "" }, env.audit());
    await decideRequest(env.deps, leadA, { requestId: second.requestId, decision: "approve", comment: "" }, env.audit());
    const third = await submitRequest(env.deps, devA, longTerm({ keyName: "shared Name" }), env.audit());
    await pickUpRequest(env.deps, devA, { requestId: first.requestId }, env.audit());

    const before = await env.db.keyRequest.count();
    expect(await error(submitRequest(env.deps, devA, longTerm({ keyName: "shared name" }), env.audit()))).toMatchObject({
      code: "keys.nameTaken",
      fieldErrors: { keyName: { code: "field.keyNameTaken" } },
    });
    expect(await env.db.keyRequest.count()).toBe(before);
    expect(await error(decideRequest(env.deps, leadA, { requestId: third.requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "requests.nameTaken" });
    expect(await env.db.keyRequest.findUniqueOrThrow({ where: { id: third.requestId } })).toMatchObject({ status: "pending" });
    const keysBefore = await env.db.apiKey.count();
    expect(await error(pickUpRequest(env.deps, devA, { requestId: second.requestId }, env.audit()))).toMatchObject({ code: "keys.nameTaken" });
    expect(await env.db.apiKey.count()).toBe(keysBefore);
    expect(await env.db.keyRequest.findUniqueOrThrow({ where: { id: second.requestId } })).toMatchObject({ status: "approved" });
  });

  it("a double pick-up issues one key", async () => {
    const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: "Double click" }), env.audit());
    await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" }, env.audit());
    const results = await Promise.allSettled([pickUpRequest(env.deps, devA, { requestId }, env.audit()), pickUpRequest(env.deps, devA, { requestId }, env.audit())]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(["requests.pickupInProgress", "requests.alreadyPickedUp"]).toContain((loser.reason as ActionError).code);
    expect(await env.db.apiKey.count({ where: { name: "Double click" } })).toBe(1);
  });

  it("an approval not picked up in time expires: at pick-up, and by the job, each audited once", async () => {
    const first = await submitRequest(env.deps, devA, longTerm({ keyName: "Too late" }), env.audit());
    const second = await submitRequest(env.deps, devA, longTerm({ keyName: "Swept" }), env.audit());
    for (const r of [first, second]) await decideRequest(env.deps, leadA, { requestId: r.requestId, decision: "approve", comment: "" }, env.audit());
    const start = env.deps.now();
    try {
      // The default window is 72 hours; a reminder goes out a day before.
      env.setNow(new Date(start.getTime() + 49 * 3_600_000));
      // (Approvals from earlier tests are due as well.)
      expect(await remindExpiringApprovals(env.deps)).toBeGreaterThanOrEqual(2);
      expect(await remindExpiringApprovals(env.deps)).toBe(0);
      const ours = [`/requests/${first.requestId}`, `/requests/${second.requestId}`];
      expect((await notificationsOf(devA.id)).filter((n) => n.kind === "request.expiring" && ours.includes(n.href!))).toHaveLength(2);

      env.setNow(new Date(start.getTime() + 73 * 3_600_000));
      expect(await error(pickUpRequest(env.deps, devA, { requestId: first.requestId }, env.audit()))).toMatchObject({ code: "requests.approvalExpired" });
      expect(await expireApprovals(env.deps)).toBeGreaterThanOrEqual(1);
      expect(await expireApprovals(env.deps)).toBe(0);
      for (const { requestId } of [first, second]) {
        expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("expired");
        expect(await env.db.auditEntry.count({ where: { action: "requests.expire", targetId: requestId, actorId: null } })).toBe(1);
      }
      expect(await error(pickUpRequest(env.deps, devA, { requestId: second.requestId }, env.audit()))).toMatchObject({ code: "requests.approvalExpired" });
      expect(await env.db.apiKey.count({ where: { name: { in: ["Too late", "Swept"] } } })).toBe(0);
      expect((await notificationsOf(devA.id)).filter((n) => n.kind === "request.expired" && ours.includes(n.href!))).toHaveLength(2);
    } finally {
      env.tick();
    }
  });

  it("a short-term request, once approved, is picked up as a working short-term key for the requester", async () => {
    await env.setPolicy({ shortTermSelfService: false });
    try {
      const { requestId, status } = await submitRequest(env.deps, devA, { ...longTerm(), kind: "short-term", keyName: "", models: [], duration: 120 }, env.audit());
      expect(status).toBe("pending");
      await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "", approvedDuration: 30 }, env.audit());
      const result = await pickUpRequest(env.deps, devA, { requestId, region: "us-west-2" }, env.audit());
      if (result.kind !== "short-term") throw new Error("expected a short-term key");
      expect(Date.parse(result.key.expiresAt) - Date.parse(result.key.issuedAt)).toBe(30 * 60_000);
      expect(result.key.region).toBe("us-west-2");
      expect((await env.converse(result.key.token, HAIKU, "us-west-2")).status).toBe(200);
      const row = await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId }, include: { shortTermIssuance: true } });
      expect(row.shortTermIssuance).toMatchObject({ userId: devA.id, region: "us-west-2" });
    } finally {
      await env.setPolicy({ shortTermSelfService: true });
    }
  });
});

describe("cancelling", () => {
  it("the requester withdraws a pending or approved request; afterwards nothing can be decided or picked up", async () => {
    const pending = await submitRequest(env.deps, devA, longTerm({ keyName: "Withdrawn" }), env.audit());
    expect(await error(cancelRequest(env.deps, devA2, pending.requestId, env.audit()))).toMatchObject({ code: "notFound" });
    await cancelRequest(env.deps, devA, pending.requestId, env.audit());
    expect(await error(decideRequest(env.deps, leadA, { requestId: pending.requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({ code: "requests.notPending" });
    expect(await error(cancelRequest(env.deps, devA, pending.requestId, env.audit()))).toMatchObject({ code: "requests.notCancellable" });

    const approved = await submitRequest(env.deps, devA, longTerm({ keyName: "Withdrawn later" }), env.audit());
    await decideRequest(env.deps, leadA, { requestId: approved.requestId, decision: "approve", comment: "" }, env.audit());
    await cancelRequest(env.deps, devA, approved.requestId, env.audit());
    expect(await error(pickUpRequest(env.deps, devA, { requestId: approved.requestId }, env.audit()))).toMatchObject({ code: "requests.notApproved" });
    const [view] = (await listMyRequests(env.db, devA, env.deps.now())).filter((r) => r.id === approved.requestId);
    expect(view!.history.map((h) => h.type)).toEqual(["submitted", "approved", "cancelled"]);
    expect(env.notifyErrors).toEqual([]);
  });
});

describe("requests for an AWS account (issue 14)", () => {
  it("a long-term key is asked for a registered, active account open to the team, and issued there", async () => {
    await env.db.awsAccount.upsert({ where: { id: "123456789012" }, create: { id: "123456789012", name: "Production", source: "default" }, update: {} });
    await env.db.awsAccount.create({ data: { id: "210987654321", name: "Paused one", roleArn: "arn:aws:iam::210987654321:role/M", externalId: "ext-1", status: "paused" } });
    const before = await env.db.keyRequest.count();
    expect(await error(submitRequest(env.deps, devA, longTerm({ keyName: "In a paused account", accountId: "210987654321" }), env.audit()))).toMatchObject({
      fieldErrors: { accountId: { code: "field.accountPaused" } },
    });
    expect(await error(submitRequest(env.deps, devA, longTerm({ keyName: "In no account", accountId: "999999999999" }), env.audit()))).toMatchObject({
      fieldErrors: { accountId: { code: "field.choice" } },
    });
    await env.db.teamAccount.create({ data: { teamId: env.teams.B.id, accountId: "123456789012" } });
    expect(await error(submitRequest(env.deps, devA, longTerm({ keyName: "Not for my team", accountId: "123456789012" }), env.audit()))).toMatchObject({
      fieldErrors: { accountId: { code: "field.accountNotForTeam", params: { team: env.teams.A.name } } },
    });
    expect(await env.db.keyRequest.count()).toBe(before);
    await env.db.teamAccount.deleteMany({});

    const { requestId } = await submitRequest(env.deps, devA, longTerm({ keyName: "In production", accountId: "123456789012" }), env.audit());
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).accountId).toBe("123456789012");
    await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" }, env.audit());
    const result = await pickUpRequest(env.deps, devA, { requestId }, env.audit());
    if (result.kind !== "long-term") throw new Error("expected a long-term key");
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: result.key.keyId } })).accountId).toBe("123456789012");
  });
});
