import "server-only";

export interface Discovery {
  authorization_endpoint: string | null;
  jwks_uri: string | null;
  end_session_endpoint: string | null;
}

let cached: { issuer: string; at: number; doc: Discovery } | undefined;
const CACHE_MS = 10 * 60_000;
const url = (v: unknown) => (typeof v === "string" && /^https?:\/\//.test(v) ? v : null);

/** The IdP's discovery document (the parts the console uses beyond Auth.js), cached for 10 minutes. Throws when unreachable. */
export async function discover(issuer: string): Promise<Discovery> {
  if (cached && cached.issuer === issuer && Date.now() - cached.at < CACHE_MS) return cached.doc;
  const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const raw = (await res.json()) as Record<string, unknown>;
  const doc = { authorization_endpoint: url(raw.authorization_endpoint), jwks_uri: url(raw.jwks_uri), end_session_endpoint: url(raw.end_session_endpoint) };
  cached = { issuer, at: Date.now(), doc };
  return doc;
}
