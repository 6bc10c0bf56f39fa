import { describe, expect, it } from "vitest";
import { EventStore, usernameOf } from "./store.js";

const rec = (t: number, name = "E", region = "us-east-1") => ({
  eventTime: new Date(t).toISOString(),
  eventSource: "s",
  eventName: name,
  awsRegion: region,
  eventID: `id-${t}-${name}`,
  userIdentity: { type: "IAMUser", userName: "u" },
});

describe("EventStore", () => {
  it("keeps events sorted whether appended, back-dated singly or merged in bulk", () => {
    const store = new EventStore();
    store.add(rec(1000));
    store.add(rec(3000));
    store.add(rec(2000)); // back-dated single insert
    store.addMany([{ record: rec(500) }, { record: rec(2500) }, { record: rec(4000) }]);
    const all = store.lookup("us-east-1", { startMs: 0, endMs: 10_000, limit: 50 });
    expect(all.events.map((e) => e.t)).toEqual([4000, 3000, 2500, 2000, 1000, 500]);
    expect(all.more).toBe(false);
  });

  it("pages strictly after a cursor, ties broken by insertion order", () => {
    const store = new EventStore();
    store.addMany([1, 2, 3, 4, 5].map((i) => ({ record: rec(1000, `E${i}`) })));
    const p1 = store.lookup("us-east-1", { startMs: 0, endMs: 5000, limit: 2 });
    expect(p1.more).toBe(true);
    const last = p1.events[1]!;
    const p2 = store.lookup("us-east-1", { startMs: 0, endMs: 5000, limit: 10, after: { t: last.t, seq: last.seq } });
    expect([...p1.events, ...p2.events].map((e) => e.name)).toEqual(["E5", "E4", "E3", "E2", "E1"]);
  });

  it("separates regions, interns repeated strings and derives LookupEvents usernames", () => {
    const store = new EventStore();
    store.add(rec(1, "A", "eu-west-1"));
    store.add(rec(2, "A", "us-east-1"));
    expect(store.counts()).toEqual({ "eu-west-1": 1, "us-east-1": 1 });
    const [a] = store.lookup("eu-west-1", { startMs: 0, endMs: 10, limit: 1 }).events;
    const [b] = store.lookup("us-east-1", { startMs: 0, endMs: 10, limit: 1 }).events;
    expect(a!.name).toBe(b!.name);
    expect(usernameOf({ type: "Root" })).toBe("root");
    expect(usernameOf({ type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/sess" })).toBe("sess");
    expect(() => store.add({ ...rec(1), eventTime: "nope" })).toThrow();
  });
});

describe("JsonCodec", () => {
  it("round-trips record text exactly, escapes and non-ASCII included", async () => {
    const { JsonCodec } = await import("./codec.js");
    const codec = new JsonCodec();
    const samples = [
      JSON.stringify({ a: 'quote " inside', b: "back\\slash", c: "ünïcödé ✓", d: "", e: null, id: "3b5c3c87-c6c4-4894-a8d6-18ae4d0c77b6" }),
      JSON.stringify({ eventTime: "2025-07-30T06:18:22Z", long: "x".repeat(5000) }),
      '""',
      "{}",
    ];
    const refs = samples.map((s) => codec.encode(s));
    samples.forEach((s, i) => expect(codec.decode(refs[i]!.ref, refs[i]!.len)).toBe(s));
    // Repeated pieces are stored as dictionary codes, far smaller than the text.
    const rec = JSON.stringify({ eventVersion: "1.11", eventSource: "bedrock.amazonaws.com", userAgent: "aws-sdk-js/3.0 ".repeat(4) });
    codec.encode(rec);
    const second = codec.encode(rec);
    expect(second.len).toBeLessThan(rec.length / 5);
    expect(codec.decode(second.ref, second.len)).toBe(rec);
  });

  it("finds an event by EventId through the hash and confirms on the text", () => {
    const store = new EventStore();
    store.addMany(Array.from({ length: 100 }, (_, i) => ({ record: rec(1000 + i, `E${i}`) })));
    const hit = store.lookup("us-east-1", { startMs: 0, endMs: 10_000, limit: 5, attribute: { key: "EventId", value: "id-1042-E42" } });
    expect(hit.events.map((e) => e.name)).toEqual(["E42"]);
    expect(JSON.parse(store.json(hit.events[0]!)).eventID).toBe("id-1042-E42");
  });
});
