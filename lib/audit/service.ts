import { lockAuditChain } from "@/lib/db/dialect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { entryHash, findChainBreak, GENESIS_HASH, redactDetails, type ChainBreak } from "./chain";

export type AuditResult = "success" | "failure";

export interface AuditInput {
  action: string;
  result: AuditResult;
  actorId?: string | null;
  actorEmail?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  teamId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

const MAX_ATTEMPTS = 5;

/**
 * Append one entry to the hash chain. The read of the previous hash and the insert happen in one
 * transaction that first takes the chain's lock (lib/db/dialect.ts: an advisory lock on
 * PostgreSQL, where several console processes write at once), so appends queue up instead of
 * racing. prevHash is unique as well, so even without the lock two writers could never extend
 * the same entry: the loser would retry on top of the winner.
 */
export async function appendAudit(db: PrismaClient, input: AuditInput, now: Date = new Date()) {
  const fields = {
    createdAt: now,
    actorId: input.actorId ?? null,
    actorEmail: input.actorEmail ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    targetLabel: truncate(input.targetLabel ?? null, 200),
    teamId: input.teamId ?? null,
    result: input.result,
    ip: truncate(input.ip ?? null, 64),
    userAgent: truncate(input.userAgent ?? null, 400),
    details: JSON.stringify(redactDetails(input.details ?? {})),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        await lockAuditChain(tx);
        const last = await tx.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
        const prevHash = last?.hash ?? GENESIS_HASH;
        return tx.auditEntry.create({
          data: { ...fields, prevHash, hash: entryHash(prevHash, fields) },
          select: { id: true, hash: true },
        });
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

function truncate(value: string | null, max: number) {
  return value && value.length > max ? value.slice(0, max) : value;
}

function isUniqueViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Walk the whole log in id order, in batches, and name the first entry that breaks the chain. */
export async function verifyAuditChain(
  db: PrismaClient,
  batchSize = 1000,
): Promise<{ ok: true; count: number } | { ok: false; count: number; brokenAt: ChainBreak }> {
  let prev = GENESIS_HASH;
  let afterId = 0;
  let count = 0;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: batchSize });
    if (batch.length === 0) return { ok: true, count };
    const { brokenAt, lastHash } = findChainBreak(batch, prev);
    if (brokenAt) return { ok: false, count: count + batch.findIndex((e) => e.id === brokenAt.id), brokenAt };
    prev = lastHash;
    count += batch.length;
    afterId = batch[batch.length - 1]!.id;
  }
}
