import "server-only";
import { discover } from "./discovery";

/**
 * The origins a page's `form-action` must allow when SSO is on. A form whose answer redirects is
 * governed by `form-action` through the redirect too: the SSO button's POST is answered with a
 * redirect to the IdP's authorization endpoint, sign-out's with one to its end-session endpoint.
 * Those need not be at the issuer's origin — AWS Cognito's issuer is
 * `cognito-idp.<region>.amazonaws.com`, its hosted sign-in and logout pages are on
 * `<domain>.auth.<region>.amazoncognito.com` — so they are read from the discovery document.
 *
 * Pages never wait long on the IdP for them: only the first request waits, at most
 * FIRST_WAIT_MS; after that the answer in hand is used while a fresh one is fetched every
 * FRESH_MS. An IdP that cannot be reached leaves what was known (at first, the issuer's origin
 * alone) and is asked again after RETRY_MS.
 */
const FIRST_WAIT_MS = 1_500;
const FRESH_MS = 10 * 60_000;
const RETRY_MS = 60_000;

let known: { issuer: string; origins: string[]; until: number } | undefined;
let pending: Promise<void> | undefined;

export async function idpFormOrigins(issuer: string): Promise<string[]> {
  const issuerOrigin = originOf(issuer);
  if (!issuerOrigin) return [];
  const current = known?.issuer === issuer ? known : undefined;
  if (!current || Date.now() >= current.until) {
    pending ??= refresh(issuer, issuerOrigin).finally(() => {
      pending = undefined;
    });
    if (!current) await waitAtMost(pending, FIRST_WAIT_MS);
  }
  return known?.issuer === issuer ? known.origins : [issuerOrigin];
}

async function refresh(issuer: string, issuerOrigin: string): Promise<void> {
  try {
    const doc = await discover(issuer);
    const origins = new Set([issuerOrigin]);
    for (const endpoint of [doc.authorization_endpoint, doc.end_session_endpoint]) {
      const origin = originOf(endpoint);
      if (origin) origins.add(origin);
    }
    known = { issuer, origins: [...origins], until: Date.now() + FRESH_MS };
  } catch {
    const before = known?.issuer === issuer ? known.origins : [issuerOrigin];
    known = { issuer, origins: before, until: Date.now() + RETRY_MS };
  }
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function originOf(url: string | null | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

