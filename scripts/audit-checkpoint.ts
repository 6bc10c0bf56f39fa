/**
 * Writes a signed audit checkpoint now (the server also writes one every AUDIT_CHECKPOINT_MINUTES):
 * verifies the chain against the last checkpoint, then appends count + head hash to
 * AUDIT_CHECKPOINT_FILE and prints it (the line to keep elsewhere, too). Refuses, exit 1, when the
 * log no longer matches — a tampered log never gets a fresh checkpoint.
 * Usage: npm run audit:checkpoint   (with the server's environment, as for audit:verify)
 */
import { writeCheckpoint } from "@/lib/audit/checkpoint";
import { auditKey } from "@/lib/audit/key";
import { describeVerification } from "@/lib/audit/verify-report";
import { auditSettings } from "@/lib/config/audit";
import { createPrismaClient } from "@/lib/db/client";

const db = createPrismaClient(process.env.DATABASE_URL ?? "file:./data/console.db");
try {
  const result = await writeCheckpoint({
    db,
    key: auditKey(),
    file: auditSettings().AUDIT_CHECKPOINT_FILE,
    now: () => new Date(),
    log: (checkpoint) => console.log(JSON.stringify({ auditCheckpoint: checkpoint })),
  });
  if (!result.ok) {
    for (const line of describeVerification(result.verification).lines) console.error(line);
    console.error("No checkpoint written.");
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
