/**
 * IPv4/IPv6 CIDR validation for the "allowed source IP ranges" restriction. Pure and free of
 * Node APIs, so the form can share it with the server action.
 *
 * A range with host bits set (10.0.0.1/8) is refused with the network it probably means, rather
 * than silently widened or narrowed: the admin should see exactly what the policy will allow.
 */

export type CidrResult =
  | { ok: true; cidr: string; version: 4 | 6 }
  | { ok: false; reason: "format" }
  | { ok: false; reason: "hostBits"; suggestion: string };

function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null; // no leading zeros: "010" is ambiguous (octal)
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** 16 bytes, or null. Accepts "::" compression and a trailing dotted IPv4 part. */
function parseIpv6(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const toWords = (list: string[], allowV4Last: boolean): number[] | null => {
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const g = list[i]!;
      if (allowV4Last && i === list.length - 1 && g.includes(".")) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const h = toWords(head, halves.length === 1);
  const t = toWords(tail, true);
  if (!h || !t) return null;
  const count = h.length + t.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...h, ...new Array<number>(8 - count).fill(0), ...t];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

function formatIpv4(bytes: number[]): string {
  return bytes.join(".");
}

/** RFC 5952 canonical text: lowercase, no leading zeros, longest zero run (≥ 2) as "::". */
function formatIpv6(bytes: number[]): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

function maskHostBits(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
    return bitsHere === 8 ? b : b & ((0xff << (8 - bitsHere)) & 0xff);
  });
}

/** Parse "a.b.c.d/n", "x:y::z/n", or a single address (taken as /32 or /128). */
export function parseCidr(input: string): CidrResult {
  const text = input.trim();
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  const v4 = parseIpv4(addr);
  const v6 = v4 ? null : parseIpv6(addr);
  if (!v4 && !v6) return { ok: false, reason: "format" };
  const bytes = (v4 ?? v6)!;
  const max = v4 ? 32 : 128;
  if (prefixText !== null && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return { ok: false, reason: "format" };
  const prefix = prefixText === null ? max : Number(prefixText);
  if (prefix > max) return { ok: false, reason: "format" };
  const network = maskHostBits(bytes, prefix);
  const format = v4 ? formatIpv4 : formatIpv6;
  const canonical = `${format(network)}/${prefix}`;
  if (network.some((b, i) => b !== bytes[i])) return { ok: false, reason: "hostBits", suggestion: canonical };
  return { ok: true, cidr: canonical, version: v4 ? 4 : 6 };
}
