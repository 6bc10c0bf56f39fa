import { describe, expect, it } from "vitest";
import { parseCidr } from "./cidr";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", "10.0.0.0/8", 4],
    [" 192.168.1.0/24 ", "192.168.1.0/24", 4],
    ["203.0.113.7", "203.0.113.7/32", 4],
    ["0.0.0.0/0", "0.0.0.0/0", 4],
    ["2001:db8::/32", "2001:db8::/32", 6],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128", 6],
    ["::/0", "::/0", 6],
    ["::1", "::1/128", 6],
    ["::ffff:192.0.2.0/120", "::ffff:c000:200/120", 6],
    ["fe80:0:0:1::/64", "fe80:0:0:1::/64", 6],
  ])("accepts %s as %s", (input, cidr, version) => {
    expect(parseCidr(input)).toEqual({ ok: true, cidr, version });
  });

  it.each(["", "10.0.0/8", "256.0.0.0/8", "10.0.0.0/33", "010.0.0.0/8", "10.0.0.0/", "10.0.0.0/08", "2001:db8::/129", "2001:::1/64", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "g::/16", "10.0.0.0/8/8", "example.com/24"])(
    "refuses %j",
    (input) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: "format" });
    },
  );

  it("refuses host bits and suggests the network", () => {
    expect(parseCidr("10.0.0.1/8")).toEqual({ ok: false, reason: "hostBits", suggestion: "10.0.0.0/8" });
    expect(parseCidr("192.168.1.77/25")).toEqual({ ok: false, reason: "hostBits", suggestion: "192.168.1.0/25" });
    expect(parseCidr("2001:db8::1/32")).toEqual({ ok: false, reason: "hostBits", suggestion: "2001:db8::/32" });
  });
});
