import "server-only";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { getPolicy } from "@/lib/policy/service";
import { issuanceFilterSchema, listIssuances } from "./queries";

/** The short-term keys page: the form's options and the issuances the viewer may see. */
export async function loadShortTermPage(searchParams: Record<string, string | string[] | undefined>) {
  const user = await requireUser();
  if (!can(user.role, "shortterm.read")) notFound();
  const raw = Object.fromEntries(Object.entries(searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = issuanceFilterSchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : issuanceFilterSchema.parse({});
  const c = config();
  // The organisation's policy (issue 6): the lifetime cap, and whether developers may self-serve.
  const policy = await getPolicy(db(), c.ALLOWED_EXTRA_POLICIES);
  const selfService = user.role !== "developer" || policy.shortTermSelfService;
  return {
    user,
    enabled: Boolean(c.SHORT_TERM_ROLE_ARN),
    regions: c.BEDROCK_REGIONS,
    defaultRegion: c.AWS_REGION,
    // Member accounts where short-term keys are set up (issue 14); the own account is the default.
    accounts: await db().awsAccount.findMany({ where: { status: "active", roleArn: { not: null }, signingRoleArn: { not: null } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    maxMinutes: Math.min(c.SHORT_TERM_MAX_HOURS * 60, policy.shortTermMaxMinutes),
    list: await listIssuances(db(), user, filters),
    filters,
    can: { generate: can(user.role, "shortterm.generate") && selfService, revoke: can(user.role, "shortterm.revoke") },
    /** false: this developer needs an approved request for a short-term key (link to /requests/new). */
    selfService,
  };
}
