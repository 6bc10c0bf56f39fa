import "server-only";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { discover } from "./discovery";

// Asymmetric algorithms only: an HS* token would be "signed" with the client secret, and "none" is never accepted.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Auth.js (oauth4webapi) checks the ID token's claims but not its signature, as OpenID Connect
 * allows for a token received straight from the token endpoint over TLS. The console verifies the
 * signature too, against the IdP's published keys, so a token altered on the way (or by a proxy
 * or a plain-http IdP) is refused. Throws when the token does not verify.
 */
export async function verifyIdToken(idToken: string, expected: { issuer: string; clientId: string }): Promise<void> {
  const { jwks_uri } = await discover(expected.issuer);
  if (!jwks_uri) throw new Error("ID token signature cannot be verified: the IdP publishes no jwks_uri");
  let keys = keySets.get(jwks_uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwks_uri));
    keySets.set(jwks_uri, keys);
  }
  await jwtVerify(idToken, keys, { issuer: expected.issuer, audience: expected.clientId, algorithms: ALGORITHMS, clockTolerance: 30 });
}
