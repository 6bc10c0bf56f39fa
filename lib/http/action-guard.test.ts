import { describe, expect, it } from "vitest";
import { checkActionBody, checkActionHeaders, createRejectionLog, jsonNestingExceeds } from "./action-guard";

const ok = { "next-action": "40be36c347be52aeb99c722a75a9132cadf775e6d9", "content-type": "text/plain;charset=UTF-8", host: "console.example", origin: "https://console.example" };
const h = (over: Record<string, string | null>) => {
  const out = new Headers();
  for (const [k, v] of Object.entries({ ...ok, ...over })) if (v !== null) out.set(k, v);
  return out;
};

describe("checkActionHeaders", () => {
  it("lets a well-formed call through", () => {
    expect(checkActionHeaders(h({}))).toBeNull();
    expect(checkActionHeaders(h({ origin: null }))).toBeNull();
    expect(checkActionHeaders(h({ "content-type": "multipart/form-data; boundary=x" }))).toBeNull();
  });
  it("refuses a foreign origin, a garbled id, a wrong content type and a declared oversize body", () => {
    expect(checkActionHeaders(h({ origin: "https://evil.example" }))).toEqual({ status: 403, kind: "foreign-origin" });
    expect(checkActionHeaders(h({ origin: "null" }))).toEqual({ status: 403, kind: "foreign-origin" });
    expect(checkActionHeaders(h({ "next-action": "../../etc/passwd" }))).toEqual({ status: 400, kind: "malformed-action-id" });
    expect(checkActionHeaders(h({ "content-type": "application/xml" }))).toEqual({ status: 415, kind: "content-type" });
    expect(checkActionHeaders(h({ "content-length": String(2 * 1024 * 1024) }))).toEqual({ status: 413, kind: "body-too-large" });
  });
});

describe("checkActionBody", () => {
  it("refuses absurd nesting and oversize bodies, not ordinary arguments", () => {
    expect(checkActionBody('[{"name":"x","nested":{"a":[1,2,[3]]}}]')).toBeNull();
    expect(checkActionBody("[".repeat(100_000) + "]".repeat(100_000))).toEqual({ status: 400, kind: "nesting" });
    expect(checkActionBody("x".repeat(1024 * 1024 + 1))).toEqual({ status: 413, kind: "body-too-large" });
    expect(checkActionBody("{not json")).toEqual({ status: 400, kind: "malformed-body" });
    // Brackets inside strings do not count.
    expect(jsonNestingExceeds(JSON.stringify(["[".repeat(1000)]))).toBe(false);
  });
});

describe("createRejectionLog", () => {
  it("writes one line per kind and minute, with the count", () => {
    const lines: Record<string, unknown>[] = [];
    const log = createRejectionLog((l) => lines.push(l), 60_000);
    for (let i = 0; i < 1000; i++) log("nesting", 1_000 + i);
    log("foreign-origin", 2_000);
    log("nesting", 61_000);
    expect(lines).toEqual([
      { msg: "action request refused", kind: "nesting", count: 1 },
      { msg: "action request refused", kind: "foreign-origin", count: 1 },
      { msg: "action requests refused", kind: "nesting", count: 1000, sinceSeconds: 60 },
    ]);
  });
});
