import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { ActionError } from "@/lib/actions/errors";
import type { KeyActor } from "@/lib/keys/types";

/**
 * Which findings a person sees: admins all; leads those of keys in teams they lead (IAM users
 * without a console key, such as orphans, have no team and are admin-only); nobody else any.
 * Applied in every query and lookup by id, so a finding outside the scope is "not found".
 */
export function findingScope(actor: Pick<KeyActor, "role" | "ledTeamIds">): Prisma.PostureFindingWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "lead") return { teamId: { in: actor.ledTeamIds } };
  return { id: { in: [] } };
}

export const findingSelect = {
  id: true,
  rule: true,
  severity: true,
  fingerprint: true,
  accountId: true,
  apiKeyId: true,
  iamUserName: true,
  teamId: true,
  label: true,
  detail: true,
  firstSeenAt: true,
  lastSeenAt: true,
} as const satisfies Prisma.PostureFindingSelect;

export type FindingRow = Prisma.PostureFindingGetPayload<{ select: typeof findingSelect }>;

export async function findFindingInScope(db: PrismaClient, actor: Pick<KeyActor, "role" | "ledTeamIds">, findingId: string): Promise<FindingRow> {
  const row = await db.postureFinding.findFirst({ where: { AND: [{ id: findingId }, findingScope(actor)] }, select: findingSelect });
  if (!row) throw new ActionError("notFound");
  return row;
}

export function parseDetail(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
