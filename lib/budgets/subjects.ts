import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sourceIdentityFor } from "@/lib/shortterm/identity";
import { teamSubjects } from "@/lib/usage/scope";
import { periodDays } from "./period";

/**
 * What a budget counts, as usage subjects (lib/usage/normalize.ts), so a budget adds up exactly
 * what /usage shows for the same key, person or team:
 * - key: `key:<IAM user>` — the long-term key's calls;
 * - person: `identity:<source identity>` — every short-term key they made (the identity they
 *   have now and any earlier one their issuances carried);
 * - team: what usage counts for the team — its keys and its members' short-term keys
 *   (teamSubjects).
 */
export async function budgetSubjects(db: PrismaClient, budget: { scope: string; apiKeyId: string | null; userId: string | null; teamId: string | null }): Promise<string[]> {
  if (budget.scope === "key" && budget.apiKeyId) {
    const key = await db.apiKey.findUnique({ where: { id: budget.apiKeyId }, select: { iamUserName: true } });
    return key ? [`key:${key.iamUserName}`] : [];
  }
  if (budget.scope === "person" && budget.userId) {
    const user = await db.user.findUnique({ where: { id: budget.userId }, select: { id: true, email: true } });
    if (!user) return [];
    const issued = await db.shortTermIssuance.findMany({ where: { userId: user.id }, distinct: ["sourceIdentity"], select: { sourceIdentity: true } });
    return [...new Set([sourceIdentityFor(user), ...issued.map((i) => i.sourceIdentity)])].map((s) => `identity:${s}`);
  }
  if (budget.scope === "team" && budget.teamId) return teamSubjects(db, budget.teamId);
  return [];
}

export interface Spend {
  usd: number;
  tokens: number;
  /** Calls counted in tokens but not in money (no price known): the money figure is a floor. */
  unpricedCalls: number;
}

/**
 * Spend of every subject with cost in a period, in one grouped query: evaluation and the pages
 * add up each budget's subjects from this map instead of querying per budget.
 */
export async function spendBySubject(db: PrismaClient, period: string): Promise<Map<string, Spend>> {
  const { from, to } = periodDays(period);
  const rows = await db.costDaily.groupBy({
    by: ["subject"],
    where: { day: { gte: from, lte: to } },
    _sum: { costUsd: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true, unpricedCalls: true },
  });
  return new Map(
    rows.map((r) => [
      r.subject,
      {
        usd: r._sum.costUsd ?? 0,
        tokens: (r._sum.inputTokens ?? 0) + (r._sum.outputTokens ?? 0) + (r._sum.cacheReadTokens ?? 0) + (r._sum.cacheWriteTokens ?? 0),
        unpricedCalls: r._sum.unpricedCalls ?? 0,
      },
    ]),
  );
}

/** A budget's spend from the map (a subject counted once even if listed twice). */
export function sumSpend(bySubject: Map<string, Spend>, subjects: string[]): Spend {
  const total: Spend = { usd: 0, tokens: 0, unpricedCalls: 0 };
  for (const subject of new Set(subjects)) {
    const s = bySubject.get(subject);
    if (!s) continue;
    total.usd += s.usd;
    total.tokens += s.tokens;
    total.unpricedCalls += s.unpricedCalls;
  }
  return total;
}
