import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AUDIT_CSV_HEADER, auditCsvRow, csvStream, type AuditCsvRow } from "./csv";

export const AUDIT_EXPORT_BATCH = 500;

const exportSelect = {
  id: true,
  createdAt: true,
  actorEmail: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  targetLabel: true,
  teamId: true,
  result: true,
  ip: true,
  userAgent: true,
  details: true,
  hash: true,
} as const satisfies Prisma.AuditEntrySelect;

/**
 * The audit entries matching `where` (which must already include the caller's scope, see
 * auditWhere) as a CSV stream, oldest first. Rows are read by id cursor in batches, never all at
 * once. Entries appended after the export starts (including the export's own audit entry) are
 * left out, so the file is a consistent snapshot.
 */
export async function auditCsvExport(
  db: PrismaClient,
  where: Prisma.AuditEntryWhereInput,
  options: { batchSize?: number; onError?: (error: unknown) => void } = {},
): Promise<ReadableStream<Uint8Array>> {
  const last = await db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const upTo = last?.id ?? 0;
  return csvStream<AuditCsvRow>(
    AUDIT_CSV_HEADER,
    auditCsvRow,
    (afterId, take) =>
      db.auditEntry.findMany({
        where: { AND: [where, { id: { gt: afterId, lte: upTo } }] },
        orderBy: { id: "asc" },
        take,
        select: exportSelect,
      }),
    options.batchSize ?? AUDIT_EXPORT_BATCH,
    options.onError,
  );
}

/** `audit-log-YYYY-MM-DD.csv`, dated in UTC like the log itself. */
export function auditExportFilename(now: Date = new Date()): string {
  return `audit-log-${now.toISOString().slice(0, 10)}.csv`;
}
