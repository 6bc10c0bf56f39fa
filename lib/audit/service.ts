import { lockAuditChain } from "@/lib/db/dialect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { CHAIN_START, entryHash, findChainBreak, GENESIS_HASH, type ChainBreak } from "./chain";
import { auditKey } from "./key";
import { redactColumn, redactDetails, redactText } from "./redact";

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
 * Appends queue for the chain's lock, one at a time across every instance: in a burst (a bulk
 * action, several instances at once, a busy database) an append can wait well past Prisma's
 * defaults (2 s for a pooled connection, 5 s in the transaction) and would then fail the action
 * it records. An entry that is late is better than one that is missing.
 */
const CHAIN_TX = { maxWait: 30_000, timeout: 30_000 } as const;

/**
 * Append one entry to the hash chain. The read of the previous hash and the insert happen in one
 * transaction that first takes the chain's lock (lib/db/dialect.ts: an advisory lock on
 * PostgreSQL, where several console processes write at once), so appends queue up instead of
 * racing. prevHash is unique as well, so even without the lock two writers could never extend
 * the same entry: the loser would retry on top of the winner.
 */
export async function appendAudit(db: PrismaClient, input: AuditInput, now: Date = new Date(), key: Buffer = auditKey()) {
  // Every text column is redacted, then truncated: truncating first could cut a secret below the
  // length its pattern needs and store the rest of it.
  const text = (value: string | null | undefined, max?: number) => truncate(redactColumn(value ?? null), max);
  const fields = {
    createdAt: now,
    actorId: text(input.actorId),
    actorEmail: text(input.actorEmail, 320),
    action: redactText(input.action),
    targetType: text(input.targetType),
    targetId: text(input.targetId),
    targetLabel: text(input.targetLabel, 200),
    teamId: text(input.teamId),
    result: input.result,
    ip: text(input.ip, 64),
    userAgent: text(input.userAgent, 400),
    details: JSON.stringify(redactDetails(input.details ?? {})),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        await lockAuditChain(tx);
        const last = await tx.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
        const prevHash = last?.hash ?? GENESIS_HASH;
        return tx.auditEntry.create({
          data: { ...fields, prevHash, hash: entryHash(prevHash, fields, key) },
          select: { id: true, hash: true },
        });
      }, CHAIN_TX);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

function truncate(value: string | null, max?: number) {
  return value && max !== undefined && value.length > max ? value.slice(0, max) : value;
}

function isUniqueViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export interface ChainReport {
  ok: boolean;
  /** Entries verified (all of them when ok; those before the break otherwise). */
  count: number;
  /** The last verified entry: the head when ok. */
  headId: number | null;
  headHash: string;
  /** First keyed entry; null when none is (an empty log, or only entries from before the upgrade). */
  keyedFrom: number | null;
  brokenAt?: ChainBreak;
}

/** Walk the whole log in id order, in batches, and name the first entry that breaks the chain. */
export async function verifyAuditChain(db: PrismaClient, options: { batchSize?: number; key?: Buffer } = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 1000;
  const key = options.key ?? auditKey();
  let state = CHAIN_START;
  let afterId = 0;
  let count = 0;
  let headId: number | null = null;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: batchSize });
    if (batch.length === 0) return { ok: true, count, headId, headHash: state.prevHash, keyedFrom: state.keyedFrom };
    const walked = findChainBreak(batch, state, key);
    if (walked.brokenAt) {
      const good = batch.findIndex((e) => e.id === walked.brokenAt!.id);
      return {
        ok: false,
        count: count + good,
        headId: good > 0 ? batch[good - 1]!.id : headId,
        headHash: walked.state.prevHash,
        keyedFrom: walked.state.keyedFrom,
        brokenAt: walked.brokenAt,
      };
    }
    state = walked.state;
    count += batch.length;
    afterId = headId = batch[batch.length - 1]!.id;
  }
}
