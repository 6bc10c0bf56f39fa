import { getTranslations } from "next-intl/server";
import { appendAudit } from "@/lib/audit/service";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { costCsvExport, costExportFilename } from "@/lib/cost/export";
import { costAsOf } from "@/lib/cost/queries";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { log } from "@/lib/log";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere } from "@/lib/usage/queries";

/**
 * GET /usage/export/cost?range=&team=&who=&model=&region=&identity= → tokens and cost per UTC day ×
 * key or person × model × region as CSV (lib/cost/export.ts). Same session, permission, scope and
 * audit as the events export beside it.
 */
export async function GET(request: Request): Promise<Response> {
  const t = await getTranslations("usage.export");
  const user = await currentUser();
  if (!user) return text(401, t("signedOut"));
  const meta = await requestMeta();
  const audit = (result: "success" | "failure", details: Record<string, unknown>) =>
    appendAudit(db(), { action: "usage.export", result, actorId: user.id, actorEmail: user.email, targetType: "usage", ...meta, details });
  if (!can(user.role, "usage.export")) {
    await audit("failure", { reason: "forbidden", role: user.role, export: "cost" });
    return text(403, t("forbidden"));
  }
  const parsed = parseUsageFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return text(400, t("invalidFilters", { fields: parsed.invalid.join(", ") }));
  const { range, from, to, team, who, model, region, identity } = parsed.filters;
  const where = await resolveWhere(db(), user, parsed.filters, new Date());
  await audit("success", { export: "cost", filters: { range, from, to, team, who, model, region, identity }, scope: user.role === "admin" ? "all" : user.role === "lead" ? "led_teams_and_own" : "own" });
  const stream = costCsvExport(db(), where, await costAsOf(db()), {
    onError: (err) => log().error({ err, userId: user.id }, "cost export failed mid-stream"),
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${costExportFilename(where.range.fromDay, where.range.toDay)}"`,
      "Cache-Control": "no-store",
    },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
