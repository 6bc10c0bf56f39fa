import "server-only";
import { headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { discover } from "./discovery";

/** The IdP's end_session_endpoint from discovery, or null when it has none or cannot be reached. */
async function endSessionEndpoint(issuer: string): Promise<string | null> {
  try {
    return (await discover(issuer)).end_session_endpoint;
  } catch (error) {
    // Signing out of the console never waits on the IdP: without it, only the console session ends.
    log().warn({ err: error }, "IdP discovery failed at sign-out; signing out of the console only");
    return null;
  }
}

/**
 * Where to send a person who signed in by SSO after the console session has ended: the IdP's
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) with their ID token as the hint and
 * the sign-in page as the way back. Null for local sign-ins or an IdP without end_session_endpoint.
 */
export async function idpLogoutUrl(): Promise<string | null> {
  const cfg = config();
  if (!cfg.OIDC_ISSUER || !cfg.OIDC_CLIENT_ID) return null;
  const token = await getToken({
    req: { headers: await headers() },
    secret: cfg.AUTH_SECRET,
    secureCookie: cfg.SECURE_COOKIES ?? (cfg.AUTH_URL?.startsWith("https://") ?? false),
  });
  const idToken = typeof token?.idt === "string" ? token.idt : null;
  if (!idToken) return null;
  const endpoint = await endSessionEndpoint(cfg.OIDC_ISSUER);
  if (!endpoint) return null;
  const url = new URL(endpoint);
  url.searchParams.set("id_token_hint", idToken);
  url.searchParams.set("client_id", cfg.OIDC_CLIENT_ID);
  if (cfg.AUTH_URL) url.searchParams.set("post_logout_redirect_uri", new URL("/signin", cfg.AUTH_URL).toString());
  return url.toString();
}
