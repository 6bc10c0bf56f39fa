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
