import { describe, expect, it } from "vitest";
import { CATALOGUE } from "@/lib/keys/catalogue";
import { createRequestSchema } from "./schemas";

const base = { kind: "long-term", teamId: "t1", keyName: "Checkout", purpose: "Payments bot", justification: "Needed for checkout", durationDays: "30" };

describe("request form schema", () => {
  it("refuses asking for more models than fit in the key's inline policy (IAM: 2,048 characters per user)", () => {
    const profiles = CATALOGUE.filter((e) => e.kind === "inference-profile").map((e) => e.id);
    const r = createRequestSchema.safeParse({ ...base, models: profiles });
    expect(r.success).toBe(false);
    expect(r.success ? null : r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }))).toEqual([{ path: "models", message: "field.restrictionsTooLarge" }]);
    expect(r.success ? null : r.error.issues[0]).toMatchObject({ params: { limit: 2048 } });
    expect(createRequestSchema.parse({ ...base, models: profiles.slice(0, 5) }).models).toHaveLength(5);
  });
});

describe("request form schema, short-term", () => {
  it("does not hold a short-term request's model list to a long-term key's policy budget (short-term keys carry no models)", () => {
    const profiles = CATALOGUE.filter((e) => e.kind === "inference-profile").map((e) => e.id);
    const r = createRequestSchema.parse({ kind: "short-term", teamId: "t1", purpose: "Notebook", justification: "Experiment", durationMinutes: "60", models: profiles });
    expect(r.models).toEqual([]);
  });
});
