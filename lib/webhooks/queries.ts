import type { PrismaClient } from "@/lib/generated/prisma/client";
import { webhookHost } from "./schema";

export const DELIVERY_PAGE_SIZE = 20;

export interface DeliveryItem {
  id: string;
  event: string;
  host: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  attemptLog: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

/** The delivery log (admins): newest first, each with its attempts. Hosts only: URLs may hold tokens. */
export async function listDeliveries(db: PrismaClient, page: number) {
  const total = await db.webhookDelivery.count();
  const pages = Math.max(1, Math.ceil(total / DELIVERY_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db.webhookDelivery.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * DELIVERY_PAGE_SIZE,
    take: DELIVERY_PAGE_SIZE,
    select: {
      id: true,
      event: true,
      url: true,
      status: true,
      attempts: true,
      lastStatus: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      nextAttemptAt: true,
      attemptLog: { orderBy: { attemptedAt: "asc" }, select: { attemptedAt: true, status: true, error: true, durationMs: true } },
    },
  });
  const items: DeliveryItem[] = rows.map((r) => ({
    id: r.id,
    event: r.event,
    host: webhookHost(r.url),
    status: r.status as DeliveryItem["status"],
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: r.status === "pending" ? r.nextAttemptAt.toISOString() : null,
    attemptLog: r.attemptLog.map((a) => ({ at: a.attemptedAt.toISOString(), status: a.status, error: a.error, durationMs: a.durationMs })),
  }));
  return { total, page: current, pages, items };
}
