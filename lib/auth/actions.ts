"use server";

import { appendAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { redirect } from "next/navigation";
import { idpLogoutUrl } from "@/lib/sso/logout";
import { signOut } from "./auth";
import { revokeAllSessions, revokeSession } from "./sessions";
import { currentSessionId, sessionUser } from "./session";

/**
 * Sign out and audit it. Anyone may sign themself out, so there is no permission gate. The
 * session's row is revoked, so a copy of the cookie stops working too (not only this browser's).
 */
export async function signOutAction(): Promise<void> {
  const user = await sessionUser();
  // Read before the cookie is cleared: a person who came through SSO is also signed out at the IdP.
  const idpLogout = user ? await idpLogoutUrl() : null;
  if (user) {
    await revokeSession(db(), await currentSessionId(), new Date());
    await auditOwnSession(user, "auth.sign_out", idpLogout ? { idpLogout: true } : {});
  }
  if (!idpLogout) await signOut({ redirectTo: "/signin" });
  await signOut({ redirect: false });
  redirect(idpLogout!);
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
  const user = await sessionUser();
  if (user) {
    const sessions = await revokeAllSessions(db(), user.id, new Date());
    await auditOwnSession(user, "auth.sign_out_everywhere", { sessions });
  }
  await signOut({ redirectTo: "/signin" });
}
