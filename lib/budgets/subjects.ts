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

/** Spend of some subjects in a period, from the daily rollups. */
export async function spendOf(db: PrismaClient, subjects: string[], period: string): Promise<Spend> {
  if (subjects.length === 0) return { usd: 0, tokens: 0, unpricedCalls: 0 };
  const { from, to } = periodDays(period);
  const sum = await db.costDaily.aggregate({
    where: { subject: { in: subjects }, day: { gte: from, lte: to } },
    _sum: { costUsd: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true, unpricedCalls: true },
  });
  const s = sum._sum;
  return {
    usd: s.costUsd ?? 0,
    tokens: (s.inputTokens ?? 0) + (s.outputTokens ?? 0) + (s.cacheReadTokens ?? 0) + (s.cacheWriteTokens ?? 0),
    unpricedCalls: s.unpricedCalls ?? 0,
  };
}
