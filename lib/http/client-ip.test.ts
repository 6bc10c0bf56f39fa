import { describe, expect, it } from "vitest";
import { normaliseIp, parseTrustedProxies, resolveClientIp } from "./client-ip";

const cidrs = (s: string) => parseTrustedProxies(s)!;

describe("resolveClientIp", () => {
  it("without TRUSTED_PROXIES, ignores X-Forwarded-For entirely: a client cannot choose its address", () => {
    expect(resolveClientIp("203.0.113.5", "1.2.3.4", null)).toBe("203.0.113.5");
    expect(resolveClientIp("203.0.113.5", "1.2.3.4, 5.6.7.8", null)).toBe("203.0.113.5");
    expect(resolveClientIp("::ffff:203.0.113.5", null, null)).toBe("203.0.113.5");
    // Rotating the header never changes the address the per-IP limit counts.
    const seen = new Set(Array.from({ length: 50 }, (_, i) => resolveClientIp("198.51.100.9", `10.0.${i}.1`, null)));
    expect([...seen]).toEqual(["198.51.100.9"]);
  });

  it("with a hop count, takes the address the last trusted proxy appended", () => {
    const one = cidrs("1");
    // client → LB (appends client) → console: the LB is the peer.
    expect(resolveClientIp("10.0.0.2", "198.51.100.7", one)).toBe("198.51.100.7");
    // A forged entry before the LB's own is not believed.
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.7", one)).toBe("198.51.100.7");
    // Nothing appended (a request straight to the console): the peer.
    expect(resolveClientIp("198.51.100.8", null, one)).toBe("198.51.100.8");
    expect(resolveClientIp("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2", cidrs("2"))).toBe("198.51.100.7");
  });

  it("with proxy CIDRs, walks from the right to the first untrusted address", () => {
    const trusted = cidrs("10.0.0.0/8, 127.0.0.1, ::1");
    expect(resolveClientIp("127.0.0.1", "198.51.100.7, 10.1.2.3", trusted)).toBe("198.51.100.7");
    expect(resolveClientIp("::1", "6.6.6.6, 198.51.100.7", trusted)).toBe("198.51.100.7");
    // An untrusted peer sending the header itself: the header is not believed.
    expect(resolveClientIp("203.0.113.50", "1.1.1.1", trusted)).toBe("203.0.113.50");
    // Garbage in the chain stops the walk at the hop that appended it.
    expect(resolveClientIp("127.0.0.1", "not-an-ip", trusted)).toBe("127.0.0.1");
    // All trusted: the left-most.
    expect(resolveClientIp("127.0.0.1", "10.0.0.9", trusted)).toBe("10.0.0.9");
  });

  it("knows no address when the server did not record the peer", () => {
    expect(resolveClientIp(null, "1.2.3.4", null)).toBeNull();
    expect(resolveClientIp("", "1.2.3.4", cidrs("1"))).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("accepts hop counts and address/CIDR lists, refuses anything else", () => {
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parseTrustedProxies("10.0.0.0/8,fd00::/8, 192.0.2.1")?.kind).toBe("cidrs");
    for (const bad of ["", "11", "10.0.0.0/33", "example.com", "10.0.0.0/8/1", "10.0.0.0/x", "::1/129"]) expect(parseTrustedProxies(bad), bad).toBeNull();
  });

  it("normalises addresses", () => {
    expect(normaliseIp("[::1]")).toBe("::1");
    expect(normaliseIp("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    expect(normaliseIp("1.2.3.4:5678")).toBeNull();
  });
});
