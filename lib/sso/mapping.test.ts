import { describe, expect, it } from "vitest";
import { grantsFromConfig, groupsFromClaims, mappingFormSchema, resolveAccess, type GroupGrant } from "./mapping";

const grants: GroupGrant[] = [
  { group: "console-admins", role: "admin", teamIds: [], ledTeamIds: [] },
  { group: "payments-leads", role: "lead", teamIds: ["t-pay"], ledTeamIds: ["t-pay"] },
  { group: "payments-devs", role: "developer", teamIds: ["t-pay"], ledTeamIds: [] },
  { group: "search-devs", role: "developer", teamIds: ["t-search"], ledTeamIds: [] },
];

describe("resolveAccess", () => {
  it("gives no access when no group is mapped (or there are none)", () => {
    expect(resolveAccess(["marketing"], grants)).toBeNull();
    expect(resolveAccess([], grants)).toBeNull();
    expect(resolveAccess(["console-admins"], [])).toBeNull();
  });

  it("takes the highest role of the mapped groups, whatever their order", () => {
    expect(resolveAccess(["payments-devs", "payments-leads"], grants)?.role).toBe("lead");
    expect(resolveAccess(["search-devs", "console-admins", "payments-leads"], grants)?.role).toBe("admin");
    expect(resolveAccess(["search-devs"], grants)?.role).toBe("developer");
  });

  it("unites the groups' teams, and a led team is also a team", () => {
    const access = resolveAccess(["payments-leads", "search-devs", "unmapped"], grants)!;
    expect(access).toEqual({ role: "lead", teamIds: ["t-pay", "t-search"], ledTeamIds: ["t-pay"], matchedGroups: ["payments-leads", "search-devs"] });
    expect(resolveAccess(["x"], [{ group: "x", role: "lead", teamIds: [], ledTeamIds: ["t-1"] }])?.teamIds).toEqual(["t-1"]);
  });

  it("matches groups exactly (case and whitespace matter, as the IdP sends them)", () => {
    expect(resolveAccess(["Console-Admins", " console-admins"], grants)).toBeNull();
  });
});

describe("groupsFromClaims", () => {
  it("reads an array, a single string, or a nested claim, and ignores anything else", () => {
    expect(groupsFromClaims({ groups: ["a", "b", "a", 3, ""] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ groups: "a" }, "groups")).toEqual(["a"]);
    expect(groupsFromClaims({ realm_access: { roles: ["r1"] } }, "realm_access.roles")).toEqual(["r1"]);
    expect(groupsFromClaims({ groups: { a: 1 } }, "groups")).toEqual([]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
    expect(groupsFromClaims({ roles: ["x"] }, "groups")).toEqual([]);
  });
});

describe("grantsFromConfig", () => {
  it("resolves team names to ids and reports names that match no team", () => {
    const out = grantsFromConfig([{ group: "g", role: "lead", teams: ["Payments", "Gone"], leads: ["Payments"] }], new Map([["Payments", "t-pay"]]));
    expect(out).toEqual({ grants: [{ group: "g", role: "lead", teamIds: ["t-pay"], ledTeamIds: ["t-pay"] }], unknownTeams: ["Gone"] });
  });
});

describe("mappingFormSchema", () => {
  it("refuses an empty group or an unknown role, and de-duplicates teams", () => {
    expect(mappingFormSchema.safeParse({ group: "  ", role: "admin" }).success).toBe(false);
    expect(mappingFormSchema.safeParse({ group: "g", role: "owner" }).success).toBe(false);
    expect(mappingFormSchema.parse({ group: " g ", role: "lead", teamIds: ["a", "a"] })).toMatchObject({ group: "g", teamIds: ["a"], ledTeamIds: [] });
  });
});

describe("classifyAuthError", async () => {
  const { classifyAuthError } = await import("./errors");
  const authError = (type: string, cause?: unknown) => Object.assign(new Error(type), { type, cause });
  it("names forged state, refused codes, invalid ID tokens and an unreachable IdP", () => {
    expect(classifyAuthError(authError("InvalidCheck")).reason).toBe("check");
    expect(classifyAuthError(authError("CallbackRouteError", { err: new Error('unexpected "state" response parameter value') })).reason).toBe("check");
    expect(classifyAuthError(authError("OAuthCallbackError")).reason).toBe("rejected");
    expect(classifyAuthError(authError("CallbackRouteError", { err: Object.assign(new Error("server responded with an error in the response body"), { name: "ResponseBodyError", error: "invalid_grant" }) })).reason).toBe("rejected");
    expect(classifyAuthError(authError("CallbackRouteError", { err: new Error('unexpected JWT "aud" (audience) claim value') })).reason).toBe("invalid_token");
    expect(classifyAuthError(authError("CallbackRouteError", { err: new Error('unexpected JWT "alg" header parameter') })).reason).toBe("invalid_token");
    expect(classifyAuthError(authError("SignInError", { err: new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }) })).reason).toBe("unreachable");
    expect(classifyAuthError(authError("Other")).reason).toBe("failed");
  });
});
