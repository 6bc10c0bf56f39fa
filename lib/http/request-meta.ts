import "server-only";
import { headers } from "next/headers";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { parseTrustedProxies, resolveClientIp, type TrustedProxies } from "./client-ip";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * The header in which the console's own server (server.mjs) passes the TCP peer's address to the
 * app. It overwrites whatever a client sent under that name, so it cannot be forged; Next itself
 * exposes no socket address to actions or route handlers, and only fills X-Forwarded-For with it
 * when the client sent none (so the header alone cannot tell a client's value from the socket's).
 */
export const PEER_HEADER = "x-console-peer-address";

/** Client IP (see lib/http/client-ip.ts for which hops are believed) and user agent of this request. */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return metaFromHeaders(h);
}

let trustedCache: { raw: string | undefined; parsed: TrustedProxies | null } | undefined;
let warnedNoPeer = false;

export function metaFromHeaders(h: Headers): RequestMeta {
  const raw = config().TRUSTED_PROXIES;
  if (!trustedCache || trustedCache.raw !== raw) trustedCache = { raw, parsed: raw ? parseTrustedProxies(raw) : null };
  const peer = h.get(PEER_HEADER);
  if (!peer && !warnedNoPeer) {
    warnedNoPeer = true;
    log().warn("no peer address on requests: start the console with `npm start` (server.mjs), not `next start`; client IPs are recorded as unknown");
  }
  const ip = resolveClientIp(peer, h.get("x-forwarded-for"), trustedCache.parsed);
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: h.get("user-agent")?.slice(0, 400) ?? null };
}
