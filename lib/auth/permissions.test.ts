import { describe, expect, it } from "vitest";
import { can, PERMISSIONS } from "./permissions";

describe("permission table", () => {
  it("lets admins manage users and refuses everyone else", () => {
    expect(can("admin", "users.manage")).toBe(true);
    expect(can("lead", "users.manage")).toBe(false);
    expect(can("developer", "users.manage")).toBe(false);
  });

  it("refuses unknown roles and non-string roles", () => {
    expect(can("superuser", "audit.read")).toBe(false);
    expect(can(undefined, "profile.update")).toBe(false);
    expect(can({ role: "admin" }, "profile.update")).toBe(false);
  });

  it("refuses unknown permissions", () => {
    expect(can("admin", "keys.nuke" as keyof typeof PERMISSIONS)).toBe(false);
  });
});

describe("key permissions (issue 4)", () => {
  it("lets only admins issue, reset, delete, adopt and revoke", () => {
    for (const p of ["keys.issue", "keys.reset", "keys.delete", "keys.adopt", "shortterm.revoke"] as const) {
      expect([can("admin", p), can("lead", p), can("developer", p)]).toEqual([true, false, false]);
    }
  });

  it("lets leads disable/enable (scope checked on the key), developers only read and make short-term keys", () => {
    expect(can("lead", "keys.disable") && can("lead", "keys.enable") && can("lead", "inspect.use")).toBe(true);
    expect(can("developer", "keys.disable") || can("developer", "keys.refresh") || can("developer", "inspect.use")).toBe(false);
    expect(can("developer", "keys.read") && can("developer", "shortterm.generate") && can("developer", "shortterm.read")).toBe(true);
  });
});
