import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may not go: the console's own network. Without this, whoever may set the
 * webhook URL (or plant a DNS name that later points inward) makes the server POST to loopback
 * services, cloud metadata (169.254.169.254, fd00:ec2::254), or anything on the private network —
 * and reads the answers' status codes from the delivery log.
 */
const forbidden = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network", incl. the unspecified 0.0.0.0
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT (shared address space)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. the instance metadata service
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
] as const) {
  forbidden.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated, still routed internally by some)
  ["fc00::", 7], // unique local, incl. fd00:ec2::254 (the metadata service over IPv6)
  ["ff00::", 8], // multicast
] as const) {
  forbidden.addSubnet(net, bits, "ipv6");
}

/** IPv4 embedded in NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses, which reach it. (IPv4-mapped ::ffff:0:0/96 BlockList checks itself.) */
function embeddedIpv4(v6: string): string | null {
  const groups = expandIpv6(v6);
  if (!groups) return null;
  const toV4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return toV4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return toV4(groups[1]!, groups[2]!);
  return null;
}

function expandIpv6(v6: string): number[] | null {
  let text = v6;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(Math.max(0, fill)).fill("0"), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** True for an address a webhook must not connect to (see the list above). Not an IP at all: true. */
export function isForbiddenAddress(address: string): boolean {
  const ip = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const family = isIP(ip);
  if (family === 4) return forbidden.check(ip, "ipv4");
  if (family === 6) {
    if (forbidden.check(ip, "ipv6")) return true;
    const v4 = embeddedIpv4(ip);
    return v4 !== null && forbidden.check(v4, "ipv4");
  }
  return true;
}

/** The URL's host as the allow-list compares it: lower case, IPv4 shorthand normalised, IPv6 without brackets. */
export function hostKey(hostname: string): string {
  const h = hostname.toLowerCase();
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/** WEBHOOK_ALLOWED_HOSTS entries, normalised the way a URL normalises its host (127.1 → 127.0.0.1). */
export function normaliseAllowedHost(entry: string): string | null {
  const trimmed = entry.trim();
  if (!trimmed) return null;
  const bracketed = isIP(trimmed) === 6 ? `[${trimmed}]` : trimmed;
  try {
    const url = new URL(`http://${bracketed}/`);
    return url.port || url.pathname !== "/" ? null : hostKey(url.hostname);
  } catch {
    return null;
  }
}
