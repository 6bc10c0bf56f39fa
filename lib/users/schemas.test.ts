import { describe, expect, it } from "vitest";
import { issueToMessage } from "@/lib/actions/zod-messages";
import { formDataToObject } from "@/lib/actions/errors";
import { createTeamSchema, createUserSchema, updateUserSchema } from "./schemas";

const valid = { name: "Ann Admin", email: "ann@example.test", role: "developer", password: "correct horse battery" };

/** The message key the action would show for each failing field. */
function fieldCodes(result: { success: boolean; error?: { issues: Parameters<typeof issueToMessage>[0][] } }) {
  if (result.success || !result.error) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), issueToMessage(i).code]));
}

describe("createUserSchema", () => {
  it("accepts names in any script and normalises the email", () => {
    const parsed = createUserSchema.parse({ ...valid, name: " 山田 太郎 ", email: " Yamada@Example.TEST " });
    expect(parsed).toMatchObject({ name: "山田 太郎", email: "yamada@example.test", teams: [], leads: [] });
    expect(createUserSchema.safeParse({ ...valid, name: "김민준 🚀" }).success).toBe(true);
  });

  it.each([
    ["empty name", { name: "   " }, "name", "field.required"],
    ["over-long name", { name: "x".repeat(101) }, "name", "field.tooBig"],
    ["name with a bidi override", { name: "admin\u202Egnp.exe" }, "name", "field.plainText"],
    ["name with a newline", { name: "Ann\nAdmin" }, "name", "field.plainText"],
    ["email that is not one", { email: "not-an-email" }, "email", "field.email"],
    ["injection-shaped email", { email: "a@b.test' OR '1'='1" }, "email", "field.email"],
    ["over-long email", { email: `${"a".repeat(250)}@b.test` }, "email", "field.tooBig"],
    ["unknown role", { role: "superuser" }, "role", "field.choice"],
    ["short password", { password: "short" }, "password", "field.tooSmall"],
    ["over-long password", { password: "p".repeat(201) }, "password", "field.tooBig"],
    ["password of the wrong type", { password: 123456789012345 }, "password", "field.required"],
    ["SQL-shaped team id", { teams: ["1; DROP TABLE User"] }, "teams.0", "field.invalid"],
  ])("refuses %s with a clear field error", (_label, change, field, code) => {
    const codes = fieldCodes(createUserSchema.safeParse({ ...valid, ...change }));
    expect(codes[field]).toBe(code);
  });

  it("only lets leads lead, and only teams they are in", () => {
    expect(fieldCodes(createUserSchema.safeParse({ ...valid, role: "developer", teams: ["t1"], leads: ["t1"] }))).toEqual({ leads: "field.leadsNeedLeadRole" });
    expect(fieldCodes(createUserSchema.safeParse({ ...valid, role: "lead", teams: ["t1"], leads: ["t2"] }))).toEqual({ leads: "field.leadsNotMember" });
    expect(createUserSchema.safeParse({ ...valid, role: "lead", teams: ["t1"], leads: ["t1"] }).success).toBe(true);
  });

  it("reads teams[] and leads[] from a submitted form", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...valid, role: "lead" })) form.set(k, v);
    form.append("teams[]", "t1");
    form.append("teams[]", "t2");
    form.append("leads[]", "t2");
    expect(createUserSchema.parse(formDataToObject(form))).toMatchObject({ teams: ["t1", "t2"], leads: ["t2"] });
  });
});

describe("updateUserSchema and team schemas", () => {
  it("refuses a path-shaped id", () => {
    expect(fieldCodes(updateUserSchema.safeParse({ id: "../../etc/passwd", name: "A", role: "admin" }))).toEqual({ id: "field.invalid" });
  });

  it("limits team names to 1–64 characters of plain text", () => {
    expect(fieldCodes(createTeamSchema.safeParse({ name: "" }))).toEqual({ name: "field.required" });
    expect(fieldCodes(createTeamSchema.safeParse({ name: "t".repeat(65) }))).toEqual({ name: "field.tooBig" });
    expect(fieldCodes(createTeamSchema.safeParse({ name: "Team\u0000" }))).toEqual({ name: "field.plainText" });
    expect(createTeamSchema.parse({ name: "<script>alert(1)</script>" }).name).toBe("<script>alert(1)</script>");
    expect(createTeamSchema.parse({ name: "研究チーム" })).toEqual({ name: "研究チーム", description: "" });
  });
});
