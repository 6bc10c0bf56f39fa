import "server-only";
import { notFound } from "next/navigation";
import { ActionError } from "@/lib/actions/errors";
import { appendAudit } from "@/lib/audit/service";
import { can, type Permission } from "@/lib/auth/permissions";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { getPolicy } from "@/lib/policy/service";
import { ensureLiveCatalogue } from "@/lib/models/live";
import { catalogueForRegion } from "./catalogue";
import { listPendingCleanups } from "./cleanup";
import { keyDeps } from "./deps";
import { getKeyDetail } from "./detail";
import { lastRefresh } from "./inventory-job";
import { exportKeysCsv, keyFilterOptions, KEYS_CSV_FILE_NAME, listKeys } from "./queries";
import { EXPIRY_PRESETS, keyFilterSchema, MAX_KEY_AGE_DAYS } from "./schemas";

/**
 * Page loaders for /keys, /keys/[id] and /keys/new: sign-in, permission and scope checks on the
 * server, then the data. A page without the permission answers 404, like a key outside the scope.
 */

async function userWith(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user.role, permission)) notFound();
  return user;
}

type SearchParams = Record<string, string | string[] | undefined>;

function firstValues(params: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** /keys: the filtered, sorted page of keys plus filter options. Invalid filters fall back to defaults. */
export async function loadKeysPage(searchParams: SearchParams) {
  const user = await userWith("keys.read");
  const parsed = keyFilterSchema.safeParse(firstValues(searchParams));
  const filters = parsed.success ? parsed.data : keyFilterSchema.parse({});
  const [list, options, refreshed] = await Promise.all([listKeys(db(), user, filters), keyFilterOptions(db(), user), lastRefresh(db())]);
  return {
    user,
    filters,
    filtersValid: parsed.success,
    list,
    options,
    lastRefresh: refreshed ? { at: refreshed.finishedAt?.toISOString() ?? null, result: refreshed.result } : null,
    can: { refresh: can(user.role, "keys.refresh"), issue: can(user.role, "keys.issue"), export: can(user.role, "keys.export") },
  };
}

/** /keys/[id]: 404 for unknown ids and for keys outside the viewer's scope. */
export async function loadKeyDetail(keyId: string) {
  const user = await userWith("keys.read");
  try {
    return { user, ...(await getKeyDetail(keyDeps(), user, keyId)) };
  } catch (error) {
    if (error instanceof ActionError && error.code === "notFound") notFound();
    throw error;
  }
}

/** The inventory's pending clean-ups: only for those who may delete keys (admins); others get none. */
export async function loadPendingCleanups(user: Pick<SessionUser, "role">) {
  if (!can(user.role, "keys.delete")) return [];
  return listPendingCleanups(db());
}

/**
 * The people a key can be given to (active, in a team) with their teams: the issue form's owner
 * choices, and all the inventory's and the key page's dialogs (adopt, bulk change) need of it.
 * Admins only. Those pages read this, not the whole form: the form also asks AWS for the
 * console's own account, a call (and, with AWS unreachable, retries) a list page does not need.
 */
export async function loadOwnerChoices() {
  await userWith("keys.issue");
  const users = await db().user.findMany({
    where: { active: true, memberships: { some: {} } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true, memberships: { select: { team: { select: { id: true, name: true } } } } },
  });
  return users.map((u) => ({ id: u.id, name: u.name, email: u.email, teams: u.memberships.map((m) => m.team) }));
}

/** /keys/new: what the issue form offers. Admins only. */
export async function loadIssueForm() {
  const owners = await loadOwnerChoices();
  const deps = keyDeps();
  // The organisation's policy (issue 6) narrows what the form offers; issuance enforces it again.
  const policy = await getPolicy(deps.db, deps.allowedExtraPolicies);
  const maxAgeDays = policy.maxKeyAgeDays ?? MAX_KEY_AGE_DAYS;
  await ensureLiveCatalogue(deps.db);
  const models = catalogueForRegion(deps.region);
  // Accounts keys can be issued in (issue 14): the active ones, the console's own first.
  const defaultAccount = await deps.accounts?.ensureDefault().catch(() => null);
  const accounts = (await db().awsAccount.findMany({ where: { status: "active" }, orderBy: { name: "asc" }, select: { id: true, name: true, _count: { select: { teams: true } } } }))
    .map((a) => ({ id: a.id, name: a.name, isDefault: a.id === defaultAccount, limitedToTeams: a._count.teams > 0 }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return {
    region: deps.region,
    accounts,
    owners,
    extraPolicies: policy.allowedExtraPolicies,
    models: policy.allowedModels.length > 0 ? models.filter((m) => policy.allowedModels.includes(m.id)) : models,
    expiryPresets: EXPIRY_PRESETS.map(Number).filter((days) => days <= maxAgeDays),
    maxAgeDays,
  };
}

/**
 * GET handler body for the CSV export (e.g. app/(console)/keys/export/route.ts):
 * `export const GET = (req: Request) => keysCsvResponse(req)`. Streams; audited as keys.export.
 */
export async function keysCsvResponse(request: Request): Promise<Response> {
  const user = await userWith("keys.export");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = keyFilterSchema.safeParse(params);
  const filters = parsed.success ? parsed.data : keyFilterSchema.parse({});
  await appendAudit(db(), {
    action: "keys.export",
    result: "success",
    actorId: user.id,
    actorEmail: user.email,
    targetType: "inventory",
    ...(await requestMeta()),
    details: { filters },
  });
  return new Response(exportKeysCsv(db(), user, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${KEYS_CSV_FILE_NAME}"`,
      "Cache-Control": "no-store",
    },
  });
}
