import { getTranslations } from "next-intl/server";
import { appendAudit } from "@/lib/audit/service";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { log } from "@/lib/log";
import { usageCsvExport, usageExportFilename } from "@/lib/usage/export";
import { parseUsageFilters } from "@/lib/usage/filters";
import { eventWhere, resolveWhere } from "@/lib/usage/queries";

/**
 * GET /usage/export?range=&team=&who=&model=&region=&identity=&result= → the matching calls as
 * CSV, streamed in batches (constant memory whatever the size). Checks the session and
 * permission itself and applies the same scope as the page; the export is audited.
 */
export async function GET(request: Request): Promise<Response> {
  const t = await getTranslations("usage.export");
  const user = await currentUser();
  if (!user) return text(401, t("signedOut"));
  const meta = await requestMeta();
  const audit = (result: "success" | "failure", details: Record<string, unknown>) =>
    appendAudit(db(), { action: "usage.export", result, actorId: user.id, actorEmail: user.email, targetType: "usage", ...meta, details });
  if (!can(user.role, "usage.export")) {
    await audit("failure", { reason: "forbidden", role: user.role });
    return text(403, t("forbidden"));
  }
  const parsed = parseUsageFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return text(400, t("invalidFilters", { fields: parsed.invalid.join(", ") }));
  const { range, from, to, team, who, model, region, identity, result } = parsed.filters;
  const filters = { range, from, to, team, who, model, region, identity, result };
  const where = await resolveWhere(db(), user, parsed.filters, new Date());
  await audit("success", { filters, scope: user.role === "admin" ? "all" : user.role === "lead" ? "led_teams_and_own" : "own" });
  const stream = usageCsvExport(db(), eventWhere(where), {
    onError: (err) => log().error({ err, userId: user.id }, "usage export failed mid-stream"),
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${usageExportFilename(where.range.fromDay, where.range.toDay)}"`,
      "Cache-Control": "no-store",
    },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
