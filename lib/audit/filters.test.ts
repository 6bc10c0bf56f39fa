import { describe, expect, it } from "vitest";
import { auditFilterQuery, parseAuditFilters } from "./filters";

describe("parseAuditFilters", () => {
  it("treats empty values as unset and parses the rest", () => {
    const parsed = parseAuditFilters(new URLSearchParams("actor=Ann&action=users.&result=&from=2026-01-01&to=&page=2"));
    expect(parsed).toEqual({ ok: true, filters: { actor: "Ann", action: "users.", from: "2026-01-01", page: 2 } });
  });

  it("accepts the record form Next passes to pages, using the first of repeated values", () => {
    expect(parseAuditFilters({ result: ["failure", "success"] })).toEqual({ ok: true, filters: { result: "failure", page: 1 } });
  });

  it.each([
    ["result=maybe", ["result"]],
    ["from=2026-13-45", ["from"]],
    ["to=yesterday", ["to"]],
    ["page=-1", ["page"]],
    ["page=abc", ["page"]],
    [`actor=${"a".repeat(300)}`, ["actor"]],
    ["from=2026-02-01&to=2026-01-01", ["from", "to"]],
  ])("gives the default list and names the bad parameter for %s", (query, invalid) => {
    expect(parseAuditFilters(new URLSearchParams(query))).toEqual({ ok: false, filters: { page: 1 }, invalid });
  });
});

describe("auditFilterQuery", () => {
  it("round-trips through the parser and leaves page 1 out", () => {
    const filters = { actor: "a b&c", action: "users.", result: "success" as const, from: "2026-01-01", to: "2026-01-31" };
    const query = auditFilterQuery(filters, 3);
    expect(parseAuditFilters(new URLSearchParams(query.slice(1)))).toEqual({ ok: true, filters: { ...filters, page: 3 } });
    expect(auditFilterQuery({}, 1)).toBe("");
  });
});
