import { csvChunks, csvRow } from "@/lib/csv/writer";

/**
 * CSV for the audit log export: rows through the shared writer (quoting and formula-injection
 * defence live there), and a stream that pulls rows in id-ordered batches so an export of any
 * size uses constant memory.
 */

export interface AuditCsvRow {
  id: number;
  createdAt: Date;
  actorEmail: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  teamId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
  hash: string;
}

export const AUDIT_CSV_HEADER = [
  "id",
  "time_utc",
  "actor_email",
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "target_label",
  "team_id",
  "result",
  "ip",
  "user_agent",
  "details",
  "hash",
] as const;

export function auditCsvRow(e: AuditCsvRow): string {
  return csvRow([e.id, e.createdAt, e.actorEmail, e.actorId, e.action, e.targetType, e.targetId, e.targetLabel, e.teamId, e.result, e.ip, e.userAgent, e.details, e.hash]);
}

/** Fetches the next batch of rows with id greater than `afterId`, in ascending id order. */
export type BatchFetcher<R extends { id: number }> = (afterId: number, take: number) => Promise<R[]>;

/**
 * A byte stream of the CSV: header first, then one batch per pull. Pull-based, so a slow client
 * slows the database reads down instead of rows piling up in memory. Starts with a UTF-8 BOM so
 * spreadsheet programs read names in Japanese, Korean or Chinese correctly.
 */
export function csvStream<R extends { id: number }>(
  header: readonly string[],
  toRow: (row: R) => string,
  fetchBatch: BatchFetcher<R>,
  batchSize = 500,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  let afterId = 0;
  let done = false;
  return csvChunks(
    header,
    async () => {
      if (done) return null;
      const batch = await fetchBatch(afterId, batchSize);
      if (batch.length < batchSize) done = true;
      if (batch.length === 0) return null;
      afterId = batch[batch.length - 1]!.id;
      return batch.map(toRow).join("");
    },
    onError,
  );
}
