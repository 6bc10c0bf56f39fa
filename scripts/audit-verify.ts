/**
 * Checks the audit log's hash chain from the first entry to the last.
 * Exit 0 and a count when intact; exit 1 naming the first broken entry otherwise.
 * Usage: npm run audit:verify   (DATABASE_URL selects the database; default file:./data/console.db)
 */
import { verifyAuditChain } from "@/lib/audit/service";
import { createPrismaClient } from "@/lib/db/client";

const db = createPrismaClient(process.env.DATABASE_URL ?? "file:./data/console.db");
try {
  const result = await verifyAuditChain(db);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.count} entries verified.`);
  } else {
    const why = result.brokenAt.reason === "hash-mismatch" ? "its contents were changed" : "it does not follow the entry before it (an entry was removed or inserted)";
    console.error(`Audit chain BROKEN at entry #${result.brokenAt.id}: ${why}. ${result.count} entries before it are intact.`);
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
