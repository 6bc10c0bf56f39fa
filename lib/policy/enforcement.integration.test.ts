/**
 * The policy is enforced on the server in every issuance path — the admin's direct issuance, the
 * pick-up of an approved request, and short-term generation — against the sandbox. A refused
 * issuance creates nothing in IAM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import type { KeyActor } from "@/lib/keys/types";
import { decideRequest } from "@/lib/requests/decide";
import { pickUpRequest } from "@/lib/requests/pickup";
import { submitRequest } from "@/lib/requests/service";
import { createRequestsTestEnv, type RequestsTestEnv } from "@/tests/support/requests-env";
import { generateShortTermKey } from "@/lib/shortterm/service";

let env: RequestsTestEnv;
let admin: KeyActor, leadA: KeyActor, devA: KeyActor;
const HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

beforeAll(async () => {
  env = await createRequestsTestEnv();
  admin = await env.actor(env.users.admin);
  leadA = await env.actor(env.users.leadA);
  devA = await env.actor(env.users.devA);
});
afterAll(async () => env?.close());
afterEach(async () => env.setPolicy({ maxKeyAgeDays: null, allowedModels: [], allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"], shortTermSelfService: true, shortTermMaxMinutes: 720 }));

const error = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe("admin's direct issuance", () => {
  it("is refused beyond the maximum age, for never-expiring keys, outside the models and extra policies", async () => {
    await env.setPolicy({ maxKeyAgeDays: 30, allowedModels: [HAIKU], allowedExtraPolicies: [] });
    const before = await env.consoleUsers();
    const restricted = { models: [HAIKU], cidrs: [], notAfter: null };
    expect(await error(issueLongTermKey(env.keyDeps, admin, env.issueInput({ ageDays: 90, restrictions: restricted })))).toMatchObject({
      code: "policy.refused",
      fieldErrors: { expiry: { code: "policy.tooLong", params: { max: 30 } } },
    });
    expect(await error(issueLongTermKey(env.keyDeps, admin, env.issueInput({ ageDays: null, restrictions: restricted })))).toMatchObject({
      fieldErrors: { expiry: { code: "policy.neverExpires", params: { max: 30 } } },
    });
    expect(await error(issueLongTermKey(env.keyDeps, admin, env.issueInput({ ageDays: 30 })))).toMatchObject({
      fieldErrors: { models: { code: "policy.modelsRequired" } },
    });
    expect(await error(issueLongTermKey(env.keyDeps, admin, env.issueInput({ ageDays: 30, restrictions: { ...restricted, models: [NOVA] } })))).toMatchObject({
      fieldErrors: { models: { code: "policy.modelsNotAllowed", params: { models: "Nova Lite" } } },
    });
    expect(await error(issueLongTermKey(env.keyDeps, admin, env.issueInput({ ageDays: 30, restrictions: restricted, extraPolicies: ["AmazonBedrockMarketplaceAccess"] })))).toMatchObject({
      fieldErrors: { extraPolicies: { code: "policy.extraPolicyNotAllowed" } },
    });
    expect(await env.consoleUsers()).toEqual(before);
    expect(await env.db.apiKey.count({ where: { state: "issuing" } })).toBe(0);

    // Within the policy it works.
    const ok = await issueLongTermKey(env.keyDeps, admin, env.issueInput({ name: "Within policy", ageDays: 30, restrictions: restricted }));
    expect((await env.converse(ok.secret, HAIKU)).status).toBe(200);
  });
});

describe("request pick-up", () => {
  it("applies the policy as it is at pick-up time, not as it was at approval", async () => {
    const { requestId } = await submitRequest(
      env.deps,
      devA,
      { kind: "long-term", teamId: env.teams.A.id, keyName: "Approved then tightened", purpose: "Pilot", justification: "Needed", duration: 60, models: [] },
      env.audit(),
    );
    await decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" }, env.audit());
    await env.setPolicy({ maxKeyAgeDays: 14, allowedModels: [HAIKU] });
    expect(await error(pickUpRequest(env.deps, devA, { requestId }, env.audit()))).toMatchObject({
      code: "requests.policyChanged",
      fieldErrors: { duration: { code: "policy.tooLong", params: { max: 14 } }, models: { code: "policy.modelsRequired" } },
    });
    const row = await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({ status: "approved", apiKeyId: null, pickupClaimedUntil: null });
  });

  it("an approver cannot approve beyond the policy either", async () => {
    const { requestId } = await submitRequest(
      env.deps,
      devA,
      { kind: "long-term", teamId: env.teams.A.id, keyName: "Approved over policy", purpose: "Pilot", justification: "Needed", duration: 60, models: [] },
      env.audit(),
    );
    await env.setPolicy({ maxKeyAgeDays: 30 });
    expect(await error(decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "" }, env.audit()))).toMatchObject({
      code: "policy.refused",
      fieldErrors: { approvedDuration: { code: "policy.tooLong", params: { max: 30 } } },
    });
    // Narrowed to the policy, it goes through.
    await expect(decideRequest(env.deps, leadA, { requestId, decision: "approve", comment: "", approvedDuration: 30 }, env.audit())).resolves.toMatchObject({ status: "approved" });
  });
});

describe("short-term generation", () => {
  it("developers without self-service are sent to the request flow; leads still generate; the lifetime cap applies to all", async () => {
    await env.setPolicy({ shortTermSelfService: false, shortTermMaxMinutes: 30 });
    const before = await env.db.shortTermIssuance.count();
    expect(await error(generateShortTermKey(env.shortTerm, devA, { region: "us-east-1", expiresInMinutes: 15 }))).toMatchObject({ code: "policy.shortTermNeedsApproval" });
    expect(await error(generateShortTermKey(env.shortTerm, leadA, { region: "us-east-1", expiresInMinutes: 60 }))).toMatchObject({
      code: "policy.refused",
      fieldErrors: { expiresInMinutes: { code: "policy.shortTermTooLong", params: { max: 30 } } },
    });
    expect(await env.db.shortTermIssuance.count()).toBe(before);
    const lead = await generateShortTermKey(env.shortTerm, leadA, { region: "us-east-1", expiresInMinutes: 30 });
    expect((await env.converse(lead.token)).status).toBe(200);
  });
});
