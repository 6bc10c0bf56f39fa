import { createHash, createHmac } from "node:crypto";

/** The fields that are hashed: everything an entry says, in a fixed order. */
export interface ChainedFields {
  createdAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  teamId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
}

export const GENESIS_HASH = "0".repeat(64);

function canonical(e: ChainedFields): string {
  return JSON.stringify([
    e.createdAt.toISOString(),
    e.actorId,
    e.actorEmail,
    e.action,
    e.targetType,
    e.targetId,
    e.targetLabel,
    e.teamId,
    e.result,
    e.ip,
    e.userAgent,
    e.details,
  ]);
}

/**
 * hash = HMAC-SHA256(key, prevHash ‖ "\n" ‖ canonical JSON of the entry). Keyed, so whoever can
 * write the database but does not hold the key (kept outside it, see lib/audit/key.ts) cannot
 * re-hash the rows after an edit, nor append a forged entry that verifies.
 *
 * Without a key: the original, unkeyed SHA-256 chain. Entries written before the chain was keyed
 * still verify with it; see findChainBreak for how far it is accepted.
 */
export function entryHash(prevHash: string, e: ChainedFields, key?: Buffer): string {
  const h = key ? createHmac("sha256", key) : createHash("sha256");
  return h.update(prevHash).update("\n").update(canonical(e)).digest("hex");
}

export type ChainBreak = { id: number; reason: "prev-hash-mismatch" | "hash-mismatch" };

/** Where a walk of the chain stands between batches. */
export interface ChainState {
  prevHash: string;
  /** Id of the first keyed entry; null while only unkeyed (pre-upgrade) entries were seen. */
  keyedFrom: number | null;
}

export const CHAIN_START: ChainState = { prevHash: GENESIS_HASH, keyedFrom: null };

/**
 * Check entries in id order from `state` (CHAIN_START at the start of the log). Returns the first
 * broken entry or null, and the state after the last good entry.
 *
 * With a key, an entry must carry its keyed hash — except a prefix of unkeyed entries, written
 * before the upgrade that keyed the chain. Once one keyed entry is seen, an unkeyed one is a
 * break: otherwise anyone could append or rewrite entries with the public SHA-256. Rewriting the
 * *whole* log unkeyed keeps the chain self-consistent, which is why the head is also anchored in
 * signed checkpoints (checkpoint.ts) that record where the keyed chain starts.
 */
export function findChainBreak(
  entries: Iterable<ChainedFields & { id: number; prevHash: string; hash: string }>,
  state: ChainState = CHAIN_START,
  key?: Buffer,
): { brokenAt: ChainBreak | null; state: ChainState } {
  let { prevHash, keyedFrom } = state;
  for (const e of entries) {
    const at = { prevHash, keyedFrom };
    if (e.prevHash !== prevHash) return { brokenAt: { id: e.id, reason: "prev-hash-mismatch" }, state: at };
    if (key && entryHash(e.prevHash, e, key) === e.hash) {
      keyedFrom ??= e.id;
    } else if (keyedFrom !== null || entryHash(e.prevHash, e) !== e.hash) {
      return { brokenAt: { id: e.id, reason: "hash-mismatch" }, state: at };
    }
    prevHash = e.hash;
  }
  return { brokenAt: null, state: { prevHash, keyedFrom } };
}
