import "server-only";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { modelLabel } from "@/lib/keys/catalogue";
import { isDeliverable } from "./generate";
import { DESCRIPTIONS, generateGuardrails, guardrailOptionsSchema } from "./service";
import { toTerraform } from "./terraform";

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** /settings/guardrails (admins): both policies, generated from the current key policy and the page's options. */
export async function loadGuardrailsPage(searchParams: Record<string, string | string[] | undefined>) {
  const user = await requireUser();
  if (!can(user.role, "policy.manage")) notFound();
  const c = config();
  const parsed = guardrailOptionsSchema.safeParse({ denyLongTerm: first(searchParams.denyLongTerm), customStatements: first(searchParams.customStatements) ?? "" });
  const options = parsed.success ? parsed.data : guardrailOptionsSchema.parse({});
  const g = await generateGuardrails(
    db(),
    { configuredExtraPolicies: c.ALLOWED_EXTRA_POLICIES, regions: c.BEDROCK_REGIONS, consolePrincipalArns: c.GUARDRAILS_CONSOLE_PRINCIPAL_ARNS },
    options,
  );
  const view = (p: typeof g.scp) => ({
    kind: p.kind,
    name: p.name,
    size: p.size,
    limit: p.limit,
    pretty: p.pretty,
    terraform: isDeliverable(p) ? toTerraform(p, DESCRIPTIONS[p.kind]) : null,
    statements: p.statements.map((s) => ({ sid: s.statement.Sid ?? "", effect: s.statement.Effect ?? "", explain: s.explain, values: s.values })),
    notes: p.notes,
    issues: p.issues,
  });
  return {
    options,
    inputs: { ...g.inputs, allowedModels: g.inputs.allowedModels.map((id) => modelLabel(id)) },
    scp: view(g.scp),
    boundary: view(g.boundary),
  };
}

export type GuardrailsPageData = Awaited<ReturnType<typeof loadGuardrailsPage>>;
