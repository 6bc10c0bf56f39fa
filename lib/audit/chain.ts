import { createHash } from "node:crypto";

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

/** hash = SHA-256(prevHash ‖ canonical JSON of the entry). Changing any field or the order breaks it. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const canonical = JSON.stringify([
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
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

export type ChainBreak = { id: number; reason: "prev-hash-mismatch" | "hash-mismatch" };

/**
 * Check entries in id order. `expectedPrev` is the hash the first entry must extend
 * (GENESIS_HASH at the start of the log). Returns the first broken entry, or null.
 */
export function findChainBreak(
  entries: Iterable<ChainedFields & { id: number; prevHash: string; hash: string }>,
  expectedPrev: string = GENESIS_HASH,
): { brokenAt: ChainBreak | null; lastHash: string } {
  let prev = expectedPrev;
  for (const e of entries) {
    if (e.prevHash !== prev) return { brokenAt: { id: e.id, reason: "prev-hash-mismatch" }, lastHash: prev };
    if (entryHash(e.prevHash, e) !== e.hash) return { brokenAt: { id: e.id, reason: "hash-mismatch" }, lastHash: prev };
    prev = e.hash;
  }
  return { brokenAt: null, lastHash: prev };
}
