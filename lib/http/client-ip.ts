import { BlockList, isIP } from "node:net";

/**
 * Which client address to believe. A client can put anything in X-Forwarded-For; only the hops
 * that the operator's own proxies appended are trustworthy. Without TRUSTED_PROXIES the console
 * uses the TCP peer's address (its own server records it, see server.mjs) and ignores the header.
 *
 * TRUSTED_PROXIES is either a hop count ("1": one proxy — a load balancer — sits in front, so the
 * client is the address it appended) or a list of addresses/CIDRs of the proxies ("10.0.0.0/8,
 * 127.0.0.1"): walking the chain from the right, the first address that is not a trusted proxy is
 * the client.
 */
export type TrustedProxies = { kind: "hops"; hops: number } | { kind: "cidrs"; list: BlockList; text: string[] };

/** Parses the setting; null when it is not valid (the config schema reports that). */
export function parseTrustedProxies(raw: string): TrustedProxies | null {
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 0 && hops <= 10 ? { kind: "hops", hops } : null;
  }
  const list = new BlockList();
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return null;
  for (const part of parts) {
    const [address, prefix, extra] = part.split("/");
    const family = isIP(address ?? "");
    if (!address || !family || extra !== undefined) return null;
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32)) return null;
      list.addSubnet(address, bits, type);
    }
  }
  return { kind: "cidrs", list, text: parts };
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; anything that is not an IP address → null. */
export function normaliseIp(value: string | null | undefined): string | null {
  if (!value) return null;
  let v = value.trim();
  if (v.startsWith("[") && v.endsWith("]")) v = v.slice(1, -1);
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(v)) v = v.slice(7);
  return isIP(v) ? v : null;
}

function isTrusted(ip: string, trusted: Extract<TrustedProxies, { kind: "cidrs" }>): boolean {
  return trusted.list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address from the TCP peer and the X-Forwarded-For header, believing only trusted
 * hops. Returns null when the peer is unknown (the console was not started through server.mjs).
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | null, trusted: TrustedProxies | null): string | null {
  const socket = normaliseIp(peer);
  if (!socket) return null;
  if (!trusted) return socket;
  const hops = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const chain = [...hops, socket];
  if (trusted.kind === "hops") {
    // The last `hops` entries were appended by our proxies; the one before them is the client's.
    const candidate = chain[Math.max(0, chain.length - 1 - trusted.hops)];
    return normaliseIp(candidate) ?? socket;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = normaliseIp(chain[i]);
    // A garbled entry is where trust ends: the hop to its right appended it, so that hop is the client.
    if (!ip) return normaliseIp(chain[i + 1]) ?? socket;
    if (!isTrusted(ip, trusted)) return ip;
  }
  return normaliseIp(chain[0]) ?? socket;
}
