import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type NotificationParams, parseParams } from "./kinds";

export interface InboxItem {
  id: string;
  kind: string;
  params: NotificationParams;
  href: string | null;
  read: boolean;
  createdAt: string;
}

export const INBOX_SIZE = 20;

/** The bell's content: the newest notifications of this person (never anyone else's) and the unread count. */
export async function loadInbox(db: PrismaClient, userId: string, take = INBOX_SIZE): Promise<{ unread: number; items: InboxItem[] }> {
  const [unread, rows] = await Promise.all([
    db.notification.count({ where: { userId, readAt: null } }),
    db.notification.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, kind: true, params: true, href: true, readAt: true, createdAt: true },
    }),
  ]);
  return {
    unread,
    items: rows.map((r) => ({ id: r.id, kind: r.kind, params: parseParams(r.params), href: r.href, read: r.readAt !== null, createdAt: r.createdAt.toISOString() })),
  };
}

/** Mark some (ids) or all of a person's notifications read. The user id is in the condition, so ids of others' notifications do nothing. */
export async function markRead(db: PrismaClient, userId: string, ids: readonly string[] | "all", now: Date): Promise<number> {
  const { count } = await db.notification.updateMany({
    where: { userId, readAt: null, ...(ids === "all" ? {} : { id: { in: [...ids] } }) },
    data: { readAt: now },
  });
  return count;
}
