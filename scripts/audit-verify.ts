/**
 * Checks the audit log: its keyed hash chain from the first entry to the last, and the database
 * against the signed checkpoints in AUDIT_CHECKPOINT_FILE (deleted last entries, a cut tail, an
 * emptied table, a rewritten and re-hashed log). Reports the last good checkpoint and what is
 * missing or changed after it. Exit 0 when everything matches, 1 otherwise.
 * Usage: npm run audit:verify   (with the server's environment: DATABASE_URL, AUTH_SECRET or
 * AUDIT_HMAC_KEY, AUDIT_CHECKPOINT_FILE)
 */
import { verifyAudit } from "@/lib/audit/checkpoint";
import { auditKey } from "@/lib/audit/key";
import { describeVerification } from "@/lib/audit/verify-report";
import { auditSettings } from "@/lib/config/audit";
import { createPrismaClient } from "@/lib/db/client";

const db = createPrismaClient(process.env.DATABASE_URL ?? "file:./data/console.db");
try {
  const report = await verifyAudit({ db, key: auditKey(), file: auditSettings().AUDIT_CHECKPOINT_FILE });
  const { ok, lines } = describeVerification(report);
  for (const line of lines) (ok ? console.log : console.error)(line);
  if (!ok) process.exitCode = 1;
} finally {
  await db.$disconnect();
}
