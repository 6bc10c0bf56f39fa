import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { verifyAuditChain, type ChainReport } from "./service";

/**
 * Signed checkpoints anchor the head of the audit chain outside the database. The chain alone
 * proves that no entry was changed *between* others; it cannot show that the last entries were
 * deleted, or the table emptied, or every entry rewritten. A checkpoint — entry count, head id
 * and hash, where the keyed chain starts, time — HMAC-signed with the audit key and appended to a
 * file the database's writer cannot reach (and to the log stream, for a log shipper to keep),
 * lets `audit:verify` compare the database with what it was. Entries newer than the last
 * checkpoint are anchored by the next one (AUDIT_CHECKPOINT_MINUTES, or `npm run audit:checkpoint`).
 */

export interface CheckpointBody {
  v: 1;
  at: string;
  count: number;
  headId: number | null;
  headHash: string;
  keyedFrom: number | null;
}

export interface Checkpoint extends CheckpointBody {
  sig: string;
}

function signature(body: CheckpointBody, key: Buffer): string {
  const canonical = JSON.stringify([body.v, body.at, body.count, body.headId, body.headHash, body.keyedFrom]);
  // Domain-separated from the chain's own HMAC input, so a checkpoint can never pass for an entry.
  return createHmac("sha256", key).update("audit-checkpoint\n").update(canonical).digest("hex");
}

export function signCheckpoint(body: CheckpointBody, key: Buffer): Checkpoint {
  return { ...body, sig: signature(body, key) };
}

function signatureOk(cp: Checkpoint, key: Buffer): boolean {
  const expected = Buffer.from(signature(cp, key), "hex");
  const given = Buffer.from(typeof cp.sig === "string" ? cp.sig : "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Every checkpoint in the file, oldest first, with the line numbers of any that fail their signature. */
export function readCheckpoints(file: string, key: Buffer): { valid: Checkpoint[]; invalidLines: number[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return { valid: [], invalidLines: [] };
    throw error;
  }
  const valid: Checkpoint[] = [];
  const invalidLines: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const cp = JSON.parse(line) as Checkpoint;
      if (cp && cp.v === 1 && signatureOk(cp, key)) valid.push(cp);
      else invalidLines.push(i + 1);
    } catch {
      invalidLines.push(i + 1);
    }
  });
  return { valid, invalidLines };
}

export interface CheckpointDeps {
  db: PrismaClient;
  key: Buffer;
  file: string;
  now: () => Date;
  /** The log stream: every checkpoint is also written there. */
  log?: (checkpoint: Checkpoint) => void;
}

export type CheckpointResult = { ok: true; checkpoint: Checkpoint } | { ok: false; verification: AuditVerification };

/**
 * Verify the whole chain and the checkpoints and, only if everything matches, append a new
 * checkpoint for the current head: a tampered log is never blessed with a fresh checkpoint.
 * (A full walk each time: one HMAC per entry is cheap next to reading the rows.)
 */
export async function writeCheckpoint(deps: CheckpointDeps): Promise<CheckpointResult> {
  const verification = await verifyAudit(deps);
  if (!verification.ok) return { ok: false, verification };
  const { chain } = verification;
  const checkpoint = signCheckpoint(
    { v: 1, at: deps.now().toISOString(), count: chain.count, headId: chain.headId, headHash: chain.headHash, keyedFrom: chain.keyedFrom },
    deps.key,
  );
  mkdirSync(dirname(deps.file), { recursive: true });
  // "a": append-only at the OS level too; 0600: only the console's user reads the file.
  appendFileSync(deps.file, `${JSON.stringify(checkpoint)}\n`, { flag: "a", mode: 0o600 });
  deps.log?.(checkpoint);
  return { ok: true, checkpoint };
}

export type CheckpointMismatch =
  /** The checkpoint's head entry, or entries before it, are gone: deleted rows or an emptied table. */
  | { kind: "missing"; checkpoint: Checkpoint; missing: number }
  /** The entries are there but say something else: rewritten (and re-hashed) after the checkpoint was taken. */
  | { kind: "rewritten"; checkpoint: Checkpoint; entryId: number | null };

export interface AuditVerification {
  ok: boolean;
  chain: ChainReport;
  checkpoints: number;
  /** Lines of the checkpoint file whose signature does not verify (forged or corrupted). */
  invalidLines: number[];
  /** The newest checkpoint the database still matches. */
  lastGood: Checkpoint | null;
  /** Set when the newest checkpoint does not match: what is missing or changed since lastGood. */
  mismatch: CheckpointMismatch | null;
  /** Entries after the newest checkpoint: intact as a chain, but not anchored yet. */
  unanchored: number;
}

async function compare(db: PrismaClient, cp: Checkpoint, chain: ChainReport): Promise<CheckpointMismatch | null> {
  if (cp.headId === null) return null; // a checkpoint of the empty log: anything extends it
  const head = await db.auditEntry.findUnique({ where: { id: cp.headId }, select: { hash: true } });
  const upTo = await db.auditEntry.count({ where: { id: { lte: cp.headId } } });
  if (!head || upTo < cp.count) return { kind: "missing", checkpoint: cp, missing: cp.count - upTo };
  if (head.hash !== cp.headHash || upTo !== cp.count) return { kind: "rewritten", checkpoint: cp, entryId: cp.headId };
  // The same head, but the keyed chain starts later than it did: rewritten with the public hash.
  if (cp.keyedFrom !== null && chain.keyedFrom !== cp.keyedFrom) return { kind: "rewritten", checkpoint: cp, entryId: cp.keyedFrom };
  // A chain broken at or before the checkpoint's head: the checkpoint cannot vouch for it.
  if (chain.brokenAt && chain.brokenAt.id <= cp.headId) return { kind: "rewritten", checkpoint: cp, entryId: chain.brokenAt.id };
  return null;
}

/** The chain and the checkpoints together: what audit:verify reports. */
export async function verifyAudit(deps: Pick<CheckpointDeps, "db" | "key" | "file">, options: { batchSize?: number } = {}): Promise<AuditVerification> {
  const { valid, invalidLines } = readCheckpoints(deps.file, deps.key);
  const latest = valid.at(-1) ?? null;
  const chain = await verifyAuditChain(deps.db, { key: deps.key, batchSize: options.batchSize });

  let lastGood: Checkpoint | null = null;
  let mismatch: CheckpointMismatch | null = null;
  for (let i = valid.length - 1; i >= 0; i--) {
    const m = await compare(deps.db, valid[i]!, chain);
    if (!m) {
      lastGood = valid[i]!;
      break;
    }
    mismatch ??= m; // about the newest checkpoint: what changed since the last good one
  }
  const unanchored = mismatch ? 0 : Math.max(0, chain.count - (latest?.count ?? 0));
  return {
    ok: chain.ok && mismatch === null && invalidLines.length === 0,
    chain,
    checkpoints: valid.length,
    invalidLines,
    lastGood,
    mismatch,
    unanchored,
  };
}
