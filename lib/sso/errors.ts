import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Auth.js turns every callback failure it does not consider "client safe" into one code
 * (error=Configuration) before redirecting to the error page, so the page could not tell a forged
 * state from an IdP that is down. Its logger sees the real error first: the route handler runs each
 * request in this store, the logger records the error into it, and the route maps it to a reason.
 */
export const authErrorStore = new AsyncLocalStorage<{ errors: unknown[] }>();

export function recordAuthError(error: unknown) {
  authErrorStore.getStore()?.errors.push(error);
}

/** The reasons the error page explains (message keys under ssoError.*). */
export const SSO_ERROR_REASONS = ["check", "rejected", "invalid_token", "unreachable", "failed"] as const;
export type SsoErrorReason = (typeof SSO_ERROR_REASONS)[number];

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = error;
  for (let i = 0; e && i < 8; i++) {
    out.push(e);
    const c = (e as { cause?: unknown }).cause;
    // Auth.js wraps causes as { err, ... }.
    e = c && typeof c === "object" && "err" in c ? (c as { err: unknown }).err : c;
  }
  return out;
}

const type = (e: unknown) => (e && typeof e === "object" && "type" in e ? String((e as { type: unknown }).type) : "");
const text = (e: unknown) => (e instanceof Error ? `${e.name} ${e.message} ${(e as { code?: string }).code ?? ""}` : "");

/** Which of the fixed reasons an Auth.js error stands for; the Auth.js type is kept for the audit. */
export function classifyAuthError(error: unknown): { reason: SsoErrorReason; errorType: string } {
  const errors = chain(error);
  const errorType = type(error) || "unknown";
  const all = errors.map(text).join(" ");
  // The IdP could not be reached at all (discovery, token endpoint, JWKS).
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|UND_ERR|AbortError|TimeoutError/i.test(all)) return { reason: "unreachable", errorType };
  // Auth.js's own cookie checks, and oauth4webapi's comparison of state / nonce / PKCE with what
  // this browser's sign-in stored: a forged, replayed or crossed callback.
  if (errors.some((e) => type(e) === "InvalidCheck") || /"state"|"nonce"|code_verifier|pkce/i.test(all)) return { reason: "check", errorType };
  // The IdP answered with an OAuth error: at the callback (access_denied) or at the token endpoint
  // (oauth4webapi's ResponseBodyError, e.g. invalid_grant for a code that was already used).
  if (errors.some((e) => type(e) === "OAuthCallbackError") || /ResponseBodyError|server responded with an error|invalid_grant/i.test(all)) return { reason: "rejected", errorType };
  // oauth4webapi's validation of the token response and ID token (signature, alg, iss, aud, exp, nonce).
  if (/JWT|JWS|JWK|id_token|"iss"|"aud"|"exp"|signature|alg|claim|OperationProcessingError|unexpected JWT/i.test(all)) return { reason: "invalid_token", errorType };
  return { reason: "failed", errorType };
}
