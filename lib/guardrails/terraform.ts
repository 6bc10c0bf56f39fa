import type { GeneratedPolicy } from "./generate";

/**
 * A generated policy as Terraform (hashicorp/aws provider): `aws_organizations_policy` of type
 * SERVICE_CONTROL_POLICY for the SCP, `aws_iam_policy` for the permissions boundary, the document
 * written as an HCL object inside `jsonencode(...)` so it reads — and diffs — like Terraform code.
 */

/** A string as an HCL quoted template: `${` and `%{` start interpolations/directives in HCL. */
function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

function hclValue(v: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => `${inner}${hclValue(x, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  // Keys are always quoted: condition keys ("aws:RequestedRegion") are not HCL identifiers.
  return `{\n${entries.map(([k, x]) => `${inner}${hclString(k)} = ${hclValue(x, inner)}`).join("\n")}\n${indent}}`;
}

const RESOURCE_NAME = { scp: "bedrock_key_guardrails", boundary: "bedrock_key_user_boundary" } as const;

export function toTerraform(p: GeneratedPolicy, description: string): string {
  const document = hclValue(JSON.parse(p.json), "  ");
  if (p.kind === "scp") {
    return [
      `resource "aws_organizations_policy" "${RESOURCE_NAME.scp}" {`,
      `  name        = ${hclString(p.name)}`,
      `  description = ${hclString(description)}`,
      `  type        = "SERVICE_CONTROL_POLICY"`,
      `  content = jsonencode(${document})`,
      `}`,
      ``,
      `# Attach it where it should apply (the organisation's root, an OU or an account):`,
      `# resource "aws_organizations_policy_attachment" "${RESOURCE_NAME.scp}" {`,
      `#   policy_id = aws_organizations_policy.${RESOURCE_NAME.scp}.id`,
      `#   target_id = "<root, OU or account id>"`,
      `# }`,
      ``,
    ].join("\n");
  }
  return [
    `resource "aws_iam_policy" "${RESOURCE_NAME.boundary}" {`,
    `  name        = ${hclString(p.name)}`,
    `  description = ${hclString(description)}`,
    `  policy = jsonencode(${document})`,
    `}`,
    ``,
  ].join("\n");
}
