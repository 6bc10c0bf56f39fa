import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Display names of the console users among these emails, so audit sentences say "Ada" where the
 * console knows the person (the log itself keeps the email it recorded). One query per page.
 */
export async function peopleNames(db: Pick<PrismaClient, "user">, emails: Iterable<string | null | undefined>): Promise<Record<string, string>> {
  const wanted = [...new Set([...emails].filter((e): e is string => Boolean(e) && e!.includes("@")))];
  if (wanted.length === 0) return {};
  const users = await db.user.findMany({ where: { email: { in: wanted } }, select: { email: true, name: true } });
  return Object.fromEntries(users.map((u) => [u.email, u.name]));
}

/** Emails an entry's sentence may name: the actor, and the owner / requester in its details. */
export function emailsIn(entry: { actorEmail: string | null; details: string }): string[] {
  const found = [entry.actorEmail ?? ""];
  for (const m of entry.details.matchAll(/"(?:ownerEmail|requester)":"([^"]+)"/g)) found.push(m[1]!);
  return found.filter(Boolean);
}
