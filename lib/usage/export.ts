import { csvChunks, csvRow } from "@/lib/csv/writer";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { describeSubjects, type SubjectInfo } from "./directory";

export const USAGE_EXPORT_BATCH = 1000;

export const USAGE_CSV_HEADER = [
  "event_time_utc",
  "event_id",
  "region",
  "inference_region",
  "event_name",
  "api",
  "endpoint",
  "project",
  "model_id",
  "identity_type",
  "key_or_person",
  "team",
  "principal_name",
  "principal_arn",
  "source_identity",
  "access_key_id",
  "source_ip",
  "user_agent",
  "result",
  "error_code",
  "error_message",
] as const;

const select = {
  id: true,
  eventId: true,
  eventTime: true,
  region: true,
  inferenceRegion: true,
  eventName: true,
  api: true,
  endpoint: true,
  project: true,
  modelId: true,
  identityType: true,
  subject: true,
  principalName: true,
  principalArn: true,
  sourceIdentity: true,
  accessKeyId: true,
  sourceIp: true,
  userAgent: true,
  result: true,
  errorCode: true,
  errorMessage: true,
} as const satisfies Prisma.UsageEventSelect;

type Row = Prisma.UsageEventGetPayload<{ select: typeof select }>;

/**
 * The events matching `where` (which must already carry the viewer's scope) as CSV, newest
 * first. Pull-based: each pull reads one batch by keyset (time, id) — never OFFSET, never all
 * rows — so a million-row export holds one batch in memory and a slow client slows the reads.
 * Starts with a UTF-8 BOM for spreadsheets; cells are protected against formula injection.
 */
export function usageCsvExport(
  db: PrismaClient,
  where: Prisma.UsageEventWhereInput,
  options: { batchSize?: number; onError?: (error: unknown) => void } = {},
): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? USAGE_EXPORT_BATCH;
  // Names of keys and people are looked up once per subject, however many rows they have.
  const names = new Map<string, SubjectInfo>();
  // Keyset paging in the unique (eventTime, eventId) index's order, read backwards.
  let after: { eventTime: Date; eventId: string } | null = null;
  let done = false;
  return csvChunks(
    USAGE_CSV_HEADER,
    async () => {
      if (done) return null;
      const batch: Row[] = await db.usageEvent.findMany({
        where: after ? { AND: [where, { OR: [{ eventTime: { lt: after.eventTime } }, { eventTime: after.eventTime, eventId: { lt: after.eventId } }] }] } : where,
        orderBy: [{ eventTime: "desc" }, { eventId: "desc" }],
        take: batchSize,
        select,
      });
      if (batch.length < batchSize) done = true;
      if (batch.length === 0) return null;
      const unknown = [...new Set(batch.map((r) => r.subject))].filter((s) => !names.has(s));
      if (unknown.length > 0) for (const [s, info] of await describeSubjects(db, unknown)) names.set(s, info);
      const last = batch[batch.length - 1]!;
      after = { eventTime: last.eventTime, eventId: last.eventId };
      return batch.map((r) => toCsv(r, names.get(r.subject))).join("");
    },
    options.onError,
  );
}

function toCsv(r: Row, who: SubjectInfo | undefined): string {
  const label = who ? (who.kind === "other" ? who.label : `${who.label} (${who.detail})`) : r.subject;
  return csvRow([
    r.eventTime,
    r.eventId,
    r.region,
    r.inferenceRegion,
    r.eventName,
    r.api,
    r.endpoint,
    r.project,
    r.modelId,
    r.identityType,
    label,
    who?.team ?? "",
    r.principalName,
    r.principalArn,
    r.sourceIdentity,
    r.accessKeyId,
    r.sourceIp,
    r.userAgent,
    r.result,
    r.errorCode,
    r.errorMessage,
  ]);
}

/** `bedrock-usage-YYYY-MM-DD_YYYY-MM-DD.csv`, the filter's days in UTC. */
export function usageExportFilename(fromDay: string, toDay: string): string {
  return `bedrock-usage-${fromDay}_${toDay}.csv`;
}
