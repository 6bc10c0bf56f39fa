"use server";

import { appendAudit } from "@/lib/audit/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { signOut } from "./auth";
import { revokeAllSessions, revokeSession } from "./sessions";
import { currentSessionId, currentUser } from "./session";

/**
 * Sign out and audit it. Anyone may sign themself out, so there is no permission gate. The
 * session's row is revoked, so a copy of the cookie stops working too (not only this browser's).
 */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  let idpLogout: string | null = null;
  if (user) {
    await revokeSession(db(), await currentSessionId(), new Date());
    // Signed in through the IdP (no password here): also end the session there, when the IdP
    // offers RP-initiated logout — otherwise the next "Sign in with …" would be silent.
    const row = await db().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
    if (row?.passwordHash === "") idpLogout = await idpLogoutUrl();
    await auditOwnSession(user, "auth.sign_out", idpLogout ? { idpLogout: true } : {});
  }
  await signOut({ redirectTo: idpLogout ?? "/signin" });
}

/** The IdP's end_session_endpoint with this client and the sign-in page to come back to, or null. */
async function idpLogoutUrl(): Promise<string | null> {
  const cfg = config();
  if (!cfg.OIDC_ISSUER || !cfg.OIDC_CLIENT_ID) return null;
  try {
    const res = await fetch(`${cfg.OIDC_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3_000) });
    const endpoint = res.ok ? ((await res.json()) as { end_session_endpoint?: unknown }).end_session_endpoint : undefined;
    if (typeof endpoint !== "string") return null;
    const url = new URL(endpoint);
    url.searchParams.set("client_id", cfg.OIDC_CLIENT_ID);
    if (cfg.AUTH_URL) url.searchParams.set("post_logout_redirect_uri", new URL("/signin", cfg.AUTH_URL).toString());
    return url.toString();
  } catch {
    return null; // the IdP is down: signed out here at least
  }
}

/** The audit entry of a person ending their own session(s): actor and target are the same user. */
async function auditOwnSession(user: { id: string; email: string }, action: string, details: Record<string, unknown>) {
  await appendAudit(db(), {
    action,
    result: "success",
    actorId: user.id,
    actorEmail: user.email,
    targetType: "user",
    targetId: user.id,
    targetLabel: user.email,
    details,
    ...(await requestMeta()),
  });
}

/** Ends every session of the signed-in user, on every device (e.g. after a laptop was lost). */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await currentUser();
  if (user) {
    const sessions = await revokeAllSessions(db(), user.id, new Date());
    await auditOwnSession(user, "auth.sign_out_everywhere", { sessions });
  }
  await signOut({ redirectTo: "/signin" });
}
