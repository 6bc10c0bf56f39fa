import "server-only";
import { headers } from "next/headers";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Client IP and user agent of the current request. `next start` fills X-Forwarded-For with the
 * socket address when absent; behind a reverse proxy the right-most entry is the one the nearest
 * proxy appended, which a client cannot forge.
 */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return metaFromHeaders(h);
}

export function metaFromHeaders(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for");
  const ip = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop() ?? h.get("x-real-ip") ?? null;
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: h.get("user-agent")?.slice(0, 400) ?? null };
}
