import "server-only";
import { notFound } from "next/navigation";
import { ActionError } from "@/lib/actions/errors";
import { can } from "@/lib/auth/permissions";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { catalogueForRegion, type CatalogueEntry } from "@/lib/keys/catalogue";
import { ensureLiveCatalogue } from "@/lib/models/live";
import { MAX_KEY_AGE_DAYS } from "@/lib/keys/schemas";
import type { KeyPolicy } from "@/lib/policy/schema";
import { getPolicy } from "@/lib/policy/service";
import { requestDeps } from "./deps";
import { listMyRequests, listQueue, pendingForDecider, queueTeams } from "./queries";
import { queueFilterSchema, SHORT_TERM_MINUTES } from "./schemas";
import { findRequestInScope, needsApproval } from "./service";
import { toRequestView } from "./view";

/**
 * Page loaders for /requests, /requests/new and /requests/[id]: sign-in and permission on the
 * server, then the data within the viewer's scope. Outside the scope: 404.
 */

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function userWith(permission: "requests.read" | "requests.create"): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user.role, permission)) notFound();
  return user;
}

/** The limits a request form and a decide form show, from the policy and the deployment. */
export function requestLimits(policy: KeyPolicy, shortTermCeilingMinutes: number) {
  return {
    maxDays: policy.maxKeyAgeDays ?? MAX_KEY_AGE_DAYS,
    defaultDays: policy.defaultExpiryDays,
    maxMinutes: Math.min(policy.shortTermMaxMinutes, shortTermCeilingMinutes),
    minMinutes: SHORT_TERM_MINUTES.min,
    allowedModels: policy.allowedModels,
  };
}

async function modelOptions(policy: KeyPolicy): Promise<CatalogueEntry[]> {
  await ensureLiveCatalogue(db());
  const all = catalogueForRegion(config().AWS_REGION);
  return policy.allowedModels.length > 0 ? all.filter((m) => policy.allowedModels.includes(m.id)) : all;
}

export async function loadRequestsPage(searchParams: SearchParams) {
  const user = await userWith("requests.read");
  const now = new Date();
  const canDecide = can(user.role, "requests.decide");
  const tab: "mine" | "approvals" = canDecide && first(searchParams.tab) === "approvals" ? "approvals" : "mine";
  const parsed = queueFilterSchema.safeParse({ status: first(searchParams.status), teamId: first(searchParams.teamId), page: first(searchParams.page) });
  const filters = parsed.success ? parsed.data : queueFilterSchema.parse({});
  const [mine, queue, pending, teams] = await Promise.all([
    tab === "mine" ? listMyRequests(db(), user, now) : Promise.resolve(null),
    tab === "approvals" ? listQueue(db(), user, filters, now) : Promise.resolve(null),
    canDecide ? pendingForDecider(db(), user) : Promise.resolve(0),
    tab === "approvals" ? queueTeams(db(), user) : Promise.resolve([]),
  ]);
  return { user, tab, canDecide, canCreate: can(user.role, "requests.create"), mine, queue, pending, teams, filters, filtersValid: parsed.success };
}

export async function loadNewRequestForm() {
  const user = await userWith("requests.create");
  const c = config();
  const [teams, policy] = await Promise.all([
    db().team.findMany({ where: { memberships: { some: { userId: user.id } } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    getPolicy(db(), c.ALLOWED_EXTRA_POLICIES),
  ]);
  // AWS accounts a long-term key can be asked for (issue 14), when there is a choice.
  const accounts = await db().awsAccount.findMany({ where: { status: "active" }, orderBy: [{ source: "asc" }, { name: "asc" }], select: { id: true, name: true, source: true } });
  return {
    teams,
    accounts: accounts.length > 1 ? accounts.map(({ id, name }) => ({ id, name })) : [],
    limits: requestLimits(policy, c.SHORT_TERM_MAX_HOURS * 60),
    models: await modelOptions(policy),
    approval: { longTerm: needsApproval(policy, "long-term", user.role), shortTerm: needsApproval(policy, "short-term", user.role) },
  };
}

export async function loadRequestDetail(requestId: string) {
  const user = await userWith("requests.read");
  const deps = requestDeps();
  let row;
  try {
    row = await findRequestInScope(deps, user, requestId);
  } catch (error) {
    if (error instanceof ActionError && error.code === "notFound") notFound();
    throw error;
  }
  const request = toRequestView(row, user, new Date());
  const policy = await getPolicy(deps.db, deps.configuredExtraPolicies);
  return {
    user,
    request,
    regions: deps.regions,
    limits: requestLimits(policy, deps.shortTermCeilingMinutes),
    models: await modelOptions(policy),
    canDecidePermission: can(user.role, "requests.decide"),
  };
}
