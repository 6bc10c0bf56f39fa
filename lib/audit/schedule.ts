import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { writeCheckpoint } from "./checkpoint";
import { auditKey } from "./key";

const FIRST_RUN_DELAY_MS = 15_000;
const globalForSchedule = globalThis as unknown as { __auditCheckpoints?: NodeJS.Timeout };

/**
 * One checkpoint: into AUDIT_CHECKPOINT_FILE and the log stream. A chain that no longer matches
 * the last checkpoint is an alarm, logged at error level, and gets no new checkpoint.
 */
export async function runAuditCheckpoint(): Promise<void> {
  const result = await writeCheckpoint({
    db: db(),
    key: auditKey(),
    file: config().AUDIT_CHECKPOINT_FILE,
    now: () => new Date(),
    log: (auditCheckpoint) => log().info({ auditCheckpoint }, "audit checkpoint"),
  });
  if (!result.ok) {
    const { chain, mismatch, invalidLines } = result.verification;
    log().error(
      { brokenAt: chain.brokenAt ?? null, mismatch: mismatch ? { kind: mismatch.kind, at: mismatch.checkpoint.at, headId: mismatch.checkpoint.headId } : null, invalidLines },
      "audit log does not match its last checkpoint: run npm run audit:verify",
    );
  }
}

/** Started from lib/startup.ts: a checkpoint shortly after start, then every AUDIT_CHECKPOINT_MINUTES. */
export function startAuditCheckpoints(): void {
  const minutes = config().AUDIT_CHECKPOINT_MINUTES;
  if (minutes === 0 || globalForSchedule.__auditCheckpoints) return;
  const tick = () => void runAuditCheckpoint().catch((err: unknown) => log().error({ err }, "audit checkpoint failed"));
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__auditCheckpoints = setInterval(tick, minutes * 60_000);
  globalForSchedule.__auditCheckpoints.unref();
}
