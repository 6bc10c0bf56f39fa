/**
 * Two console instances (two Prisma clients, two connection pools) on one PostgreSQL database:
 * 20 approvers press "approve" / "deny" on the same request at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import type { KeyActor } from "@/lib/keys/types";
import { decideRequest } from "./decide";
import { submitRequest } from "./service";
import { createRequestsTestEnv, type RequestsTestEnv } from "@/tests/support/requests-env";

let env: RequestsTestEnv;
let other: PrismaClient;
let leadA: KeyActor, admin: KeyActor, devA: KeyActor;

beforeAll(async () => {
  env = await createRequestsTestEnv();
  other = createPrismaClient(env.dbUrl, { poolSize: 20 });
  leadA = await env.actor(env.users.leadA);
  admin = await env.actor(env.users.admin);
  devA = await env.actor(env.users.devA);
});
afterAll(async () => {
  await other?.$disconnect();
  await env?.close();
});

describe("approvals across instances", () => {
  it("20 concurrent decisions on two instances: exactly one wins, 19 are told who decided first", async () => {
    const { requestId } = await submitRequest(
      env.deps,
      devA,
      { kind: "long-term", teamId: env.teams.A.id, keyName: "Race key", purpose: "Concurrency", justification: "Twenty approvers at once", duration: 30, models: [] },
      env.audit(),
    );
    const instanceB = { ...env.deps, db: other };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        decideRequest(i % 2 === 0 ? env.deps : instanceB, i % 4 < 2 ? leadA : admin, { requestId, decision: i % 3 === 0 ? "deny" : "approve", comment: `decider ${i}` }, env.audit()),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, status: r.value.status }] : []));
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(ActionError);
      expect(["requests.alreadyApproved", "requests.alreadyDenied"]).toContain((l.reason as ActionError).code);
    }
    const row = await other.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row.status).toBe(won[0]!.status);
    expect(row.decisionComment).toBe(`decider ${won[0]!.i}`);
    // One notification for the requester, from the one decision.
    expect(await env.db.notification.count({ where: { userId: devA.id, kind: { in: ["request.approved", "request.denied"] } } })).toBe(1);
  });
});
