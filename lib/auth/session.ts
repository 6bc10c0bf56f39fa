import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { auth } from "./auth";
import { sessionIsOpen } from "./sessions";
import { isRole, type Role } from "./permissions";
import { mustEnrol } from "@/lib/mfa/policy";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  teamIds: string[];
  /** teams this user leads (meaningful for leads; admins act on every team anyway) */
  ledTeamIds: string[];
  /** signed in through the identity provider (its second factor is the IdP's business) */
  viaSso: boolean;
  /** two-step sign-in is required of this password session and not set up yet (MFA_REQUIRED_FOR) */
  mfaEnrolmentDue: boolean;
}

/**
 * The signed-in user, re-read from the database on every request (cached per request).
 * A deactivated user, a bumped session version, a signed-out (revoked) session, an unknown role or a
 * session older than the configured maximum all count as signed out.
 */
const loadSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!session || !id) return null;
  const maxAgeSeconds = config().SESSION_MAX_AGE_HOURS * 3600;
  if (!session.signedInAt || Date.now() / 1000 - session.signedInAt > maxAgeSeconds) return null;
  const user = await db().user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      locale: true,
      active: true,
      sessionVersion: true,
      mfaEnabledAt: true,
      memberships: { select: { teamId: true, isLead: true } },
    },
  });
  if (!user || !user.active || user.sessionVersion !== session.sessionVersion || !isRole(user.role)) return null;
  // Signed out (this session) or signed out everywhere: the cookie alone is not enough.
  if (!(await sessionIsOpen(db(), session.sessionId, user.id, new Date()))) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    teamIds: user.memberships.map((m) => m.teamId),
    ledTeamIds: user.memberships.filter((m) => m.isLead).map((m) => m.teamId),
    viaSso: session.sso === true,
    mfaEnrolmentDue: mustEnrol(user, session.sso === true, config().MFA_REQUIRED_FOR),
  };
});

/**
 * The signed-in user, or null. Someone who must set up two-step sign-in first (MFA_REQUIRED_FOR)
 * counts as signed out everywhere but the set-up page and its actions: until then their password
 * alone opens nothing.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const user = await loadSessionUser();
  return user && !user.mfaEnrolmentDue ? user : null;
});

/** The signed-in user even while two-step set-up is due (the set-up page, actions, the sign-in page). */
export const sessionUser = loadSessionUser;

/** For pages: the user, or a redirect to sign-in. */
/** The current session's id (for sign-out), or "" when there is none. */
export async function currentSessionId(): Promise<string> {
  return (await auth())?.sessionId ?? "";
}

export async function requireUser(): Promise<SessionUser> {
  const user = await loadSessionUser();
  if (!user) redirect("/signin");
  if (user.mfaEnrolmentDue) redirect("/signin/two-step");
  return user;
}
