import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { latestSyncStatus } from "@/lib/usage/sync-job";

/**
 * GET /usage/sync → the latest sync run's progress, polled by the progress bar. A route handler
 * is its own entry point: it checks the session and permission itself. Counts only, nothing
 * scoped (no key, person or event in it), so every role with usage.read may see it.
 */
export async function GET(): Promise<Response> {
  const user = await currentUser();
  if (!user) return json(401, { error: "signedOut" });
  if (!can(user.role, "usage.read")) return json(403, { error: "forbidden" });
  return json(200, { status: await latestSyncStatus(db()) });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
