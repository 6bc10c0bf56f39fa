import { csvChunks, csvRow } from "@/lib/csv/writer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { describeSubjects, type SubjectInfo } from "@/lib/usage/directory";
import type { DayRange, UsageFilters } from "@/lib/usage/filters";
import { type CostAsOf, modelFilterIds } from "./queries";

/**
 * "Cost by day" CSV: what a finance person reconciles against the AWS bill and charges back —
 * one row per UTC day × key or person × model × account × region, with token counts, calls, the
 * cost of the priced calls and the number of unpriced ones (cost left blank when none was priced:
 * unknown, never $0). Read from the CostDaily rollup, not from the call records: the rows a
 * spreadsheet needs, a few per key and day, whatever the number of calls. Every row says when the
 * figures were last synced.
 */
export const COST_CSV_HEADER = [
  "day_utc",
  "account_id",
  "region",
  "model_id",
  "identity_type",
  "key_or_person",
  "team",
  "subject",
  "calls",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cost_usd",
  "unpriced_calls",
  "costs_as_of_utc",
] as const;

type Where = { subjects: string[] | null; range: DayRange; filters: Pick<UsageFilters, "model" | "region" | "identity"> };

/**
 * Streams one UTC day per pull (a day's rollup rows are few), oldest day first, so memory stays
 * bounded over a year. `where` must already carry the viewer's scope (lib/usage/scope.ts).
 */
export function costCsvExport(db: PrismaClient, where: Where, asOf: CostAsOf, options: { onError?: (error: unknown) => void } = {}): ReadableStream<Uint8Array> {
  const names = new Map<string, SubjectInfo>();
  const days = [...where.range.days];
  const f = where.filters;
  return csvChunks(
    COST_CSV_HEADER,
    async () => {
      const day = days.shift();
      if (day === undefined) return null;
      const rows = await db.costDaily.findMany({
        where: {
          day,
          ...(where.subjects ? { subject: { in: where.subjects } } : {}),
          ...(f.model ? { modelId: { in: modelFilterIds(f.model) } } : {}),
          ...(f.region ? { region: f.region } : {}),
          ...(f.identity ? { identityType: f.identity } : {}),
        },
        orderBy: [{ subject: "asc" }, { modelId: "asc" }, { accountId: "asc" }, { region: "asc" }],
      });
      const unknown = [...new Set(rows.map((r) => r.subject))].filter((s) => !names.has(s));
      if (unknown.length > 0) for (const [s, info] of await describeSubjects(db, unknown)) names.set(s, info);
      return rows
        .map((r) => {
          const who = names.get(r.subject);
          const label = who ? (who.kind === "other" ? who.label : `${who.label} (${who.detail})`) : r.subject;
          return csvRow([
            r.day,
            r.accountId,
            r.region,
            r.modelId,
            r.identityType,
            label,
            who?.team ?? "",
            r.subject,
            r.calls,
            r.inputTokens,
            r.outputTokens,
            r.cacheReadTokens,
            r.cacheWriteTokens,
            // Blank, not 0, when none of the row's calls could be priced.
            r.calls > r.unpricedCalls ? r.costUsd.toFixed(6) : "",
            r.unpricedCalls,
            asOf.syncedThrough ?? "never",
          ]);
        })
        .join("");
    },
    options.onError,
  );
}

/** `bedrock-cost-YYYY-MM-DD_YYYY-MM-DD.csv`, the filter's days in UTC. */
export function costExportFilename(fromDay: string, toDay: string): string {
  return `bedrock-cost-${fromDay}_${toDay}.csv`;
}
