import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Sessions are JWT cookies, so a copied cookie would keep working until it expires unless the
 * server remembers which sessions have ended. Each sign-in gets a UserSession row (its id is in the
 * cookie); signing out revokes that row, and "sign out everywhere" bumps the user's session version,
 * which ends every session at once. Rows are only made by a successful sign-in (never by anonymous
 * traffic), and a user's expired rows are deleted at their next sign-in.
 */
export async function openSession(db: PrismaClient, userId: string, now: Date, maxAgeHours: number): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  await db.userSession.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  await db.userSession.create({ data: { id, userId, createdAt: now, expiresAt: new Date(now.getTime() + maxAgeHours * 3_600_000) } });
  return id;
}

/** Whether the cookie's session is still open: it exists, is the user's, not revoked, not expired. */
export async function sessionIsOpen(db: PrismaClient, sessionId: string, userId: string, now: Date): Promise<boolean> {
  if (!sessionId) return false;
  const row = await db.userSession.findUnique({ where: { id: sessionId }, select: { userId: true, revokedAt: true, expiresAt: true } });
  return !!row && row.userId === userId && row.revokedAt === null && row.expiresAt > now;
}

/** Ends one session (sign-out). Returns whether it was open. */
export async function revokeSession(db: PrismaClient, sessionId: string, now: Date): Promise<boolean> {
  if (!sessionId) return false;
  const { count } = await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/** Ends every session of a user (sign out everywhere): the version bump refuses every older cookie. */
export async function revokeAllSessions(db: PrismaClient, userId: string, now: Date): Promise<number> {
  const [, revoked] = await db.$transaction([
    db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } }),
    db.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } }),
  ]);
  return revoked.count;
}
