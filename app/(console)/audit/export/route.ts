import { getTranslations } from "next-intl/server";
import { appendAudit } from "@/lib/audit/service";
import { auditCsvExport, auditExportFilename } from "@/lib/audit/export";
import { parseAuditFilters } from "@/lib/audit/filters";
import { auditWhere } from "@/lib/audit/queries";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { log } from "@/lib/log";

/**
 * GET /audit/export?actor=&action=&result=&from=&to= → the matching audit entries as CSV.
 * A route handler is its own entry point: it checks the session and permission itself and
 * applies the same scope as the page (leads get only their teams' entries and their own).
 */
export async function GET(request: Request): Promise<Response> {
  const t = await getTranslations("audit.export");
  const user = await currentUser();
  if (!user) return text(401, t("signedOut"));
  const meta = await requestMeta();
  if (!can(user.role, "audit.export")) {
    await appendAudit(db(), {
      action: "audit.export",
      result: "failure",
      actorId: user.id,
      actorEmail: user.email,
      ...meta,
      details: { reason: "forbidden", role: user.role },
    });
    return text(403, t("forbidden"));
  }

  const parsed = parseAuditFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return text(400, t("invalidFilters", { fields: parsed.invalid.join(", ") }));
  const { actor, action, result, from, to } = parsed.filters;
  const filters = { actor, action, result, from, to };

  // Audit the export itself (who took a copy of the log, with which filters) before streaming.
  await appendAudit(db(), {
    action: "audit.export",
    result: "success",
    actorId: user.id,
    actorEmail: user.email,
    targetType: "audit_log",
    ...meta,
    details: { filters, scope: user.role === "admin" ? "all" : "led_teams_and_own" },
  });
  const stream = await auditCsvExport(db(), auditWhere(user, filters), {
    onError: (err) => log().error({ err, userId: user.id }, "audit export failed mid-stream"),
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${auditExportFilename()}"`,
      "Cache-Control": "no-store",
    },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
