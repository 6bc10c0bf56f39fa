import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { auth } from "./auth";
import { sessionIsOpen } from "./sessions";
import { isRole, type Role } from "./permissions";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  teamIds: string[];
  /** teams this user leads (meaningful for leads; admins act on every team anyway) */
  ledTeamIds: string[];
}

/**
 * The signed-in user, re-read from the database on every request (cached per request).
 * A deactivated user, a bumped session version, a signed-out (revoked) session, an unknown role or a
 * session older than the configured maximum all count as signed out.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
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
  };
});

/** For pages: the user, or a redirect to sign-in. */
/** The current session's id (for sign-out), or "" when there is none. */
export async function currentSessionId(): Promise<string> {
  return (await auth())?.sessionId ?? "";
}

export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return user;
}
