import type { AuditVerification } from "./checkpoint";

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** audit:verify's report in words: the chain, the last good checkpoint, and what is missing or changed after it. */
export function describeVerification(v: AuditVerification): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  const { chain } = v;
  if (chain.ok) {
    lines.push(`Audit chain intact: ${chain.count} entries verified${chain.keyedFrom !== null ? `; keyed (HMAC) from entry #${chain.keyedFrom}` : ""}.`);
  } else {
    const b = chain.brokenAt!;
    const why = b.reason === "hash-mismatch" ? "its contents were changed, or it was written without the audit key" : "it does not follow the entry before it (an entry was removed or inserted)";
    lines.push(`Audit chain BROKEN at entry #${b.id}: ${why}. ${chain.count} entries before it are intact.`);
  }
  if (v.checkpoints === 0) {
    lines.push("No signed checkpoint found: deleted last entries or an emptied table cannot be detected until one is written (npm run audit:checkpoint).");
  } else if (v.lastGood) {
    lines.push(`Last good checkpoint: ${v.lastGood.at}, ${v.lastGood.count} entries up to #${v.lastGood.headId ?? "-"} (${short(v.lastGood.headHash)}).`);
  } else {
    lines.push("No checkpoint matches the database: the log was changed before the oldest checkpoint.");
  }
  const m = v.mismatch;
  if (m?.kind === "missing") {
    lines.push(`MISSING: the checkpoint of ${m.checkpoint.at} recorded ${m.checkpoint.count} entries up to #${m.checkpoint.headId}; ${m.missing} of them are no longer in the database (deleted rows or an emptied table).`);
  } else if (m?.kind === "rewritten") {
    lines.push(`REWRITTEN: the checkpoint of ${m.checkpoint.at} does not match the database${m.entryId !== null ? ` at entry #${m.entryId}` : ""}: entries were changed and re-hashed after it was taken.`);
  }
  if (v.invalidLines.length > 0) lines.push(`FORGED or corrupted checkpoint line(s) in the checkpoint file: ${v.invalidLines.join(", ")}.`);
  if (!m && v.unanchored > 0) lines.push(`${v.unanchored} entries after the last checkpoint are chained but not anchored yet.`);
  return { ok: v.ok, lines };
}
