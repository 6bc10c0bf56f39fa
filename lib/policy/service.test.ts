import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingAudit } from "@/tests/support/keys-env";
import { createTestDb } from "@/lib/testing/test-db";
import type { PolicyInput } from "./schema";
import { getPolicy, updatePolicy } from "./service";

let t: Awaited<ReturnType<typeof createTestDb>>;
const actor = { id: "admin1", email: "admin@example.com" };
const limits = { configuredExtraPolicies: ["AmazonBedrockMarketplaceAccess", "AmazonBedrockFullAccess"], shortTermCeilingMinutes: 360 };
const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  version: 0,
  maxKeyAgeDays: 90,
  defaultExpiryDays: 30,
  allowedModels: ["amazon.nova-lite-v1:0"],
  allowedExtraPolicies: ["AmazonBedrockMarketplaceAccess"],
  longTermRequiresApproval: true,
  shortTermSelfService: false,
  shortTermMaxMinutes: 60,
  pickupWindowHours: 24,
  ...over,
});

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.cleanup());

describe("the stored policy", () => {
  it("starts from the defaults (version 0) with every configured extra policy", async () => {
    expect(await getPolicy(t.db, limits.configuredExtraPolicies)).toMatchObject({
      version: 0,
      maxKeyAgeDays: null,
      allowedModels: [],
      allowedExtraPolicies: limits.configuredExtraPolicies,
      longTermRequiresApproval: true,
      shortTermSelfService: true,
    });
  });

  it("saves with before/after in the audit, and refuses a save over someone else's newer one", async () => {
    const audit = recordingAudit();
    const saved = await updatePolicy(t.db, actor, input(), limits, audit);
    expect(saved).toMatchObject({ version: 1, maxKeyAgeDays: 90, updatedByEmail: "admin@example.com" });
    expect(audit.targets[0]).toMatchObject({ type: "policy", id: "org" });
    expect(audit.details).toMatchObject({ version: 1, before: { maxKeyAgeDays: null, shortTermSelfService: true }, after: { maxKeyAgeDays: 90, shortTermSelfService: false } });

    await updatePolicy(t.db, actor, input({ version: 1, maxKeyAgeDays: 60 }), limits, recordingAudit());
    // A form rendered from version 1 is now stale.
    await expect(updatePolicy(t.db, actor, input({ version: 1, maxKeyAgeDays: 365 }), limits, recordingAudit())).rejects.toMatchObject({ code: "conflict" });
    await expect(updatePolicy(t.db, actor, input({ version: 0 }), limits, recordingAudit())).rejects.toMatchObject({ code: "conflict" });
    expect((await getPolicy(t.db, limits.configuredExtraPolicies)).maxKeyAgeDays).toBe(60);
  });

  it("two admins saving the same version at once: one wins", async () => {
    const results = await Promise.allSettled([
      updatePolicy(t.db, actor, input({ version: 2, pickupWindowHours: 5 }), limits, recordingAudit()),
      updatePolicy(t.db, actor, input({ version: 2, pickupWindowHours: 6 }), limits, recordingAudit()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await getPolicy(t.db, limits.configuredExtraPolicies)).version).toBe(3);
  });

  it("stays within the deployment's ceilings", async () => {
    await expect(updatePolicy(t.db, actor, input({ version: 3, allowedExtraPolicies: ["AdministratorAccess"] }), limits, recordingAudit())).rejects.toMatchObject({
      fieldErrors: { allowedExtraPolicies: { code: "field.choice" } },
    });
    await expect(updatePolicy(t.db, actor, input({ version: 3, shortTermMaxMinutes: 720 }), limits, recordingAudit())).rejects.toMatchObject({
      fieldErrors: { shortTermMaxMinutes: { code: "policy.aboveDeploymentLimit", params: { max: 360 } } },
    });
    // An extra policy dropped from ALLOWED_EXTRA_POLICIES later is no longer allowed, whatever was saved.
    expect((await getPolicy(t.db, ["AmazonBedrockFullAccess"])).allowedExtraPolicies).toEqual([]);
  });
});
