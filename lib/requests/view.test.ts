import { describe, expect, it } from "vitest";
import { displayStatus, narrowing, toRequestView, type RequestRow } from "./view";

const at = (iso: string) => new Date(iso);
const row = (over: Partial<RequestRow> = {}): RequestRow => ({
  id: "r1",
  kind: "long-term",
  keyName: "Bot",
  accountId: null,
  purpose: "Checkout",
  justification: "Pilot",
  requestedDuration: 30,
  requestedModels: '["a","b"]',
  status: "pending",
  approvedDuration: null,
  approvedModels: null,
  decidedAt: null,
  decidedByEmail: null,
  decisionComment: "",
  autoApproved: false,
  pickupBy: null,
  pickedUpAt: null,
  apiKeyId: null,
  shortTermIssuanceId: null,
  closedAt: null,
  createdAt: at("2030-01-01T00:00:00Z"),
  requesterId: "dev",
  teamId: "t1",
  requester: { id: "dev", name: "Dana", email: "dana@example.com" },
  decidedBy: null,
  team: { id: "t1", name: "Payments" },
  ...over,
});
const dev = { id: "dev", role: "developer" as const, ledTeamIds: [] };
const lead = { id: "lead", role: "lead" as const, ledTeamIds: ["t1"] };
const otherLead = { id: "lead2", role: "lead" as const, ledTeamIds: ["t2"] };

describe("what an approver narrowed", () => {
  it("names a shorter duration, left-out models, or a restriction of 'any model'", () => {
    expect(narrowing({ duration: 30, models: ["a", "b"] }, { duration: 7, models: ["a"] })).toEqual({ duration: [30, 7], modelsRemoved: ["b"] });
    expect(narrowing({ duration: 30, models: [] }, { duration: 30, models: ["a"] })).toEqual({ restrictedTo: ["a"] });
    expect(narrowing({ duration: 30, models: ["a"] }, { duration: 30, models: ["a"] })).toEqual({});
  });
});

describe("a request as shown", () => {
  it("an approval past its pick-up time shows as expired before the job marks it", () => {
    const approved = { status: "approved", pickupBy: at("2030-01-02T00:00:00Z") };
    expect(displayStatus(approved, at("2030-01-01T23:59:59Z"))).toBe("approved");
    expect(displayStatus(approved, at("2030-01-02T00:00:00Z"))).toBe("expired");
  });

  it("offers each person only what they may do", () => {
    const now = at("2030-01-01T01:00:00Z");
    expect(toRequestView(row(), dev, now).can).toEqual({ decide: false, pickUp: false, cancel: true });
    expect(toRequestView(row(), lead, now).can).toEqual({ decide: true, pickUp: false, cancel: false });
    expect(toRequestView(row(), otherLead, now).can.decide).toBe(false);
    // Nobody decides their own request, admins included.
    expect(toRequestView(row({ requesterId: "admin" }), { id: "admin", role: "admin", ledTeamIds: [] }, now).can.decide).toBe(false);
    const approved = row({ status: "approved", approvedDuration: 7, approvedModels: '["a"]', decidedAt: now, pickupBy: at("2030-01-04T00:00:00Z") });
    expect(toRequestView(approved, dev, now).can).toEqual({ decide: false, pickUp: true, cancel: true });
    expect(toRequestView(approved, lead, now).can).toEqual({ decide: false, pickUp: false, cancel: false });
  });

  it("tells the whole history in order", () => {
    const view = toRequestView(
      row({
        status: "picked_up",
        approvedDuration: 7,
        approvedModels: '["a"]',
        decidedAt: at("2030-01-01T02:00:00Z"),
        decidedBy: { name: "Lee" },
        decisionComment: "A week is enough",
        pickupBy: at("2030-01-04T02:00:00Z"),
        pickedUpAt: at("2030-01-01T03:00:00Z"),
        apiKeyId: "k1",
      }),
      dev,
      at("2030-01-05T00:00:00Z"),
    );
    expect(view.history).toEqual([
      { type: "submitted", at: "2030-01-01T00:00:00.000Z", by: "Dana" },
      { type: "approved", at: "2030-01-01T02:00:00.000Z", by: "Lee", auto: false, comment: "A week is enough", narrowed: { duration: [30, 7], modelsRemoved: ["b"] } },
      { type: "pickedUp", at: "2030-01-01T03:00:00.000Z", keyId: "k1", shortTerm: false },
    ]);
    // Picked up is final: a passed pick-up time does not make it "expired".
    expect(view.status).toBe("picked_up");
    expect(view.keyId).toBe("k1");
  });
});
