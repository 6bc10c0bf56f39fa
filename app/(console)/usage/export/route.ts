import { db } from "@/lib/db";
import { usageCsvExport, usageExportFilename } from "@/lib/usage/export";
import { usageExportResponse } from "@/lib/usage/export-route";
import { eventWhere } from "@/lib/usage/queries";

/**
 * GET /usage/export?range=&team=&who=&model=&region=&identity=&result= → the matching calls as
 * CSV, streamed in batches (constant memory whatever the size). Checks the session and
 * permission itself and applies the same scope as the page; the export is audited.
 */
export async function GET(request: Request): Promise<Response> {
  return usageExportResponse(request, {
    kind: "events",
    fields: ["range", "from", "to", "team", "who", "model", "region", "identity", "result"],
    build: async (where, onError) => ({
      stream: usageCsvExport(db(), eventWhere(where), { onError }),
      filename: usageExportFilename(where.range.fromDay, where.range.toDay),
    }),
  });
}
