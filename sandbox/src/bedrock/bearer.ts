/**
 * Bearer-token authentication for Bedrock runtime: long-term keys (`ABSK…`, IAM service-specific
 * credentials, checked by the core) and short-term keys (`bedrock-api-key-…`, presigned SigV4
 * URLs checked here against the signer's secret).
 *
 * Failures use AWS's two messages: a token that has run out says "Bearer Token has expired";
 * everything else (unknown, malformed, tampered, disabled, deleted, reset, long-term expired,
 * wrong region) says "Authentication failed: Please make sure your API Key is valid." — AWS does
 * not tell an attacker which of these it was.
 */
import { type Principal, authenticateBedrockApiKey, lookupAccessKey } from "../iam/credentials.js";
import { sha256Hex } from "../iam/ids.js";
import { type SandboxState, userKey } from "../state.js";
import { parseShortTermToken, SHORT_TERM_PREFIX, type ShortTermToken, tokenExpiresAt, verifyShortTermSignature } from "./short-term-token.js";

export const INVALID_KEY_MESSAGE = "Authentication failed: Please make sure your API Key is valid.";
export const EXPIRED_TOKEN_MESSAGE = "Bearer Token has expired";

export type BearerTokenType = "LONG_TERM" | "SHORT_TERM";

/** Who made a runtime call: the owner of an API key, or the signer of a SigV4 request. */
export interface RuntimeCaller {
  /** The kind of API key; absent for SigV4-signed calls. */
  tokenType?: BearerTokenType;
  principal: Principal;
  /** Short-term keys and SigV4: the access key that signed. */
  accessKeyId?: string;
  /** Short-term keys: X-Amz-Date, when the token was made. */
  tokenIssuedAt?: Date;
}

/** A caller that used a (valid, or genuine but unusable) API key. */
export type BearerCaller = RuntimeCaller & { tokenType: BearerTokenType };

export type BearerAuth =
  | { ok: true; caller: BearerCaller }
  | {
      ok: false;
      message: string;
      /**
       * Set when the key is genuine (its secret or signature checks out) but unusable: disabled,
       * expired. Such calls are attributed and recorded; forged or unknown keys are not, because
       * nothing in them can be trusted to name a principal.
       */
      caller?: BearerCaller;
    };

const invalid = (caller?: BearerCaller): BearerAuth => ({ ok: false, message: INVALID_KEY_MESSAGE, ...(caller ? { caller } : {}) });

export async function authenticateBearer(state: SandboxState, token: string, region: string, now: Date): Promise<BearerAuth> {
  if (token.startsWith("ABSK")) return authenticateLongTerm(state, token, now);
  if (token.startsWith(SHORT_TERM_PREFIX)) return authenticateShortTerm(state, token, region, now);
  return invalid();
}

function authenticateLongTerm(state: SandboxState, token: string, now: Date): BearerAuth {
  const auth = authenticateBedrockApiKey(state, token, now);
  if (auth.ok) {
    return {
      ok: true,
      caller: { tokenType: "LONG_TERM", principal: { type: "user", userName: auth.userName, arn: auth.userArn, userId: auth.userId } },
    };
  }
  if (auth.reason !== "inactive" && auth.reason !== "expired") return invalid();
  // The secret matched a stored credential: the core keeps credential id by secret hash.
  const id = state.secretIndex.get(sha256Hex(token));
  const cred = id ? state.serviceCredentials.get(id) : undefined;
  const user = cred ? state.users.get(userKey(cred.userName)) : undefined;
  return invalid(
    user
      ? { tokenType: "LONG_TERM", principal: { type: "user", userName: user.userName, arn: user.arn, userId: user.userId } }
      : undefined,
  );
}

// Tokens are remembered once parsed, with the signer secret that verified them, so a client
// reusing one token (the normal case: tokens live for hours) costs a map lookup after the first
// call. The secret is compared each time, so a deactivated, deleted or rotated signing key is
// still noticed at once.
const TOKEN_CACHE = "bedrock.shortTermTokens";
const TOKEN_CACHE_LIMIT = 10_000;

interface CachedToken {
  token: ShortTermToken;
  /** secret + session token that produced the signature; unset until verified. */
  verifiedWith?: string;
}

function tokenCache(state: SandboxState): Map<string, CachedToken> {
  let cache = state.extensions[TOKEN_CACHE] as Map<string, CachedToken> | undefined;
  if (!cache) {
    cache = new Map();
    state.extensions[TOKEN_CACHE] = cache;
  }
  return cache;
}

async function authenticateShortTerm(state: SandboxState, raw: string, region: string, now: Date): Promise<BearerAuth> {
  const cache = tokenCache(state);
  let entry = cache.get(raw);
  if (!entry) {
    const parsed = parseShortTermToken(raw);
    if (!parsed || parsed.service !== "bedrock") return invalid();
    if (cache.size >= TOKEN_CACHE_LIMIT) cache.clear();
    entry = { token: parsed };
    cache.set(raw, entry);
  }
  const t = entry.token;
  const signer = lookupAccessKey(state, t.accessKeyId);
  if (!signer) return invalid();
  const fingerprint = `${signer.secretAccessKey}\n${signer.sessionToken ?? ""}`;
  if (entry.verifiedWith !== fingerprint) {
    if (!(await verifyShortTermSignature(t, signer))) return invalid();
    entry.verifiedWith = fingerprint;
  }
  const caller: BearerCaller = { tokenType: "SHORT_TERM", principal: signer.principal, accessKeyId: t.accessKeyId, tokenIssuedAt: t.signedAt };
  // A token is only good in the region it was made for.
  if (t.region !== region) return invalid();
  // Valid for min(its own expiry, the signing credentials' lifetime).
  const expired = now.getTime() >= tokenExpiresAt(t).getTime() || (signer.expiration !== undefined && now.getTime() >= signer.expiration.getTime());
  if (expired) return { ok: false, message: EXPIRED_TOKEN_MESSAGE, caller };
  // No "not yet valid" check: the sandbox clock is often moved into the past (backdated
  // traffic) while clients sign with real time, and AWS's own skew rule would refuse them all.
  return { ok: true, caller };
}
