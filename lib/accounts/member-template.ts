import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The member role as docs/multi-account/member-role.template.json defines it, with the template's
 * parameters filled in: what a StackSet deploys. The tests and the demo create the role from this,
 * so the documented role is the one exercised.
 */
export interface MemberRoleDocuments {
  roleName: string;
  trustPolicy: string;
  policies: { name: string; document: string }[];
}

const TEMPLATE = path.join(process.cwd(), "docs/multi-account/member-role.template.json");

export function memberRoleFromTemplate(values: { accountId: string; consoleRoleArn: string; externalId: string; keyIamPath?: string; partition?: string }): MemberRoleDocuments {
  const template = JSON.parse(readFileSync(TEMPLATE, "utf8")) as {
    Resources: { MemberRole: { Properties: { RoleName: string; AssumeRolePolicyDocument: unknown; Policies: { PolicyName: string; PolicyDocument: unknown }[] } } };
  };
  const vars: Record<string, string> = {
    ConsoleRoleArn: values.consoleRoleArn,
    ExternalId: values.externalId,
    KeyIamPath: values.keyIamPath ?? "bedrock-key-console",
    "AWS::Partition": values.partition ?? "aws",
    "AWS::AccountId": values.accountId,
  };
  const role = template.Resources.MemberRole.Properties;
  return {
    roleName: role.RoleName,
    trustPolicy: JSON.stringify(resolve(role.AssumeRolePolicyDocument, vars)),
    policies: role.Policies.map((p) => ({ name: p.PolicyName, document: JSON.stringify(resolve(p.PolicyDocument, vars)) })),
  };
}

/** CloudFormation's Ref and Fn::Sub, which is all the template uses. */
function resolve(node: unknown, vars: Record<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, vars));
  if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.Ref === "string") return value(vars, o.Ref);
    if (typeof o["Fn::Sub"] === "string") return (o["Fn::Sub"] as string).replace(/\$\{([\w:]+)\}/g, (_, name: string) => value(vars, name));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, vars)]));
  }
  return node;
}

function value(vars: Record<string, string>, name: string): string {
  const v = vars[name];
  if (v === undefined) throw new Error(`member role template: no value for ${name}`);
  return v;
}
