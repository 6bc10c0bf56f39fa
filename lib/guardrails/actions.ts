"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { exportText, generateGuardrails, guardrailExportSchema } from "./service";

/**
 * Hand out a guardrail policy (admins): the SCP or the boundary as JSON (downloaded) or Terraform
 * (copied). Regenerated here from the current org policy and validated; a policy that does not
 * validate is refused and the refusal audited. Audited as guardrails.export with what was handed
 * out (kind, format, size, statement ids) — the document itself holds no secret but is not needed.
 */
export const exportGuardrailAction = defineAction({
  name: "guardrails.export",
  permission: "policy.manage",
  schema: guardrailExportSchema,
  run: async (input, ctx) => {
    const c = config();
    const g = await generateGuardrails(
      ctx.db,
      { configuredExtraPolicies: c.ALLOWED_EXTRA_POLICIES, regions: c.BEDROCK_REGIONS, consolePrincipalArns: c.GUARDRAILS_CONSOLE_PRINCIPAL_ARNS },
      { denyLongTerm: input.denyLongTerm, customStatements: input.customStatements },
    );
    const policy = input.kind === "scp" ? g.scp : g.boundary;
    ctx.target({ type: "guardrail", id: input.kind, label: policy.name });
    ctx.detail({
      kind: input.kind,
      format: input.format,
      size: policy.size,
      limit: policy.limit,
      statements: policy.statements.map((s) => s.statement.Sid ?? ""),
      denyLongTerm: input.denyLongTerm,
      ...(policy.issues.length ? { issues: policy.issues.map((i) => i.code) } : {}),
    });
    return exportText(policy, input.format);
  },
});
