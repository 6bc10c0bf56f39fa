/**
 * Test-only: cost rows as the invocation-log ingest writes them (CostDaily, keyed by the usage
 * subject), so budget tests do not depend on the ingest. Never imported by product code.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";

let n = 0;

export async function addCost(db: PrismaClient, row: { day: string; subject: string; costUsd: number; tokens?: number; identityType?: string }) {
  const tokens = row.tokens ?? 1000;
  await db.costDaily.create({
    data: {
      day: row.day,
      subject: row.subject,
      identityType: row.identityType ?? (row.subject.startsWith("key:") ? "long-term" : "short-term"),
      accountId: "123456789012",
      // A model per row keeps the primary key unique however many rows a test adds for one day.
      modelId: `anthropic.claude-test-${++n}`,
      region: "us-east-1",
      calls: 1,
      inputTokens: Math.floor(tokens / 2),
      outputTokens: tokens - Math.floor(tokens / 2),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: row.costUsd,
      unpricedCalls: 0,
    },
  });
}
