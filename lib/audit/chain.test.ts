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

const KEY = Buffer.alloc(32, 7);

/** n entries; those from `keyedFrom` on are hashed with KEY (as after the upgrade that keyed the chain). */
function chain(n: number, keyedFrom = Infinity) {
  const out = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = entry(i);
    const hash = entryHash(prev, e, i >= keyedFrom ? KEY : undefined);
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

describe("keyed audit chain", () => {
  it("accepts a keyed chain and reports where the keyed part starts", () => {
    expect(findChainBreak(chain(5, 1), undefined, KEY)).toMatchObject({ brokenAt: null, state: { keyedFrom: 1 } });
  });

  it("still verifies entries written before the upgrade, followed by keyed ones", () => {
    expect(findChainBreak(chain(6, 4), undefined, KEY)).toMatchObject({ brokenAt: null, state: { keyedFrom: 4 } });
  });

  it("refuses an unkeyed entry after the keyed chain started: a forged append or re-hash without the key", () => {
    const c = chain(5, 1);
    const forged = { ...entry(6), id: 6, prevHash: c[4]!.hash };
    c.push({ ...forged, hash: entryHash(forged.prevHash, forged) });
    expect(findChainBreak(c, undefined, KEY).brokenAt).toEqual({ id: 6, reason: "hash-mismatch" });
  });

  it("refuses entries hashed with another key", () => {
    const c = chain(3, 1);
    expect(findChainBreak(c, undefined, Buffer.alloc(32, 8)).brokenAt).toEqual({ id: 1, reason: "hash-mismatch" });
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
