import "server-only";
import { getTranslations } from "next-intl/server";
import { appendAudit } from "@/lib/audit/service";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { log } from "@/lib/log";
import { parseUsageFilters, type UsageFilters } from "./filters";
import { resolveWhere } from "./queries";

type Where = Awaited<ReturnType<typeof resolveWhere>>;

/**
 * The usage CSV downloads' route (the calls: /usage/export; cost by day: /usage/export/cost):
 * checks the session and permission itself, takes the page's filters, applies the same scope
 * as the page, audits the export (`usage.export`), and streams what `build` makes of it.
 * `fields` are the filters that apply to this export (recorded in the audit entry).
 */
export async function usageExportResponse(
  request: Request,
  opts: {
    kind: "events" | "cost";
    fields: readonly (keyof UsageFilters)[];
    build: (where: Where, onError: (err: unknown) => void) => Promise<{ stream: ReadableStream<Uint8Array>; filename: string }>;
  },
): Promise<Response> {
  const t = await getTranslations("usage.export");
  const user = await currentUser();
  if (!user) return text(401, t("signedOut"));
  const meta = await requestMeta();
  const audit = (result: "success" | "failure", details: Record<string, unknown>) =>
    appendAudit(db(), { action: "usage.export", result, actorId: user.id, actorEmail: user.email, targetType: "usage", ...meta, details });
  const kind = opts.kind === "events" ? {} : { export: opts.kind };
  if (!can(user.role, "usage.export")) {
    await audit("failure", { reason: "forbidden", role: user.role, ...kind });
    return text(403, t("forbidden"));
  }
  const parsed = parseUsageFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return text(400, t("invalidFilters", { fields: parsed.invalid.join(", ") }));
  const filters = Object.fromEntries(opts.fields.map((f) => [f, parsed.filters[f]]));
  const where = await resolveWhere(db(), user, parsed.filters, new Date());
  await audit("success", { ...kind, filters, scope: user.role === "admin" ? "all" : user.role === "lead" ? "led_teams_and_own" : "own" });
  const { stream, filename } = await opts.build(where, (err) => log().error({ err, userId: user.id }, `usage ${opts.kind} export failed mid-stream`));
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
