import { describe, expect, it } from "vitest";
import { entryHash, findChainBreak, GENESIS_HASH, type ChainedFields } from "./chain";
import { redactDetails } from "./redact";

function entry(i: number): ChainedFields {
  return {
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    actorId: "u1",
    actorEmail: "a@x.test",
    action: "users.create",
    targetType: "user",
    targetId: `t${i}`,
    targetLabel: null,
    teamId: null,
    result: "success",
    ip: "10.0.0.1",
    userAgent: "test",
    details: "{}",
  };
}

function chain(n: number) {
  const out = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = entry(i);
    const hash = entryHash(prev, e);
    out.push({ ...e, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe("audit hash chain", () => {
  it("accepts an intact chain", () => {
    expect(findChainBreak(chain(5)).brokenAt).toBeNull();
  });

  it("names the first entry whose contents were changed", () => {
    const c = chain(5);
    c[2] = { ...c[2]!, result: "failure" };
    expect(findChainBreak(c).brokenAt).toEqual({ id: 3, reason: "hash-mismatch" });
  });

  it("detects a removed entry", () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(findChainBreak(c).brokenAt).toEqual({ id: 3, reason: "prev-hash-mismatch" });
  });

  it("hash depends on the previous hash", () => {
    expect(entryHash(GENESIS_HASH, entry(1))).not.toBe(entryHash("1".repeat(64), entry(1)));
  });
});

describe("redactDetails", () => {
  it("drops secret-named fields and masks key-shaped values anywhere", () => {
    const longTerm = "ABSK" + Buffer.from("user-at-123456789012:" + "s".repeat(30)).toString("base64");
    const shortTerm = "bedrock-api-key-" + "Q".repeat(40);
    const out = redactDetails({
      password: "hunter2",
      nested: { ServiceCredentialSecret: "x", note: `leaked ${longTerm}` },
      list: [shortTerm],
      keyId: "ACCA123",
    });
    expect(JSON.stringify(out)).not.toContain("hunter2");
    expect(JSON.stringify(out)).not.toContain(longTerm);
    expect(JSON.stringify(out)).not.toContain(shortTerm);
    expect(out).toMatchObject({ keyId: "ACCA123", nested: { note: "leaked [redacted]" }, list: ["[redacted]"] });
  });
});
