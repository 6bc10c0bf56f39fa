import { costCsvExport, costExportFilename } from "@/lib/cost/export";
import { costAsOf } from "@/lib/cost/queries";
import { db } from "@/lib/db";
import { usageExportResponse } from "@/lib/usage/export-route";

/**
 * GET /usage/export/cost?range=&team=&who=&model=&region=&identity= → tokens and cost per UTC day ×
 * key or person × model × region as CSV (lib/cost/export.ts, docs/cost-views.md). Same session,
 * permission, scope and audit as the calls export beside it.
 */
export async function GET(request: Request): Promise<Response> {
  return usageExportResponse(request, {
    kind: "cost",
    fields: ["range", "from", "to", "team", "who", "model", "region", "identity"],
    build: async (where, onError) => ({
      stream: costCsvExport(db(), where, await costAsOf(db()), { onError }),
      filename: costExportFilename(where.range.fromDay, where.range.toDay),
    }),
  });
}
