import { AwsError } from "../http.js";
import type { SandboxState } from "../state.js";
import type { XmlValue } from "../xml.js";
import type { AwsManagedPolicy } from "./aws-managed-policies.js";
import { AWS_MANAGED_POLICIES } from "./aws-managed-policies.js";
import { type Operation, POLICY_RESOURCE } from "./common.js";
import { awsManagedPolicy } from "./policies.js";
import { page, pagingParams, Validator } from "./validation.js";

function arnOf(p: AwsManagedPolicy): string {
  return `arn:aws:iam::aws:policy${p.path}${p.name}`;
}

function attachmentCount(state: SandboxState, arn: string): number {
  let n = 0;
  for (const u of state.users.values()) if (u.attachedPolicies.includes(arn)) n++;
  for (const r of state.roles.values()) if (r.attachedPolicies.includes(arn)) n++;
  return n;
}

export function policyXml(state: SandboxState, p: AwsManagedPolicy, full: boolean): Record<string, XmlValue> {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: arnOf(p),
    Path: p.path,
    DefaultVersionId: p.version,
    AttachmentCount: attachmentCount(state, arnOf(p)),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(full ? { Description: p.description } : {}),
    CreateDate: new Date(p.created),
    UpdateDate: new Date(p.updated),
  };
}

function lookup(arn: string): AwsManagedPolicy {
  const p = awsManagedPolicy(arn);
  if (!p) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
  return p;
}

/** Read access to the AWS managed policies the sandbox knows (customer managed ones are not emulated). */
export const managedPolicyOperations: Record<string, Operation> = {
  GetPolicy: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const arn = v.required(call.params.get("PolicyArn") ?? undefined, "policyArn");
      v.length(arn || undefined, "policyArn", 20, 2048);
      v.done();
      const p = lookup(arn);
      return { result: { Policy: policyXml(call.state, p, true) }, resources: [[POLICY_RESOURCE, arn]] };
    },
  },

  GetPolicyVersion: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const arn = v.required(call.params.get("PolicyArn") ?? undefined, "policyArn");
      v.length(arn || undefined, "policyArn", 20, 2048);
      const version = v.required(call.params.get("VersionId") ?? undefined, "versionId");
      v.pattern(version || undefined, "versionId", /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
      v.done();
      const p = lookup(arn);
      if (version !== p.version) {
        throw new AwsError("NoSuchEntity", `Policy ${arn} version ${version} does not exist or is not attachable.`, 404);
      }
      return {
        result: {
          PolicyVersion: {
            Document: encodeURIComponent(JSON.stringify(p.document, null, 2)),
            VersionId: p.version,
            IsDefaultVersion: true,
            CreateDate: new Date(p.updated),
          },
        },
        resources: [[POLICY_RESOURCE, arn]],
      };
    },
  },

  ListPolicies: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const scope = call.params.get("Scope") ?? "All";
      v.enumValue(scope, "scope", ["All", "AWS", "Local"]);
      const onlyAttached = v.boolean(call.params.get("OnlyAttached") ?? undefined, "onlyAttached") ?? false;
      const prefix = call.params.get("PathPrefix") ?? undefined;
      v.pathPrefix(prefix, "pathPrefix");
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const all = scope === "Local" ? [] : [...AWS_MANAGED_POLICIES].sort((a, b) => (a.name < b.name ? -1 : 1));
      const filtered = all.filter(
        (p) => (!prefix || p.path.startsWith(prefix)) && (!onlyAttached || attachmentCount(call.state, arnOf(p)) > 0),
      );
      const pg = page(filtered, (p) => p.name, marker, maxItems);
      return {
        result: {
          Policies: pg.items.map((p) => policyXml(call.state, p, false)),
          IsTruncated: pg.isTruncated,
          ...(pg.marker ? { Marker: pg.marker } : {}),
        },
      };
    },
  },
};
