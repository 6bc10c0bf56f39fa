import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { QueueFilters } from "./schemas";
import { requestDecideScope } from "./scope";
import type { RequestActor } from "./types";
import { requestSelect, type RequestView, toRequestView } from "./view";

export const QUEUE_PAGE_SIZE = 25;

/** A status as shown: an approval past its pick-up time counts as expired before the job marks it. */
function statusWhere(status: QueueFilters["status"], now: Date): Prisma.KeyRequestWhereInput {
  switch (status) {
    case "all":
      return {};
    case "approved":
      return { status: "approved", pickupBy: { gt: now } };
    case "expired":
      return { OR: [{ status: "expired" }, { status: "approved", pickupBy: { lte: now } }] };
    default:
      return { status };
  }
}

/** "My requests": the person's own, newest first. */
export async function listMyRequests(db: PrismaClient, actor: RequestActor, now: Date, take = 100): Promise<RequestView[]> {
  const rows = await db.keyRequest.findMany({ where: { requesterId: actor.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select: requestSelect });
  return rows.map((r) => toRequestView(r, actor, now));
}

/** The approvals queue: requests the actor may decide (never their own), filtered and paged. */
export async function listQueue(db: PrismaClient, actor: RequestActor, filters: QueueFilters, now: Date) {
  const where: Prisma.KeyRequestWhereInput = {
    AND: [requestDecideScope(actor), { requesterId: { not: actor.id } }, statusWhere(filters.status, now), ...(filters.teamId ? [{ teamId: filters.teamId }] : [])],
  };
  const total = await db.keyRequest.count({ where });
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const rows = await db.keyRequest.findMany({
    where,
    // Oldest pending first: the queue is worked through in the order people asked.
    orderBy: filters.status === "pending" ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * QUEUE_PAGE_SIZE,
    take: QUEUE_PAGE_SIZE,
    select: requestSelect,
  });
  return { total, page, pages, rows: rows.map((r) => toRequestView(r, actor, now)) };
}

/** Pending requests waiting for this person's decision (the tab badge and the home page). */
export function pendingForDecider(db: PrismaClient, actor: RequestActor): Promise<number> {
  return db.keyRequest.count({ where: { AND: [requestDecideScope(actor), { requesterId: { not: actor.id } }, { status: "pending" }] } });
}

/** Teams the queue can be filtered by: every team for admins, the led teams for leads. */
export function queueTeams(db: PrismaClient, actor: RequestActor) {
  return db.team.findMany({
    where: actor.role === "admin" ? {} : { id: { in: actor.ledTeamIds } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
