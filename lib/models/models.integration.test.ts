/**
 * Models from AWS (issue 15) against the sandbox's Bedrock control plane: the catalogue is read
 * per account × region (ListFoundationModels, ListInferenceProfiles), stored, and then drives the
 * picker, labels, validation and the restriction policies, including global profiles the offline
 * fallback does not know; legacy models are flagged, vanished ones stay readable, failures keep
 * what was read before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE, catalogueForRegion, findCatalogueEntry, isKnownModelId, modelLabel, modelResourceArns } from "@/lib/keys/catalogue";
import { issueLongTermKey } from "@/lib/keys/issue";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { issueKeySchema } from "@/lib/keys/schemas";
import { reloadLiveCatalogue } from "./live";
import { MODELS_REFRESH_LEASE, type ModelsDeps, refreshModelCatalogue, refreshModelCatalogueNow } from "./service";
import { createRegionalTestEnv, OWN_ACCOUNT as OWN } from "@/tests/support/models-env";

const GLOBAL_SONNET_45 = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
const SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
let env: KeysTestEnv;
let deps: ModelsDeps;
let offlineClients: () => ModelsDeps["clients"];

beforeAll(async () => {
  const t = await createRegionalTestEnv(["us-east-1", "eu-west-1"]);
  ({ env, offlineClients } = t);
  deps = t.base;
});
afterAll(() => env?.close());

describe("before anything is read", () => {
  it("the offline fallback serves, without global profiles", async () => {
    await reloadLiveCatalogue(env.db);
    expect(catalogueForRegion("us-east-1").map((e) => e.id)).toEqual(CATALOGUE.filter((e) => e.kind === "foundation-model" || e.geography === "us").map((e) => e.id));
    expect(isKnownModelId(GLOBAL_SONNET_45)).toBe(false);
  });
});

describe("reading the catalogue from AWS", () => {
  it("stores what each region offers and the console follows it: global profiles, geographies, on-demand only where AWS serves it", async () => {
    const outcome = await refreshModelCatalogue(deps);
    expect(outcome.status).toBe("done");
    if (outcome.status !== "done") return;
    expect(outcome.regions.map((r) => [r.accountId, r.region, r.ok])).toEqual([
      [OWN, "us-east-1", true],
      [OWN, "eu-west-1", true],
    ]);
    const us = catalogueForRegion("us-east-1");
    const ids = us.map((e) => e.id);
    expect(ids).toContain(GLOBAL_SONNET_45);
    expect(ids).toContain("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    // Listed by AWS as INFERENCE_PROFILE only: not offered as an on-demand model.
    expect(ids).not.toContain(SONNET_45);
    // Listing-only embedding models are offered too (callable with InvokeModel).
    expect(ids).toContain("amazon.titan-embed-text-v2:0");
    expect(us.find((e) => e.id === GLOBAL_SONNET_45)).toMatchObject({ kind: "inference-profile", modelId: SONNET_45, provider: "Anthropic", geography: "global", label: "Claude Sonnet 4.5 (Global cross-region)" });
    const eu = catalogueForRegion("eu-west-1").map((e) => e.id);
    expect(eu).toContain("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(eu.some((id) => id.startsWith("us."))).toBe(false);
    expect(modelLabel(`arn:aws:bedrock:us-east-1:${OWN}:inference-profile/${GLOBAL_SONNET_45}`)).toBe("Claude Sonnet 4.5 (Global cross-region)");
    expect(await env.db.bedrockCatalogueRead.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: "us-east-1" } } })).toMatchObject({ errorCode: null, profiles: expect.any(Number) });
  });

  it("legacy models stay selectable, flagged", () => {
    expect(catalogueForRegion("us-east-1").find((e) => e.id === "anthropic.claude-3-5-sonnet-20240620-v1:0")).toMatchObject({ legacy: true });
    expect(catalogueForRegion("us-east-1").find((e) => e.id === "amazon.nova-pro-v1:0")?.legacy).toBeUndefined();
  });

  it("a key may be restricted to a global profile; its policy lets exactly that through at the runtime", async () => {
    const form = { idempotencyToken: "tok_global_sonnet_0001", name: "x", ownerId: "u", teamId: "t", expiry: "30", extraPolicies: [], cidrs: [] };
    expect(issueKeySchema.safeParse({ ...form, models: [GLOBAL_SONNET_45] }).success).toBe(true);
    expect(issueKeySchema.safeParse({ ...form, models: ["global.example.unknown-v1:0"] }).success).toBe(false);
    expect(modelResourceArns(GLOBAL_SONNET_45)).toEqual([`arn:aws:bedrock:*:*:inference-profile/${GLOBAL_SONNET_45}`, `arn:aws:bedrock:*::foundation-model/${SONNET_45}`]);
    const admin = await env.actor(env.users.admin);
    const key = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Global Sonnet", restrictions: { models: [GLOBAL_SONNET_45], cidrs: [], notAfter: null } }))).secret;
    expect((await env.converse(key, GLOBAL_SONNET_45, "eu-west-1")).status).toBe(200);
    const other = await env.converse(key, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(other.status).toBe(403);
  });

  it("a model AWS stops listing stays readable on existing settings but is no longer offered", async () => {
    const old = "us.example.retired-model-v1:0";
    const now = new Date();
    await env.db.bedrockCatalogueEntry.create({
      data: { accountId: OWN, region: "us-east-1", id: old, kind: "inference-profile", modelId: "example.retired-model-v1:0", label: "Retired Model (US cross-region)", provider: "Example", geography: "us", firstSeenAt: now, lastSeenAt: now },
    });
    const outcome = await refreshModelCatalogue(deps);
    expect(outcome.status === "done" && outcome.regions.find((r) => r.region === "us-east-1")?.gone).toBe(1);
    expect((await env.db.bedrockCatalogueEntry.findUniqueOrThrow({ where: { accountId_region_id: { accountId: OWN, region: "us-east-1", id: old } } })).goneAt).not.toBeNull();
    expect(isKnownModelId(old)).toBe(true);
    expect(modelLabel(old)).toBe("Retired Model (US cross-region)");
    expect(findCatalogueEntry(old)).toMatchObject({ gone: true });
    expect(catalogueForRegion("us-east-1").map((e) => e.id)).not.toContain(old);
    expect(modelResourceArns(old)).toEqual([`arn:aws:bedrock:*:*:inference-profile/${old}`, "arn:aws:bedrock:*::foundation-model/example.retired-model-v1:0"]);
  });
});

describe("faults", () => {
  it("a region that refuses (access denied) is recorded and keeps what was read before; the other region goes on", async () => {
    const before = catalogueForRegion("eu-west-1").length;
    await env.fault("ListFoundationModels", { code: "AccessDeniedException", status: 403, message: "User is not authorized to perform: bedrock:ListFoundationModels" }, 1, "bedrock");
    const audit = recordingAudit();
    const result = await refreshModelCatalogueNow(deps, audit);
    const failed = result.regions.filter((r) => !r.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ errorCode: "AccessDenied" });
    expect(audit.details).toMatchObject({ outcome: "partial" });
    expect(JSON.stringify(audit.details)).toContain("AccessDenied");
    expect(catalogueForRegion("eu-west-1")).toHaveLength(before);
    expect(catalogueForRegion("us-east-1").map((e) => e.id)).toContain(GLOBAL_SONNET_45);
    const read = await env.db.bedrockCatalogueRead.findUniqueOrThrow({ where: { accountId_region: { accountId: OWN, region: failed[0]!.region } } });
    expect(read.errorCode).toBe("AccessDenied");
    expect(read.okAt).not.toBeNull();
  });

  it("an unreachable endpoint fails every region without losing the stored catalogue", async () => {
    const offline = { ...deps, clients: offlineClients() };
    const outcome = await refreshModelCatalogue(offline);
    expect(outcome.status === "done" && outcome.regions.every((r) => !r.ok && r.errorCode === "ECONNREFUSED")).toBe(true);
    expect(catalogueForRegion("us-east-1").map((e) => e.id)).toContain(GLOBAL_SONNET_45);
  });

  it("only one read at a time across instances (the lease)", async () => {
    expect(await acquireLease(env.db, MODELS_REFRESH_LEASE, "other-instance", 60_000, new Date())).toBe(true);
    expect(await refreshModelCatalogue(deps)).toEqual({ status: "busy" });
    await releaseLease(env.db, MODELS_REFRESH_LEASE, "other-instance");
  });
});
