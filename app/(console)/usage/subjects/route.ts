import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { searchSubjects } from "@/lib/usage/subject-search";

/**
 * GET /usage/subjects?q=… → the usage filter's "key or person" choices matching q (JSON, at most
 * SUBJECT_SEARCH_LIMIT, most recently seen first), within the viewer's usage scope: a lead finds
 * only their teams' keys and people. Checks the session and permission itself, as the page does.
 */
export async function GET(request: Request): Promise<Response> {
  const user = await currentUser();
  if (!user) return json(401, { error: "signed_out" });
  if (!can(user.role, "usage.read")) return json(403, { error: "forbidden" });
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const items = await searchSubjects(db(), user, q);
  return json(200, { items: items.map((s) => ({ subject: s.subject, kind: s.kind, label: s.label, detail: s.detail })) });
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
